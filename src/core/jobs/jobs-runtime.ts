import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { jobsConfig, type JobsConfig } from '../config/app.config.js';
import { JobProcessor } from './job-processor.js';
import { JobRegistry } from './job-registry.js';
import { OutboxRelay } from './outbox-relay.js';

/**
 * Runs the background side of the process: checks that every job name of every declared queue has exactly
 * one handler (or the process refuses to start), then starts the workers and the outbox relay. On shutdown
 * the relay stops first, then each worker finishes its jobs in progress (Nest closes the workers).
 */
@Injectable()
export class JobsRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private processors: JobProcessor[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly registry: JobRegistry,
    private readonly relay: OutboxRelay,
    @Inject(jobsConfig.KEY) private readonly config: JobsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.processors = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is JobProcessor => instance instanceof JobProcessor);
    const found = new Map<string, string[][]>();
    for (const processor of this.processors) {
      const names = found.get(processor.queue.name) ?? [];
      names.push(processor.handledJobNames());
      found.set(processor.queue.name, names);
    }
    this.registry.verify(found);
    for (const processor of this.processors) {
      // Settings of the environment, not of the code: applied to the worker Nest made, before it runs.
      processor.worker.concurrency = this.config.concurrency;
      Object.assign(processor.worker.opts, {
        lockDuration: this.config.lockDurationMs,
        lockRenewTime: this.config.lockDurationMs / 2,
        stalledInterval: this.config.lockDurationMs,
      });
      // The lock manager copied the renewal period when the worker was made: made again, before it starts.
      (processor.worker as unknown as { createLockManager(): void }).createLockManager();
      processor.worker.run().catch((error: unknown) => this.logger.error(error, `worker ${processor.queue.name}`));
    }
    this.relay.start();
    this.logger.log(`workers started for ${this.processors.map((p) => p.queue.name).join(', ') || 'no queue'}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    // Stop taking jobs now and let the running ones finish; Nest's own hook closes the queues afterwards.
    await Promise.all(this.processors.map((processor) => processor.worker.close()));
  }
}
