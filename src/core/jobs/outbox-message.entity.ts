import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An integration event written in the transaction of the write it describes (ADR 0011). The relay hands it
 * to the subscribed queues and stamps `sent_at`; until then it waits here, whatever happens to Redis or to
 * the worker.
 */
@Entity('outbox_messages')
@Index('IDX_outbox_messages_pending', ['availableAt', 'id'], { where: '"sent_at" IS NULL' })
@Index('UQ_outbox_messages_topic_key', ['topic', 'key'], { unique: true })
export class OutboxMessageEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  topic: string;

  @Column({ type: 'varchar', length: 200 })
  key: string;

  @Column({ type: 'jsonb' })
  payload: object;

  /** W3C trace context of the publishing request. */
  @Column({ type: 'jsonb', nullable: true })
  trace: Record<string, string> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Not before: set forward after a failed hand-over (the queue was unreachable). */
  @Column({ name: 'available_at', type: 'timestamptz', default: () => 'now()' })
  availableAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;
}
