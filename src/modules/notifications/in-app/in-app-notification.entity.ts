import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One thing that happened to a user, shown in the app. `id` orders a user's notifications: it is both the
 * keyset cursor of the list and the SSE event id a reconnecting stream resumes from. `key` makes recording
 * idempotent (a job may run twice). `user_id` names an identity user: a plain uuid, no cross-module relation.
 */
@Entity('notifications')
@Index('UQ_notifications_key', ['key'], { unique: true })
@Index('IDX_notifications_user_id', ['userId', 'id'])
@Index('IDX_notifications_unread', ['userId'], { where: '"read_at" IS NULL' })
export class InAppNotificationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_notifications' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'varchar', length: 200 })
  key: string;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt: Date | null;
}
