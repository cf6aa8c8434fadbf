import { OnWorkerEvent } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { JobProcessor, type JobOf } from '../../core/jobs/job-processor.js';
import { QueueProcessor } from '../../core/jobs/queue-processor.decorator.js';
import { ReportGenerator } from './report-generator.js';
import { ReportPurge } from './report-purge.js';
import type { ReportRequestedPayload } from './reports.events.js';
import { REPORTS_QUEUE } from './reports.queue.js';

/** Thin: checks the payload and calls the use case; retries come from the queue's attempts and backoff. */
@QueueProcessor(REPORTS_QUEUE)
export class ReportsProcessor extends JobProcessor<'generate' | 'purge-expired'> {
  private readonly logger = new Logger('ReportsProcessor');
  readonly queue = REPORTS_QUEUE;
  protected readonly handlers = {
    generate: (job: JobOf<ReportRequestedPayload>) => this.generateReport(job),
    'purge-expired': () => this.purge.purgeExpired(),
  };

  constructor(
    private readonly generator: ReportGenerator,
    private readonly purge: ReportPurge,
  ) {
    super();
  }

  private generateReport(job: JobOf<ReportRequestedPayload>): Promise<boolean> {
    const reportId = job.data.payload?.reportId;
    if (typeof reportId !== 'string') throw new UnrecoverableError('generate: payload.reportId is missing');
    return this.generator.generate(reportId, (progress) => job.updateProgress(progress));
  }

  /**
   * A generate job that failed for good, however it failed (its last attempt threw, it was unrecoverable, or its
   * worker died once too often and BullMQ failed it as stalled): the report says so instead of staying "running"
   * and counting against its owner's reports in progress.
   */
  @OnWorkerEvent('failed')
  async onFailed(job: JobOf<ReportRequestedPayload> | undefined, error: Error): Promise<void> {
    const reportId = job?.data.payload?.reportId;
    if (job?.name !== 'generate' || typeof reportId !== 'string') return;
    const exhausted = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!exhausted) return;
    // An event listener: a rejection here would be unhandled. The row stays as it was; the log says why.
    await this.generator.fail(reportId, error).catch((failure: unknown) => this.logger.warn(`report ${reportId}: ${String(failure)}`));
  }
}
