import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import { resolve } from 'node:path';
import { mailConfig, type MailConfig } from '../../../core/config/app.config.js';
import { withClientSpan } from '../../../core/observability/with-span.js';
import { FileTransport } from './file.transport.js';
import type { MailTransport, OutgoingMail } from './mail-transport.js';
import { SmtpTransport } from './smtp.transport.js';

/** The mail server cannot be reached (or the breaker is open): the mail must wait, it has not failed. */
export class MailServerUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryInMs: number,
  ) {
    super(message);
    this.name = 'MailServerUnavailableError';
  }
}

/** nodemailer's codes for "no conversation with the server happened" (vs. the server refusing this mail). */
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EOPENBREAKER',
]);

export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_CODES.has(code);
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Sends mail through the configured transport behind a circuit breaker (opossum). Connection-level failures
 * count towards opening it; a server's refusal of one mail (a 5xx for a recipient) does not. While it is open,
 * sends fail at once with MailServerUnavailableError, and the caller parks its job instead of spending attempts.
 */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly logger = new Logger('Mailer');
  private readonly transport: MailTransport;
  private readonly breaker: CircuitBreaker<[OutgoingMail & { from: string }], void>;

  constructor(@Inject(mailConfig.KEY) private readonly config: MailConfig) {
    this.transport = config.smtpUrl ? new SmtpTransport(config.smtpUrl) : new FileTransport(resolve(config.mailDir));
    // The send is a span of its own (`smtp send`): no instrumentation sees SMTP.
    const transport = config.smtpUrl ? 'smtp' : 'file';
    const send = (mail: OutgoingMail & { from: string }) =>
      withClientSpan('smtp send', { 'mail.transport': transport }, () => this.transport.send(mail));
    this.breaker = new CircuitBreaker(send, {
      // nodemailer's own connection and greeting timeouts bound a send; a slow DATA is not a dead server.
      timeout: false,
      resetTimeout: config.breakerResetMs,
      errorThresholdPercentage: 50,
      volumeThreshold: 2,
      errorFilter: (error: unknown) => !isConnectionError(error),
    });
    this.breaker.on('open', () =>
      this.logger.warn(`SMTP circuit breaker open: mails wait ${config.breakerResetMs} ms`),
    );
    this.breaker.on('halfOpen', () => this.logger.log('SMTP circuit breaker half-open: trying one mail'));
    this.breaker.on('close', () => this.logger.log('SMTP circuit breaker closed: mail flows again'));
  }

  breakerState(): BreakerState {
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half-open' : 'closed';
  }

  /** Resolves when the server accepted the mail. Throws MailServerUnavailableError, or the server's refusal. */
  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.breaker.fire({ ...mail, from: this.config.from });
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new MailServerUnavailableError(`mail server unavailable: ${reason}`, this.config.breakerResetMs);
    }
  }

  onModuleDestroy(): void {
    this.breaker.shutdown();
    this.transport.close();
  }
}
