import type { AbuseReportDto, AdminAbuseReportDto } from './dto/abuse-report.dto.js';
import type { AbuseReportRow } from './abuse-reports.repository.js';

/** The reporter's view: no moderator ids, no moderator notes. */
export function toAbuseReport(row: AbuseReportRow, refs: Map<string, string>): AbuseReportDto {
  return {
    id: row.id,
    target: { type: row.targetType, id: row.targetId, ref: refs.get(`${row.targetType}:${row.targetId}`) ?? null },
    reason: row.reason,
    details: row.details,
    status: row.status,
    createdAt: row.createdAt,
    closedAt: row.closedAt,
  };
}

export function toAdminAbuseReport(row: AbuseReportRow, refs: Map<string, string>): AdminAbuseReportDto {
  return {
    ...toAbuseReport(row, refs),
    reporterId: row.reporterId,
    closedById: row.closedBy,
    resolution: row.resolution,
  };
}
