import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ArticlesModule } from '../articles/index.js';
import { CommentsModule } from '../comments/index.js';
import { ProfilesModule } from '../profiles/index.js';
import { AbuseReportEntity } from './abuse-report.entity.js';
import { AbuseReportsController } from './abuse-reports.controller.js';
import { AbuseReportsRepository } from './abuse-reports.repository.js';
import { AbuseReportsService } from './abuse-reports.service.js';
import { AbuseTargets } from './abuse-targets.js';
import { ModerationController } from './moderation.controller.js';
import { ModerationService } from './moderation.service.js';

/** Abuse reports and hiding content (docs/moderation.md); the audit log is the kernel's (AuditLog). */
@Module({
  imports: [TypeOrmModule.forFeature([AbuseReportEntity]), ArticlesModule, CommentsModule, ProfilesModule],
  controllers: [AbuseReportsController, ModerationController],
  providers: [AbuseReportsService, AbuseReportsRepository, AbuseTargets, ModerationService],
})
export class ModerationModule {}
