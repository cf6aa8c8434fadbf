import type { ReportDto } from './dto/report-response.dto.js';
import type { ReportEntity } from './report.entity.js';

export const REPORTS_PATH = '/api/v1/reports';

export function toReport(row: ReportEntity, now = Date.now()): ReportDto {
  const downloadable = row.status === 'ready' && (row.expiresAt === null || row.expiresAt.getTime() > now);
  return {
    id: row.id,
    format: row.format,
    status: row.status,
    progress: row.progress,
    rowCount: row.rowCount,
    sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
    error: row.error,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    expiresAt: row.expiresAt,
    downloadUrl: downloadable ? `${REPORTS_PATH}/${row.id}/download` : null,
  };
}
