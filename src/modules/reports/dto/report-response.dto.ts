import { ApiProperty } from '@nestjs/swagger';
import type { ReportFormat, ReportStatus } from '../report.entity.js';

export class ReportDto {
  /** @example "0b5e8f1c-2a8e-4d4f-9a52-6e3c1f0d9b7a" */
  id: string;
  @ApiProperty({ enum: ['csv', 'pdf'] })
  format: ReportFormat;
  /** `queued`, then `running`, then `ready` (or `failed`); `expired` once the file was removed. */
  @ApiProperty({ enum: ['queued', 'running', 'ready', 'failed', 'expired'] })
  status: ReportStatus;
  /** Percent of the articles written so far; 100 when ready. */
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100 })
  progress: number;
  /** Articles in the file, once ready. */
  @ApiProperty({ type: 'integer', minimum: 0, nullable: true })
  rowCount: number | null;
  /** Size of the file in bytes, once ready. */
  @ApiProperty({ type: 'integer', minimum: 0, nullable: true })
  sizeBytes: number | null;
  /** Why the report failed, when it did. */
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** When the file stops being available (set once ready). */
  expiresAt: Date | null;
  /** Where to download the file while it is ready, else null. @example "/api/v1/reports/0b5e8f1c-2a8e-4d4f-9a52-6e3c1f0d9b7a/download" */
  downloadUrl: string | null;
}

export class ReportResponseDto {
  report: ReportDto;
}

export class ReportListResponseDto {
  /** The caller's latest 50 reports, newest first. */
  reports: ReportDto[];
}
