import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, type EntityManager } from 'typeorm';
import { ReportEntity, type ReportFormat } from './report.entity.js';

export interface FinishedFile {
  fileKey: string;
  sizeBytes: number;
  rowCount: number;
  ttlMs: number;
}

@Injectable()
export class ReportsRepository {
  constructor(@InjectRepository(ReportEntity) private readonly reports: Repository<ReportEntity>) {}

  /** Serialises a user's report requests until the transaction ends, so the in-progress limit holds under races. */
  async lockOwner(manager: EntityManager, ownerId: string): Promise<void> {
    await manager.query("SELECT pg_advisory_xact_lock(hashtextextended('reports:' || $1, 0))", [ownerId]);
  }

  countInProgress(manager: EntityManager, ownerId: string): Promise<number> {
    return manager.countBy(ReportEntity, { ownerId, status: In(['queued', 'running']) });
  }

  insert(manager: EntityManager, ownerId: string, format: ReportFormat): Promise<ReportEntity> {
    return manager.save(manager.create(ReportEntity, { ownerId, format }));
  }

  findById(id: string): Promise<ReportEntity | null> {
    return this.reports.findOneBy({ id });
  }

  findOwned(id: string, ownerId: string): Promise<ReportEntity | null> {
    return this.reports.findOneBy({ id, ownerId });
  }

  listOwned(ownerId: string, limit: number): Promise<ReportEntity[]> {
    return this.reports.find({ where: { ownerId }, order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /**
   * Marks the report running from 0 %, unless it is ready or expired (a job that runs again after the file was
   * made leaves it alone). Returns whether the caller should (re)generate it.
   */
  async start(id: string): Promise<boolean> {
    const [, affected] = (await this.reports.query(
      `UPDATE reports SET status = 'running', progress = 0, error = NULL, started_at = now(), finished_at = NULL
        WHERE id = $1 AND status IN ('queued', 'running', 'failed')`,
      [id],
    )) as [unknown, number];
    return affected === 1;
  }

  async setProgress(id: string, progress: number): Promise<void> {
    await this.reports.update({ id, status: 'running' }, { progress: Math.max(0, Math.min(100, Math.floor(progress))) });
  }

  async finish(id: string, file: FinishedFile): Promise<void> {
    await this.reports.query(
      `UPDATE reports SET status = 'ready', progress = 100, file_key = $2, size_bytes = $3, row_count = $4,
              finished_at = now(), expires_at = now() + make_interval(secs => $5::double precision / 1000)
        WHERE id = $1`,
      [id, file.fileKey, file.sizeBytes, file.rowCount, file.ttlMs],
    );
  }

  async fail(id: string, message: string): Promise<void> {
    await this.reports.update(
      { id, status: In(['queued', 'running']) },
      { status: 'failed', error: message.slice(0, 500), finishedAt: () => 'now()' },
    );
  }

  /** Ready reports past their expiry, oldest expiry first (IDX_reports_status_expires). */
  dueForPurge(limit: number): Promise<Array<{ id: string; fileKey: string | null }>> {
    return this.reports.query(
      `SELECT id, file_key AS "fileKey" FROM reports WHERE status = 'ready' AND expires_at <= now()
        ORDER BY expires_at LIMIT $1`,
      [limit],
    );
  }

  async markExpired(id: string): Promise<void> {
    await this.reports.update({ id, status: 'ready' }, { status: 'expired' });
  }
}
