import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type ReportFormat = 'csv' | 'pdf';
export type ReportStatus = 'queued' | 'running' | 'ready' | 'failed' | 'expired';

/** An export of a user's articles, made by the worker; its file lives in `FileStorage` under `fileKey`. */
@Entity('reports')
// The purge walks ready reports past their expiry.
@Index('IDX_reports_status_expires', ['status', 'expiresAt'])
// A user's reports newest first, and the count of those still queued or running (the per-user limit).
@Index('IDX_reports_owner_created', ['ownerId', 'createdAt'])
export class ReportEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_reports' })
  id: string;

  /** A user id (identity module): no cross-module relation. */
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @Column({ type: 'varchar', length: 8 })
  format: ReportFormat;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  status: ReportStatus;

  /** 0 to 100. */
  @Column({ type: 'smallint', default: 0 })
  progress: number;

  @Column({ name: 'row_count', type: 'integer', nullable: true })
  rowCount: number | null;

  @Column({ name: 'file_key', type: 'varchar', length: 255, nullable: true })
  fileKey: string | null;

  /** bigint: pg returns it as a string. */
  @Column({ name: 'size_bytes', type: 'bigint', nullable: true })
  sizeBytes: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** Set when the file is ready: after it, downloads answer 410 and the purge removes the file. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;
}
