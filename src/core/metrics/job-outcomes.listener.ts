import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Job } from 'bullmq';
import { JobProcessor } from '../jobs/job-processor.js';
import { FolioMetrics } from './folio-metrics.js';

/**
 * Counts what this process's workers did with each job (completed, failed attempt) and how long it ran, and
 * the workers' own errors, from BullMQ's worker events. Only processes that run workers (the worker, or the api in embedded mode) have
 * processors; elsewhere there is nothing to listen to and the counters stay absent.
 */
@Injectable()
export class JobOutcomesListener implements OnApplicationBootstrap {
  private readonly logger = new Logger('Jobs');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly metrics: FolioMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const processors = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is JobProcessor => instance instanceof JobProcessor);
    for (const processor of processors) {
      const queue = processor.queue.name;
      processor.worker.on('completed', (job: Job) => {
        this.metrics.jobsCompleted.inc({ queue });
        this.observeDuration(queue, 'completed', job);
      });
      processor.worker.on('failed', (job: Job | undefined) => {
        this.metrics.jobsFailed.inc({ queue });
        if (job) this.observeDuration(queue, 'failed', job);
      });
      // The worker's own errors (its connection lost, a lock not renewed): BullMQ retries by itself. Without a
      // listener BullMQ writes each one to stderr with console.error, outside the JSON logs.
      processor.worker.on('error', (error: Error) => {
        this.metrics.workerErrors.inc({ queue });
        this.logger.warn(`worker ${queue}: ${error.message}`);
      });
    }
  }

  private observeDuration(queue: string, outcome: 'completed' | 'failed', job: Job): void {
    if (job.processedOn === undefined || job.finishedOn === undefined) return;
    this.metrics.jobDuration.observe({ queue, outcome }, Math.max(0, job.finishedOn - job.processedOn) / 1000);
  }
}
