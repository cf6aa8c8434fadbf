import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ReadDatabase } from '../../core/database/read-database.js';
import { CURSOR_AT_SQL, type KeysetPosition } from '../../core/http/keyset-cursor.js';
import type { AbuseReason, AbuseReportStatus, AbuseTargetType } from './abuse-report.entity.js';

export interface AbuseReportRow {
  id: string;
  reporterId: string;
  targetType: AbuseTargetType;
  targetId: string;
  reason: AbuseReason;
  details: string | null;
  status: AbuseReportStatus;
  createdAt: Date;
  closedAt: Date | null;
  closedBy: string | null;
  resolution: string | null;
  /** `created_at` with its microseconds, for the next page's cursor. */
  cursorAt: string;
}

const COLUMNS = `id, reporter_id AS "reporterId", target_type AS "targetType", target_id AS "targetId", reason, details,
  status, created_at AS "createdAt", closed_at AS "closedAt", closed_by AS "closedBy", resolution,
  ${CURSOR_AT_SQL} AS "cursorAt"`;

export interface NewAbuseReport {
  reporterId: string;
  targetType: AbuseTargetType;
  targetId: string;
  reason: AbuseReason;
  details: string | null;
}

/** Queries only. Pages walk `(reporter_id | status, created_at, id)` or `(created_at, id)` newest first. */
@Injectable()
export class AbuseReportsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reads: ReadDatabase,
  ) {}

  /** Fails on `UQ_abuse_reports_open` when the reporter has an open report on the target. */
  async insert(report: NewAbuseReport): Promise<AbuseReportRow> {
    const [row] = await this.dataSource.query(
      `INSERT INTO abuse_reports (reporter_id, target_type, target_id, reason, details)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [report.reporterId, report.targetType, report.targetId, report.reason, report.details],
    );
    return row as AbuseReportRow;
  }

  /** `limit` rows after `after`, newest first, of one reporter or (moderators) of every one, by status. */
  page(
    filter: { reporterId?: string; status?: AbuseReportStatus },
    limit: number,
    after?: KeysetPosition,
  ): Promise<AbuseReportRow[]> {
    const params: unknown[] = [];
    const add = (value: unknown) => `$${params.push(value)}`;
    const conditions: string[] = [];
    if (filter.reporterId !== undefined) conditions.push(`reporter_id = ${add(filter.reporterId)}`);
    if (filter.status !== undefined) conditions.push(`status = ${add(filter.status)}`);
    if (after) conditions.push(`(created_at, id) < (${add(after.createdAt)}::timestamptz, ${add(after.id)}::uuid)`);
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    return this.reads.query<AbuseReportRow>(
      `SELECT ${COLUMNS} FROM abuse_reports${where} ORDER BY created_at DESC, id DESC LIMIT ${add(limit)}`,
      params,
    );
  }

  async findById(id: string): Promise<AbuseReportRow | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM abuse_reports WHERE id = $1`, [id]);
    return row as AbuseReportRow | undefined;
  }

  /** Closes an open report; undefined when it is not open (closed already, or no such report). */
  async close(
    manager: EntityManager,
    id: string,
    change: { status: 'resolved' | 'dismissed'; by: string; resolution: string },
  ): Promise<AbuseReportRow | undefined> {
    const [rows] = await manager.query(
      `UPDATE abuse_reports SET status = $2, closed_at = now(), closed_by = $3, resolution = $4
       WHERE id = $1 AND status = 'open' RETURNING ${COLUMNS}`,
      [id, change.status, change.by, change.resolution],
    );
    return (rows as AbuseReportRow[])[0];
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
