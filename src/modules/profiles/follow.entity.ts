import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** `follower` follows `followee`. Both are user ids (owned by identity: no cross-module relation). */
@Entity('follows')
@Index('IDX_follows_followee', ['followeeId'])
export class FollowEntity {
  @PrimaryColumn({ name: 'follower_id', type: 'uuid' })
  followerId: string;

  @PrimaryColumn({ name: 'followee_id', type: 'uuid' })
  followeeId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
