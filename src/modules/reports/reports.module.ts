import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { reportsConfig } from '../../core/config/app.config.js';
import { JobsModule } from '../../core/jobs/jobs.module.js';
import { StorageModule } from '../../core/storage/storage.module.js';
import { ArticlesModule } from '../articles/index.js';
import { CommentsModule } from '../comments/index.js';
import { IdentityModule } from '../identity/index.js';
import { ProfilesModule } from '../profiles/index.js';
import { ReportGenerator } from './report-generator.js';
import { ReportPurge } from './report-purge.js';
import { ReportEntity } from './report.entity.js';
import { ReportsController } from './reports.controller.js';
import { REPORTS_QUEUE } from './reports.queue.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

/** Exports of a user's articles with their stats, made in the background (docs/reports.md). */
@Module({
  imports: [
    TypeOrmModule.forFeature([ReportEntity]),
    ConfigModule.forFeature(reportsConfig),
    JobsModule.forQueue(REPORTS_QUEUE),
    StorageModule,
    ArticlesModule,
    CommentsModule,
    ProfilesModule,
    IdentityModule,
  ],
  controllers: [ReportsController],
  providers: [ReportsService, ReportsRepository, ReportGenerator, ReportPurge],
  exports: [ReportGenerator, ReportPurge],
})
export class ReportsModule {}
