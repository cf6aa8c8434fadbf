import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLogController } from './audit-log.controller.js';
import { AuditLogEntity } from './audit-log.entity.js';
import { AuditLog } from './audit-log.js';
import { AuditLogReader } from './audit-log.reader.js';

/** The audit trail (docs/moderation.md): global, so every module records through `AuditLog`. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntity])],
  controllers: [AuditLogController],
  providers: [AuditLog, AuditLogReader],
  exports: [AuditLog],
})
export class AuditModule {}
