import { Module } from '@nestjs/common';
import { JobsRuntimeModule } from './core/jobs/jobs-runtime.module.js';
import { NotificationsWorkerModule } from './modules/notifications/index.js';
import { ReportsWorkerModule } from './modules/reports/index.js';

/**
 * The background side of every feature module: their queue processors, plus the runtime that checks and starts
 * them and the outbox relay. Loaded by the worker process (worker.module.ts), and by the api process itself
 * when it runs the workers in process (embedded mode, WORKER_IN_PROCESS).
 */
@Module({
  imports: [JobsRuntimeModule, NotificationsWorkerModule, ReportsWorkerModule],
})
export class WorkerFeaturesModule {}
