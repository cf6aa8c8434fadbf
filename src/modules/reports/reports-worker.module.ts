import { JobsModule } from '../../core/jobs/jobs.module.js';
import { REPORTS_QUEUE } from './reports.queue.js';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { reportsConfig } from '../../core/config/app.config.js';
import { ReportsProcessor } from './reports.processor.js';
import { ReportsModule } from './reports.module.js';
import { ReportsScheduler } from './reports-scheduler.js';

/** The reports queue's processor and the purge's schedule: loaded where workers run (WorkerFeaturesModule). */
@Module({
  imports: [ReportsModule, JobsModule.forQueue(REPORTS_QUEUE), ConfigModule.forFeature(reportsConfig)],
  providers: [ReportsProcessor, ReportsScheduler],
})
export class ReportsWorkerModule {}
