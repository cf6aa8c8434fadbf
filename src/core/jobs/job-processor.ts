import { WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import type { JobEnvelope } from './integration-event.js';
import type { QueueDefinition } from './queue-definition.js';

export type JobOf<Payload extends object = object> = Job<JobEnvelope<Payload>>;

/** One handler per job name of the queue: a missing or extra name does not compile, and is refused at boot. */
/**
 * `token` is the worker's lock on the job: needed to move it back to delayed (`job.moveToDelayed(when, token)` then
 * `throw new DelayedError()`), e.g. while a dependency's circuit breaker is open.
 */
export type JobHandlers<Name extends string> = {
  readonly [K in Name]: (job: JobOf<any>, token?: string) => Promise<unknown>;
};

/**
 * A queue's processor (decorate the subclass with `@QueueProcessor(queue)`): a table of handlers by job name,
 * which is the exhaustive switch. Handlers must be idempotent: a job runs at least once (a worker killed
 * mid-job, a relay that stopped between enqueue and marking its message sent).
 */
export abstract class JobProcessor<Name extends string = string> extends WorkerHost {
  abstract readonly queue: QueueDefinition<Name>;
  protected abstract readonly handlers: JobHandlers<Name>;

  /** The job names this processor handles (checked against the queue's at boot). */
  handledJobNames(): string[] {
    return Object.keys(this.handlers);
  }

  async process(job: JobOf, token?: string): Promise<unknown> {
    const handler = (this.handlers as Record<string, JobHandlers<Name>[Name] | undefined>)[job.name];
    // Unreachable once the boot check passed, unless a newer producer shares the queue: fail without retrying.
    if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}" on queue "${job.queueName}"`);
    return handler.call(this, job, token);
  }
}
