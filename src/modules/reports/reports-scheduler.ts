import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { reportsConfig, type ReportsConfig } from '../../core/config/app.config.js';
import type { JobEnvelope } from '../../core/jobs/integration-event.js';
import { PURGE_SCHEDULER_ID, REPORTS_QUEUE } from './reports.queue.js';

/**
 * Schedules `purge-expired` every REPORTS_PURGE_EVERY_MS. Provided by the worker module only, so only
 * processes that run workers schedule; upserting by a fixed id keeps one scheduler however many start.
 */
@Injectable()
export class ReportsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('ReportsScheduler');

  constructor(
    @InjectQueue(REPORTS_QUEUE.name) private readonly queue: Queue,
    @Inject(reportsConfig.KEY) private readonly config: ReportsConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const data: JobEnvelope = { payload: {} };
    await this.queue.upsertJobScheduler(PURGE_SCHEDULER_ID, { every: this.config.purgeEveryMs }, { name: 'purge-expired', data });
    this.logger.log(`expired reports are purged every ${this.config.purgeEveryMs} ms`);
  }
}
