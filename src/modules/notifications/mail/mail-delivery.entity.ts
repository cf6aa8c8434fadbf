import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One mail the SMTP server accepted, keyed `<job id>:<recipient id>`: a job that runs again (after a crash or
 * a retry) finds its row and does not send twice. Written after the accept, so a crash between the two can
 * still send twice (at-least-once); the row only closes the much wider window of a whole retried job.
 */
@Entity('mail_deliveries')
export class MailDeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 300, primaryKeyConstraintName: 'PK_mail_deliveries' })
  key: string;

  @Column({ type: 'varchar', length: 30 })
  kind: string;

  @Column({ name: 'recipient_id', type: 'uuid' })
  recipientId: string;

  @Column({ name: 'message_id', type: 'varchar', length: 300 })
  messageId: string;

  @CreateDateColumn({ name: 'sent_at', type: 'timestamptz' })
  sentAt: Date;
}
