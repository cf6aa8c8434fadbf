import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bullmq';
import { AuditLog, type AuditActor } from '../audit/audit-log.js';
import { NotFoundError } from '../http/app-error.js';
import type { DeadLetterDto } from './dead-letter.dto.js';
import { JobRegistry } from './job-registry.js';

/** A dead letter, or a job sent back from the dead letters that has not finished yet. */
const RETRIED = new Set(['failed', 'waiting', 'prioritized', 'delayed', 'active', 'waiting-children']);

export class DeadLetterNotFoundError extends NotFoundError {
  constructor() {
    super('DEAD_LETTER_NOT_FOUND', 'no failed job has this queue and id');
  }
}

/** Jobs that used up their attempts: kept (removeOnFail: 30 days) for admins to read and send back. */
@Injectable()
export class DeadLetters {
  constructor(
    private readonly registry: JobRegistry,
    private readonly moduleRef: ModuleRef,
    private readonly audit: AuditLog,
  ) {}

  async list(limit: number): Promise<DeadLetterDto[]> {
    const perQueue = await Promise.all(
      this.registry
        .definitions()
        .map(async ({ name }) => (await this.queue(name).getFailed(0, limit - 1)).map((job) => toDto(job, 'failed'))),
    );
    return perQueue
      .flat()
      .sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0))
      .slice(0, limit);
  }

  /**
   * Moves the job back to waiting with fresh attempts; the worker runs it again. Idempotent: a job already sent
   * back and not finished yet (a second click) is answered as it stands; a completed or unknown one is 404.
   * The call that moves the job is audited (`job.retried`, target `<queue>/<id>`), once it has moved.
   */
  async retry(queueName: string, id: string, actor: AuditActor): Promise<DeadLetterDto> {
    if (!this.registry.definitions().some(({ name }) => name === queueName)) throw new DeadLetterNotFoundError();
    const queue = this.queue(queueName);
    const job = await queue.getJob(id);
    const state = job ? await job.getState() : 'unknown';
    if (!job || !RETRIED.has(state)) throw new DeadLetterNotFoundError();
    if (state === 'failed') {
      const failedReason = job.failedReason ?? '';
      const attemptsMade = job.attemptsMade;
      // A concurrent retry may have moved it first: then it is waiting already, which is the answer.
      const moved = await job
        .retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true })
        .then(() => true)
        .catch(async (error: unknown) => {
          if ((await job.getState()) === 'failed') throw error;
          return false;
        });
      if (moved) {
        const details = { queue: queueName, name: job.name, attemptsMade, failedReason };
        await this.audit.record(actor, {
          action: 'job.retried',
          targetType: 'job',
          targetId: `${queueName}/${id}`,
          details,
        });
      }
    }
    const current = (await queue.getJob(id)) ?? job;
    return toDto(current, await current.getState());
  }

  private queue(name: string): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }
}

function toDto(job: Job, state: string): DeadLetterDto {
  return {
    queue: job.queueName,
    id: String(job.id),
    name: job.name,
    state,
    failedReason: job.failedReason ?? '',
    attemptsMade: job.attemptsMade,
    data: job.data as Record<string, unknown>,
    createdAt: new Date(job.timestamp),
    failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
  };
}
