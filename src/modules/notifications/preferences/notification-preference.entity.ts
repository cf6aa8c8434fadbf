import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A user's mail choices. No row means every kind is on: the row is written the first time the user (or an
 * unsubscribe link) changes something. `userId` is an identity user id, no cross-module relation.
 */
@Entity('notification_preferences')
export class NotificationPreferenceEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'PK_notification_preferences' })
  userId: string;

  @Column({ name: 'new_follower', type: 'boolean', default: true })
  newFollower: boolean;

  @Column({ name: 'new_comment', type: 'boolean', default: true })
  newComment: boolean;

  @Column({ type: 'boolean', default: true })
  digest: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
