import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One privileged action, appended by `AuditLog.record` and never changed: triggers of migration AuditLog refuse
 * UPDATE, DELETE and TRUNCATE. `actor_id` and `target_id` are plain values (no foreign key): an entry outlives
 * the user or the row it names.
 */
@Entity('audit_log')
// Newest first, with the id as tie-breaker (keyset pages); DESC is not expressible here: written in the migration.
@Index('IDX_audit_log_created_id', { synchronize: false })
@Index('IDX_audit_log_target', ['targetType', 'targetId'])
@Index('IDX_audit_log_actor', ['actorId'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'PK_audit_log',
  })
  id: string;

  /** A user id (identity module). */
  @Column({ name: 'actor_id', type: 'uuid' })
  actorId: string;

  /** Dotted, past tense: `user.suspended`, `article.hidden`. */
  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'target_type', type: 'varchar', length: 32 })
  targetType: string;

  @Column({ name: 'target_id', type: 'varchar', length: 255 })
  targetId: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;

  /** The request that did it (`x-request-id`), to join the entry with the logs and traces. */
  @Column({ name: 'request_id', type: 'varchar', length: 128 })
  requestId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
