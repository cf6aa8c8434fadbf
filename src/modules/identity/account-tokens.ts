import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { authConfig, type AuthConfig } from '../../core/config/app.config.js';
import { durationMs } from '../../core/config/durations.js';
import type { AccountTokenPurpose } from './account-token.entity.js';
import { newSecret, secretHash } from './sessions.service.js';

export interface RedeemedAccountToken {
  userId: string;
  newEmail: string | null;
}

/** Single-use, expiring secrets sent by mail (password reset, email change), stored by their SHA-256 only. */
@Injectable()
export class AccountTokens {
  private readonly ttlMs: Record<AccountTokenPurpose, number>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(authConfig.KEY) config: AuthConfig,
  ) {
    this.ttlMs = {
      'password-reset': durationMs(config.passwordResetTtl),
      'email-change': durationMs(config.emailChangeTtl),
    };
  }

  /**
   * A new secret for the user; the ones issued before it for the same purpose stop working. An email change's
   * is bound to the session that asked for it (`sessionId`).
   */
  async issue(
    userId: string,
    purpose: AccountTokenPurpose,
    bound: { newEmail?: string; sessionId?: string } = {},
  ): Promise<string> {
    const secret = newSecret();
    await this.dataSource.transaction(async (manager) => {
      await this.retire(manager, userId, purpose);
      await manager.query(
        `INSERT INTO account_tokens (token_hash, user_id, purpose, new_email, session_id, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          secretHash(secret),
          userId,
          purpose,
          bound.newEmail ?? null,
          bound.sessionId ?? null,
          new Date(Date.now() + this.ttlMs[purpose]),
        ],
      );
    });
    return secret;
  }

  /**
   * Uses the secret up, atomically (of two requests presenting it, one wins); undefined when not valid: used,
   * expired, unknown, or bound to a session that has ended.
   */
  async redeem(
    manager: EntityManager,
    secret: string,
    purpose: AccountTokenPurpose,
  ): Promise<RedeemedAccountToken | undefined> {
    const [rows] = (await manager.query(
      `UPDATE account_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
          AND (session_id IS NULL OR EXISTS (SELECT 1 FROM sessions s WHERE s.id = session_id AND s.ended_at IS NULL))
        RETURNING user_id, new_email`,
      [secretHash(secret), purpose],
    )) as [Array<{ user_id: string; new_email: string | null }>, number];
    const row = rows[0];
    return row ? { userId: row.user_id, newEmail: row.new_email } : undefined;
  }

  /** Every unused secret of the user for `purpose` stops working. */
  async retire(manager: EntityManager, userId: string, purpose: AccountTokenPurpose): Promise<void> {
    await manager.query(
      `UPDATE account_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
      [userId, purpose],
    );
  }
}
