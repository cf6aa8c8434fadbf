import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { AuditLog, type AuditActor } from '../../core/audit/audit-log.js';
import type { AuthUser } from '../../core/auth/auth.types.js';
import { violatedConstraint } from '../../core/database/postgres-errors.js';
import {
  decodeKeysetCursor,
  encodeKeysetCursor,
  InvalidKeysetCursorError,
  type KeysetPosition,
} from '../../core/http/keyset-cursor.js';
import type { AbuseReportStatus } from './abuse-report.entity.js';
import { toAbuseReport, toAdminAbuseReport } from './abuse-reports.mapper.js';
import { AbuseReportsRepository, type AbuseReportRow } from './abuse-reports.repository.js';
import { AbuseTargets } from './abuse-targets.js';
import type {
  AbuseReportDto,
  AbuseReportPageDto,
  AdminAbuseReportDto,
  AdminAbuseReportPageDto,
  CreateAbuseReportDto,
} from './dto/abuse-report.dto.js';
import {
  AbuseReportClosedError,
  AbuseReportNotFoundError,
  DuplicateAbuseReportError,
  OwnContentReportError,
} from './moderation.errors.js';

/** Abuse reports: users file them, see only their own; moderators list and close them (audited). */
@Injectable()
export class AbuseReportsService {
  constructor(
    private readonly reports: AbuseReportsRepository,
    private readonly targets: AbuseTargets,
    private readonly audit: AuditLog,
  ) {}

  /** 404 for a target the reporter cannot see, 422 for their own content, 409 while their report on it is open. */
  async create(reporter: AuthUser, input: CreateAbuseReportDto): Promise<AbuseReportDto> {
    const target = await this.targets.resolve(input.targetType, input.targetId, reporter.id);
    if (target.ownerId === reporter.id) throw new OwnContentReportError();
    let row: AbuseReportRow;
    try {
      row = await this.reports.insert({
        reporterId: reporter.id,
        targetType: target.type,
        targetId: target.id,
        reason: input.reason,
        details: input.details || null,
      });
    } catch (error) {
      if (violatedConstraint(error, 'unique') === 'UQ_abuse_reports_open') throw new DuplicateAbuseReportError();
      throw error;
    }
    return toAbuseReport(row, await this.targets.refs([row]));
  }

  /** The caller's own reports, newest first: nobody else's, whatever the parameters. */
  async mine(reporter: AuthUser, limit: number, cursor?: string): Promise<AbuseReportPageDto> {
    const { rows, nextCursor } = await this.page({ reporterId: reporter.id }, limit, cursor);
    const refs = await this.targets.refs(rows);
    return { reports: rows.map((row) => toAbuseReport(row, refs)), nextCursor };
  }

  /** Moderators: every report, newest first, optionally in one state. */
  async list(status: AbuseReportStatus | undefined, limit: number, cursor?: string): Promise<AdminAbuseReportPageDto> {
    const { rows, nextCursor } = await this.page({ status }, limit, cursor);
    const refs = await this.targets.refs(rows);
    return { reports: rows.map((row) => toAdminAbuseReport(row, refs)), nextCursor };
  }

  /**
   * Resolves (acted on) or dismisses (nothing to do) an open report, with the moderator's reason, audited
   * (`abuse-report.resolved` / `abuse-report.dismissed`) in the same transaction. 409 once closed.
   */
  async close(
    id: string,
    status: 'resolved' | 'dismissed',
    reason: string,
    actor: AuditActor,
  ): Promise<AdminAbuseReportDto> {
    const row = await this.reports.transaction(async (manager) => {
      const closed = await this.reports.close(manager, id, { status, by: actor.userId, resolution: reason });
      if (!closed) {
        if (await this.reports.findById(id)) throw new AbuseReportClosedError();
        throw new AbuseReportNotFoundError();
      }
      await this.audit.record(
        actor,
        {
          action: `abuse-report.${status}`,
          targetType: 'abuse-report',
          targetId: id,
          reason,
          details: { target: { type: closed.targetType, id: closed.targetId }, reporterId: closed.reporterId },
        },
        manager,
      );
      return closed;
    });
    return toAdminAbuseReport(row, await this.targets.refs([row]));
  }

  private async page(
    filter: { reporterId?: string; status?: AbuseReportStatus },
    limit: number,
    cursor: string | undefined,
  ): Promise<{ rows: AbuseReportRow[]; nextCursor: string | null }> {
    let after: KeysetPosition | undefined;
    if (cursor !== undefined) {
      after = decodeKeysetCursor(cursor, (id) => isUUID(id));
      if (!after) throw new InvalidKeysetCursorError();
    }
    const rows = await this.reports.page(filter, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > limit && last ? encodeKeysetCursor({ createdAt: last.cursorAt, id: last.id }) : null;
    return { rows: page, nextCursor };
  }
}
