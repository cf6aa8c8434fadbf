import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { mailConfig, type MailConfig } from '../../core/config/app.config.js';
import { NOTIFICATIONS_QUEUE } from './notifications.queue.js';

/**
 * Keeps the `daily-digest` job scheduler at DIGEST_CRON (UTC). Provided by the worker module only, so only
 * processes that run jobs schedule; upserting is idempotent, so every worker replica may do it at start.
 */
@Injectable()
export class DigestScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('DigestScheduler');

  constructor(
    @InjectQueue(NOTIFICATIONS_QUEUE.name) private readonly queue: Queue,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'daily-digest',
      { pattern: this.config.digestCron, tz: 'UTC' },
      { name: 'daily-digest', data: { payload: {} } },
    );
    this.logger.log(`daily digest scheduled at "${this.config.digestCron}" (UTC)`);
  }
}
