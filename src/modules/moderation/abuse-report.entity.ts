import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const ABUSE_TARGET_TYPES = ['article', 'comment', 'user'] as const;
export type AbuseTargetType = (typeof ABUSE_TARGET_TYPES)[number];

export const ABUSE_REASONS = ['spam', 'harassment', 'hate', 'illegal', 'other'] as const;
export type AbuseReason = (typeof ABUSE_REASONS)[number];

export const ABUSE_REPORT_STATUSES = ['open', 'resolved', 'dismissed'] as const;
export type AbuseReportStatus = (typeof ABUSE_REPORT_STATUSES)[number];

/**
 * A user's report of an article, a comment or a user. Targets are other modules' rows, stored by id (article
 * and user uuids, comment numbers as text): no relation crosses a module boundary.
 */
@Entity('abuse_reports')
// One open report per reporter and target; a closed one does not stop a new report. Partial: in the migration.
@Index('UQ_abuse_reports_open', { synchronize: false })
@Index('IDX_abuse_reports_reporter_created', ['reporterId', 'createdAt', 'id'])
@Index('IDX_abuse_reports_status_created', ['status', 'createdAt', 'id'])
@Index('IDX_abuse_reports_created', ['createdAt', 'id'])
export class AbuseReportEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_abuse_reports' })
  id: string;

  @Column({ name: 'reporter_id', type: 'uuid' })
  reporterId: string;

  @Column({ name: 'target_type', type: 'varchar', length: 16 })
  targetType: AbuseTargetType;

  @Column({ name: 'target_id', type: 'varchar', length: 64 })
  targetId: string;

  @Column({ type: 'varchar', length: 16 })
  reason: AbuseReason;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  details: string | null;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: AbuseReportStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  /** The moderator who resolved or dismissed it. */
  @Column({ name: 'closed_by', type: 'uuid', nullable: true })
  closedBy: string | null;

  /** The moderator's reason for closing it (not shown to the reporter). */
  @Column({ type: 'text', nullable: true })
  resolution: string | null;
}
