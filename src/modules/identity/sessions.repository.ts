import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { ClientInfo } from './client-info.decorator.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { SessionEntity, type SessionEndReason, type SessionKind } from './session.entity.js';

/** What a presented refresh token turned out to be. */
export type RefreshClaim =
  { outcome: 'claimed'; session: SessionEntity } | { outcome: 'reused'; sessionId: string } | { outcome: 'unknown' };

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async open(
    manager: EntityManager,
    values: { userId: string; kind: SessionKind; client: ClientInfo; expiresAt: Date },
  ): Promise<SessionEntity> {
    const repository = manager.getRepository(SessionEntity);
    return repository.save(
      repository.create({
        userId: values.userId,
        kind: values.kind,
        device: values.client.device,
        ip: values.client.ip,
        lastUsedAt: new Date(),
        expiresAt: values.expiresAt,
        endedAt: null,
        endReason: null,
      }),
    );
  }

  async addRefreshToken(manager: EntityManager, sessionId: string, tokenHash: string): Promise<void> {
    await manager.getRepository(RefreshTokenEntity).insert({ tokenHash, sessionId, usedAt: null });
  }

  /**
   * Marks the token used, atomically: of two requests presenting it, one claims it and the other sees reuse.
   * A claimed token's session is returned locked for the rest of the transaction.
   */
  async claimRefreshToken(manager: EntityManager, tokenHash: string): Promise<RefreshClaim> {
    const [claimed] = (await manager.query(
      `UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL RETURNING session_id`,
      [tokenHash],
    )) as [Array<{ session_id: string }>, number];
    const row = claimed[0];
    if (row) {
      const session = await manager
        .getRepository(SessionEntity)
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.id = :id', { id: row.session_id })
        .getOneOrFail();
      return { outcome: 'claimed', session };
    }
    const [used] = await manager.query<Array<{ session_id: string }>>(
      `SELECT session_id FROM refresh_tokens WHERE token_hash = $1`,
      [tokenHash],
    );
    return used ? { outcome: 'reused', sessionId: used.session_id } : { outcome: 'unknown' };
  }

  /** Slides the session after a refresh or a fresh RealWorld token. */
  async touch(manager: EntityManager, sessionId: string, expiresAt: Date, client?: ClientInfo): Promise<void> {
    await manager
      .getRepository(SessionEntity)
      .update(
        { id: sessionId },
        { lastUsedAt: new Date(), expiresAt, ...(client ? { device: client.device, ip: client.ip } : {}) },
      );
  }

  /**
   * Slides a live RealWorld session at most once a minute (GET /api/user is called on every page of a
   * RealWorld client); answers the session's kind, or undefined when it has ended, expired or is gone.
   */
  async renew(sessionId: string, expiresAt: Date): Promise<SessionKind | undefined> {
    await this.dataSource.query(
      `UPDATE sessions SET last_used_at = now(), expires_at = GREATEST(expires_at, $2)
        WHERE id = $1 AND kind = 'realworld' AND ended_at IS NULL AND expires_at > now()
          AND last_used_at < now() - interval '1 minute'`,
      [sessionId, expiresAt],
    );
    const [row] = await this.dataSource.query<Array<{ kind: SessionKind }>>(
      `SELECT kind FROM sessions WHERE id = $1 AND ended_at IS NULL AND expires_at > now()`,
      [sessionId],
    );
    return row?.kind;
  }

  /** Ends the user's live sessions (all, or but one, or the given one); answers the ids it ended. */
  async end(
    filter: { userId: string; sessionId?: string; exceptSessionId?: string },
    reason: SessionEndReason,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const [rows] = (await manager.query(
      `UPDATE sessions SET ended_at = now(), end_reason = $2
        WHERE user_id = $1 AND ended_at IS NULL
          AND ($3::uuid IS NULL OR id = $3) AND ($4::uuid IS NULL OR id <> $4)
        RETURNING id`,
      [filter.userId, reason, filter.sessionId ?? null, filter.exceptSessionId ?? null],
    )) as [Array<{ id: string }>, number];
    return rows.map((row) => row.id);
  }

  /** Ends one session whoever owns it (refresh-token reuse); answers the owner, when it was live. */
  async endById(sessionId: string, reason: SessionEndReason): Promise<string | undefined> {
    const [rows] = (await this.dataSource.query(
      `UPDATE sessions SET ended_at = now(), end_reason = $2 WHERE id = $1 AND ended_at IS NULL RETURNING user_id`,
      [sessionId, reason],
    )) as [Array<{ user_id: string }>, number];
    return rows[0]?.user_id;
  }

  /** The user's live sessions, most recently used first. */
  listLive(userId: string): Promise<SessionEntity[]> {
    return this.dataSource
      .getRepository(SessionEntity)
      .createQueryBuilder('s')
      .where('s.userId = :userId AND s.endedAt IS NULL AND s.expiresAt > now()', { userId })
      .orderBy('s.lastUsedAt', 'DESC')
      .addOrderBy('s.id', 'ASC')
      .limit(200)
      .getMany();
  }

  /** Sessions that ended or expired long ago (beyond any token's life) are dropped when their user logs in. */
  async pruneEnded(manager: EntityManager, userId: string, before: Date): Promise<void> {
    await manager.query(
      `DELETE FROM sessions WHERE user_id = $1 AND (ended_at < $2 OR (ended_at IS NULL AND expires_at < $2))`,
      [userId, before],
    );
  }
}
