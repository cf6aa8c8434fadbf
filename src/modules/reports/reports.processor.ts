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

  private async generateReport(job: JobOf<ReportRequestedPayload>): Promise<boolean> {
    const reportId = job.data.payload?.reportId;
    if (typeof reportId !== 'string') throw new UnrecoverableError('generate: payload.reportId is missing');
    try {
      return await this.generator.generate(reportId, (progress) => job.updateProgress(progress));
    } catch (error) {
      // The last attempt failed: the report says so instead of staying "running" for ever.
      if (error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await this.generator.fail(reportId, error);
      }
      throw error;
    }
  }
}
