import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../../../src/app.module.js';
import { JobProcessor } from '../../../src/core/jobs/job-processor.js';
import { JobsConfigurationError } from '../../../src/core/jobs/job-registry.js';
import { JobsModule } from '../../../src/core/jobs/jobs.module.js';
import { defineQueue } from '../../../src/core/jobs/queue-definition.js';
import { QueueProcessor } from '../../../src/core/jobs/queue-processor.decorator.js';
import { WorkerModule } from '../../../src/worker.module.js';
import { createTestApp } from '../../setup/test-app.js';
import { useOwnJobsEnvironment } from '../../support/jobs.js';

const HALF_HANDLED = defineQueue({ name: 'half-handled', jobs: ['handled', 'forgotten'] });

/** A processor that forgot a job name: TypeScript refuses it, so it is forced here the way a bad merge could. */
@QueueProcessor(HALF_HANDLED)
class HalfProcessor extends JobProcessor<'handled' | 'forgotten'> {
  readonly queue = HALF_HANDLED;
  protected readonly handlers = { handled: async () => undefined } as never;
}

@Module({ imports: [JobsModule.forQueue(HALF_HANDLED)], providers: [HalfProcessor] })
class HalfModule {}

describe('the boot check of the workers', () => {
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ drop } = await useOwnJobsEnvironment('boot_check', { backend: 'redis' }));
  });
  afterAll(async () => drop?.());

  it('refuses to start a worker process in which a job name has no handler', async () => {
    @Module({ imports: [WorkerModule, HalfModule] })
    class BrokenWorker {}
    const start = NestFactory.createApplicationContext(BrokenWorker, { logger: false, abortOnError: false });
    const error = await start.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(JobsConfigurationError);
    expect((error as JobsConfigurationError).problems).toEqual(['job "half-handled/forgotten" has no handler']);
  });

  it('refuses to start an api that runs the workers in process, for the same reason', async () => {
    @Module({ imports: [AppModule, HalfModule] })
    class BrokenApi {}
    await expect(createTestApp(BrokenApi)).rejects.toThrow('job "half-handled/forgotten" has no handler');
  });

  it('starts the complete worker: every queue of every module has its handlers', async () => {
    const worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false, abortOnError: false });
    await worker.close();
  });
});
