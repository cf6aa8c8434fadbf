import { Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mailConfig, type MailConfig } from '../../../core/config/app.config.js';
import { OPTIONAL_MAIL_KINDS, type UnsubscribeScope } from './mail-kinds.js';

export interface UnsubscribeClaim {
  userId: string;
  scope: UnsubscribeScope;
}

/**
 * Unsubscribe links carry `<base64url claim>.<base64url HMAC-SHA256>`. The key is derived from JWT_SECRET with
 * a purpose label, so a link is never a valid access token nor the reverse. Links do not expire: a mail read a
 * year later must still unsubscribe (RFC 8058), and all a link can do is turn mail off.
 */
@Injectable()
export class UnsubscribeTokens {
  private readonly key: Buffer;

  constructor(@Inject(mailConfig.KEY) config: MailConfig) {
    this.key = createHmac('sha256', config.secret).update('folio:mail-unsubscribe:v1').digest();
  }

  sign(claim: UnsubscribeClaim): string {
    const body = Buffer.from(JSON.stringify({ u: claim.userId, s: claim.scope })).toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /** The claim, or undefined for anything not signed by this deployment. */
  verify(token: string): UnsubscribeClaim | undefined {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) return undefined;
    const expected = this.mac(body);
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const { u, s } = JSON.parse(Buffer.from(body, 'base64url').toString()) as { u?: unknown; s?: unknown };
      const scopes: readonly string[] = [...OPTIONAL_MAIL_KINDS, 'all'];
      if (typeof u !== 'string' || typeof s !== 'string' || !scopes.includes(s)) return undefined;
      return { userId: u, scope: s as UnsubscribeScope };
    } catch {
      return undefined;
    }
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest();
  }
}
