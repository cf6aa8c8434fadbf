import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bullmq';
import { NotFoundError } from '../http/app-error.js';
import type { DeadLetterDto } from './dead-letter.dto.js';
import { JobRegistry } from './job-registry.js';

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
  ) {}

  async list(limit: number): Promise<DeadLetterDto[]> {
    const perQueue = await Promise.all(
      this.registry.definitions().map(async ({ name }) => (await this.queue(name).getFailed(0, limit - 1)).map(toDto)),
    );
    return perQueue
      .flat()
      .sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0))
      .slice(0, limit);
  }

  /** Moves the job back to waiting with fresh attempts; the worker runs it again. */
  async retry(queueName: string, id: string): Promise<DeadLetterDto> {
    if (!this.registry.definitions().some(({ name }) => name === queueName)) throw new DeadLetterNotFoundError();
    const job = await this.queue(queueName).getJob(id);
    if (!job || !(await job.isFailed())) throw new DeadLetterNotFoundError();
    const dto = toDto(job);
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return dto;
  }

  private queue(name: string): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }
}

function toDto(job: Job): DeadLetterDto {
  return {
    queue: job.queueName,
    id: String(job.id),
    name: job.name,
    failedReason: job.failedReason,
    attemptsMade: job.attemptsMade,
    data: job.data as Record<string, unknown>,
    createdAt: new Date(job.timestamp),
    failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
  };
}
