import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { SessionEntity } from './session.entity.js';

/** A refresh token, by its SHA-256 (the token itself is never stored). Single use: rotated on every refresh. */
@Entity('refresh_tokens')
@Index('IDX_refresh_tokens_session_id', ['sessionId'])
export class RefreshTokenEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'char', length: 64, primaryKeyConstraintName: 'PK_refresh_tokens' })
  tokenHash: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Set when it was exchanged for a new pair; presenting it again is reuse. */
  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @ManyToOne(() => SessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'FK_refresh_tokens_session_id' })
  session?: Relation<SessionEntity>;
}
