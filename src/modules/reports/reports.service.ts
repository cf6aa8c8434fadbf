import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../core/auth/auth.types.js';
import { Outbox } from '../../core/jobs/outbox.js';
import { FileStorage } from '../../core/storage/file-storage.js';
import type { ReportEntity, ReportFormat } from './report.entity.js';
import { ReportExpiredError, ReportLimitReachedError, ReportNotFoundError, ReportNotReadyError } from './reports.errors.js';
import { REPORT_REQUESTED, type ReportRequestedPayload } from './reports.events.js';
import { ReportsRepository } from './reports.repository.js';

/** Reports a user may have queued or running at once: each one is a scan of all their articles. */
export const MAX_REPORTS_IN_PROGRESS = 3;
const LIST_LIMIT = 50;

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
};

export interface ReportDownload {
  content: Readable;
  contentType: string;
  filename: string;
  sizeBytes: number;
}

@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly storage: FileStorage,
  ) {}

  /** The report row and its `reports.report-requested` event commit together: no report without its job. */
  request(owner: AuthUser, format: ReportFormat): Promise<ReportEntity> {
    return this.dataSource.transaction(async (manager) => {
      await this.reports.lockOwner(manager, owner.id);
      if ((await this.reports.countInProgress(manager, owner.id)) >= MAX_REPORTS_IN_PROGRESS) {
        throw new ReportLimitReachedError(MAX_REPORTS_IN_PROGRESS);
      }
      const report = await this.reports.insert(manager, owner.id, format);
      const payload: ReportRequestedPayload = { reportId: report.id };
      await this.outbox.publish(manager, { topic: REPORT_REQUESTED, key: report.id, payload });
      return report;
    });
  }

  async get(owner: AuthUser, id: string): Promise<ReportEntity> {
    const report = await this.reports.findOwned(id, owner.id);
    if (!report) throw new ReportNotFoundError();
    return report;
  }

  list(owner: AuthUser): Promise<ReportEntity[]> {
    return this.reports.listOwned(owner.id, LIST_LIMIT);
  }

  /** The ready file as a stream; 409 before it is ready, 410 once it expired (even before the purge ran). */
  async download(owner: AuthUser, id: string): Promise<ReportDownload> {
    const report = await this.get(owner, id);
    if (report.status === 'expired' || (report.expiresAt !== null && report.expiresAt.getTime() <= Date.now())) {
      throw new ReportExpiredError();
    }
    if (report.status !== 'ready' || !report.fileKey) throw new ReportNotReadyError(report.status);
    // Checked before the headers go out: a stream that fails after them can only cut the response short.
    if (!(await this.storage.exists(report.fileKey))) throw new ReportExpiredError();
    return {
      content: this.storage.read(report.fileKey),
      contentType: CONTENT_TYPES[report.format],
      filename: reportFilename(report),
      sizeBytes: Number(report.sizeBytes),
    };
  }
}

/** `folio-articles-<yyyy-mm-dd>-<first 8 of the id>.<csv|pdf>`: ASCII only, nothing to escape in the header. */
export function reportFilename(report: Pick<ReportEntity, 'id' | 'format' | 'createdAt'>): string {
  return `folio-articles-${report.createdAt.toISOString().slice(0, 10)}-${report.id.slice(0, 8)}.${report.format}`;
}
