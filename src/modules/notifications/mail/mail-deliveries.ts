import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { mailConfig, type MailConfig } from '../../../core/config/app.config.js';
import type { UserContact } from '../../identity/index.js';
import type { UnsubscribeScope } from '../preferences/mail-kinds.js';
import { UnsubscribeTokens } from '../preferences/unsubscribe-token.js';
import { MailDeliveryEntity } from './mail-delivery.entity.js';
import { MailRenderer, type MailTemplate } from './mail-renderer.js';
import { Mailer } from './mailer.js';

export interface Delivery {
  /** The job's id: with the recipient it names the delivery, and it becomes the Message-ID. */
  jobId: string;
  template: MailTemplate;
  recipient: UserContact;
  /**
   * What the footer's link and the List-Unsubscribe header turn off; null for transactional mail (password
   * reset, email change), which is sent whatever the preferences and carries no unsubscribe link.
   */
  unsubscribe: UnsubscribeScope | null;
  context: Record<string, unknown>;
}

/** `<job-id@folio>` with only characters a Message-ID's left part may hold. */
export function messageIdFor(jobId: string, recipientId: string): string {
  return `<${`${jobId}.${recipientId}`.replace(/[^\w.!#$%&'*+/=?^`{|}~-]/g, '_')}@folio>`;
}

/**
 * Sends one mail at most once per `<job id>:<recipient id>`: the delivery row is looked up before sending and
 * written after the server accepted the mail. At-least-once, not exactly-once: a crash between the accept and
 * the row write sends again on retry, with the same Message-ID (the worker-process test kills before the accept).
 */
@Injectable()
export class MailDeliveries {
  constructor(
    @InjectRepository(MailDeliveryEntity) private readonly deliveries: Repository<MailDeliveryEntity>,
    private readonly renderer: MailRenderer,
    private readonly mailer: Mailer,
    private readonly tokens: UnsubscribeTokens,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  /** Whether a job's mail went out already (to anyone). */
  sent(jobId: string): Promise<boolean> {
    return this.deliveries
      .createQueryBuilder('d')
      .where('d.key LIKE :prefix', { prefix: `${jobId.replace(/[\\%_]/g, '\\$&')}:%` })
      .getExists();
  }

  /** True when this call sent the mail, false when it had been sent already. */
  async deliver(delivery: Delivery): Promise<boolean> {
    const key = `${delivery.jobId}:${delivery.recipient.id}`;
    if (await this.deliveries.existsBy({ key })) return false;
    const unsubscribeUrl = delivery.unsubscribe && this.unsubscribeUrl(delivery.recipient.id, delivery.unsubscribe);
    const rendered = this.renderer.render(delivery.template, {
      ...delivery.context,
      user: { username: delivery.recipient.username },
      publicUrl: this.config.publicUrl,
      unsubscribeUrl,
      unsubscribeText:
        delivery.unsubscribe === 'all' ? 'Unsubscribe from all Folio notifications' : 'Unsubscribe from these mails',
    });
    const messageId = messageIdFor(delivery.jobId, delivery.recipient.id);
    await this.mailer.send({
      to: delivery.recipient.email,
      ...rendered,
      messageId,
      headers: unsubscribeUrl
        ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : {},
    });
    await this.deliveries
      .createQueryBuilder()
      .insert()
      .values({ key, kind: delivery.template, recipientId: delivery.recipient.id, messageId })
      .orIgnore()
      .execute();
    return true;
  }

  unsubscribeUrl(userId: string, scope: UnsubscribeScope): string {
    const token = this.tokens.sign({ userId, scope });
    return `${this.config.publicUrl}/api/v1/unsubscribe/${encodeURIComponent(token)}`;
  }
}
