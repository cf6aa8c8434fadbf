import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { UserEntity } from './user.entity.js';

/** How the session was opened: v1 login (access + refresh tokens) or a RealWorld login/registration (one token). */
export type SessionKind = 'refresh' | 'realworld';

export type SessionEndReason =
  | 'logout'
  | 'logout-all'
  | 'revoked'
  | 'password-changed'
  | 'refresh-reuse'
  | 'suspended'
  | 'role-changed'
  | 'password-reset';

/**
 * One signed-in device. Access tokens name it (`sid`), so ending it ends them at once through the revocation
 * list; refresh tokens belong to it (one family: reusing a rotated one ends the session).
 */
@Entity('sessions')
@Index('IDX_sessions_user_id', ['userId'])
// The revocation list's (re)load reads the recently ended ones.
@Index('IDX_sessions_ended_at', ['endedAt'], { where: '"ended_at" IS NOT NULL' })
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_sessions' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: SessionKind;

  /** The client's User-Agent, shortened: what the sessions list shows. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  device: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz' })
  lastUsedAt: Date;

  /** A refresh session slides on every refresh; a RealWorld one on every fresh token. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ name: 'end_reason', type: 'varchar', length: 32, nullable: true })
  endReason: SessionEndReason | null;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_sessions_user_id' })
  user?: Relation<UserEntity>;
}
