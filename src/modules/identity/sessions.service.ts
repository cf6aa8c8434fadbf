import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AccountSuspendedError, TokenRevokedError } from '../../core/auth/auth.errors.js';
import type { AuthUser } from '../../core/auth/auth.types.js';
import { TokenService } from '../../core/auth/token.service.js';
import { authConfig, type AuthConfig } from '../../core/config/app.config.js';
import { durationMs } from '../../core/config/durations.js';
import type { ClientInfo } from './client-info.decorator.js';
import { RefreshTokenInvalidError, RefreshTokenReusedError, SessionNotFoundError } from './identity.errors.js';
import { RevocationList } from './revocation-list.js';
import type { SessionEndReason, SessionEntity } from './session.entity.js';
import { SessionsRepository } from './sessions.repository.js';
import type { UserEntity } from './user.entity.js';
import type { SessionDto, TokenPairDto } from './dto/auth.dto.js';

/** A random, URL-safe secret for a refresh token or a mailed link (256 bits). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** How secrets are stored: their SHA-256 (hex). A high-entropy secret needs no salt or slow hash. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Sessions: every login opens one, every token names it, ending it (logout, revoke, password change,
 * suspension, refresh-token reuse) ends its tokens at once through the revocation list.
 * - v1 (`/api/v1/auth`): a short-lived access token and an opaque refresh token, rotated on every use; a
 *   rotated token presented again ends the session (its family).
 * - RealWorld (`/api/users`, `/api/users/login`): one token living JWT_TTL, renewed by `GET /api/user`.
 */
@Injectable()
export class SessionsService {
  private readonly accessTtlMs: number;
  private readonly refreshTtlMs: number;
  private readonly realWorldTtlMs: number;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly revocations: RevocationList,
    private readonly tokens: TokenService,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {
    this.accessTtlMs = durationMs(config.accessTokenTtl);
    this.refreshTtlMs = durationMs(config.refreshTokenTtl);
    this.realWorldTtlMs = durationMs(config.jwtTtl);
  }

  /** A v1 login: a refresh session and its first token pair. */
  async openRefreshSession(user: UserEntity, client: ClientInfo): Promise<TokenPairDto> {
    const refreshToken = newSecret();
    const session = await this.sessions.transaction(async (manager) => {
      await this.sessions.pruneEnded(manager, user.id, new Date(Date.now() - this.longestTokenMs()));
      const opened = await this.sessions.open(manager, {
        userId: user.id,
        kind: 'refresh',
        client,
        expiresAt: new Date(Date.now() + this.refreshTtlMs),
      });
      await this.sessions.addRefreshToken(manager, opened.id, secretHash(refreshToken));
      return opened;
    });
    return this.pair(user, session.id, refreshToken);
  }

  /** A RealWorld login or registration: a session holding one token. */
  async openRealWorldSession(user: UserEntity, client: ClientInfo): Promise<string> {
    const session = await this.sessions.transaction(async (manager) => {
      await this.sessions.pruneEnded(manager, user.id, new Date(Date.now() - this.longestTokenMs()));
      return this.sessions.open(manager, {
        userId: user.id,
        kind: 'realworld',
        client,
        expiresAt: new Date(Date.now() + this.realWorldTtlMs),
      });
    });
    return this.tokens.sign(this.subject(user, session.id));
  }

  /**
   * A fresh token for the caller's session (`GET|PUT /api/user`). A RealWorld session slides and gets a token of
   * JWT_TTL. A v1 session gets a copy that expires when the caller's does: only a refresh (with rotation and
   * reuse detection) extends a v1 session. A session that ended, expired or is gone gets nothing (401). A token
   * from before sessions (no `sid`) is moved into a new RealWorld session, so it can be ended like any other.
   */
  async renew(user: UserEntity, caller: AuthUser, client: ClientInfo): Promise<string> {
    if (!caller.sessionId) return this.openRealWorldSession(user, client);
    const kind = await this.sessions.renew(caller.sessionId, new Date(Date.now() + this.realWorldTtlMs));
    if (kind === undefined) throw new TokenRevokedError();
    const subject = this.subject(user, caller.sessionId);
    return kind === 'refresh'
      ? this.tokens.sign(subject, this.config.accessTokenTtl, caller.expiresAt)
      : this.tokens.sign(subject);
  }

  /**
   * Exchanges a refresh token for a new pair. `loadUser` reads the account inside the same transaction, so a
   * role change or suspension since the last refresh is seen.
   */
  async refresh(
    refreshToken: string,
    client: ClientInfo,
    loadUser: (userId: string) => Promise<UserEntity | null>,
  ): Promise<TokenPairDto> {
    const next = newSecret();
    const outcome = await this.sessions.transaction(async (manager) => {
      const claim = await this.sessions.claimRefreshToken(manager, secretHash(refreshToken));
      if (claim.outcome !== 'claimed') return claim;
      const { session } = claim;
      if (session.endedAt || session.expiresAt.getTime() <= Date.now()) return { outcome: 'unknown' as const };
      const user = await loadUser(session.userId);
      if (!user) return { outcome: 'unknown' as const };
      if (user.suspendedAt) return { outcome: 'suspended' as const };
      await this.sessions.addRefreshToken(manager, session.id, secretHash(next));
      await this.sessions.touch(manager, session.id, new Date(Date.now() + this.refreshTtlMs), client);
      return { outcome: 'rotated' as const, user, session };
    });
    switch (outcome.outcome) {
      case 'rotated':
        return this.pair(outcome.user, outcome.session.id, next);
      case 'reused':
        // Outside the transaction above: the session ends even though this request fails.
        if (await this.sessions.endById(outcome.sessionId, 'refresh-reuse')) {
          await this.revocations.sessionsEnded([outcome.sessionId]);
        }
        throw new RefreshTokenReusedError();
      case 'suspended':
        throw new AccountSuspendedError();
      default:
        throw new RefreshTokenInvalidError();
    }
  }

  /** Ends the caller's own session (its access token and refresh token stop working). */
  async logout(caller: AuthUser): Promise<void> {
    if (!caller.sessionId) return;
    await this.end({ userId: caller.id, sessionId: caller.sessionId }, 'logout');
  }

  /** Ends every session of the user, or every one but `exceptSessionId`. */
  async endAll(userId: string, reason: SessionEndReason, exceptSessionId?: string): Promise<void> {
    await this.end({ userId, exceptSessionId }, reason);
  }

  /** Ends one of the caller's sessions; someone else's answers as unknown. */
  async revoke(caller: AuthUser, sessionId: string): Promise<void> {
    const ended = await this.end({ userId: caller.id, sessionId }, 'revoked');
    if (ended.length === 0) throw new SessionNotFoundError();
  }

  async list(caller: AuthUser): Promise<SessionDto[]> {
    const sessions = await this.sessions.listLive(caller.id);
    return sessions.map((session) => this.toDto(session, caller.sessionId));
  }

  /** Ids ended in an outer transaction: their tokens stop once it committed. */
  sessionsEnded(ids: string[]): Promise<void> {
    return this.revocations.sessionsEnded(ids);
  }

  private async end(
    filter: { userId: string; sessionId?: string; exceptSessionId?: string },
    reason: SessionEndReason,
  ): Promise<string[]> {
    const ended = await this.sessions.end(filter, reason);
    await this.revocations.sessionsEnded(ended);
    return ended;
  }

  private pair(user: UserEntity, sessionId: string, refreshToken: string): TokenPairDto {
    return {
      accessToken: this.tokens.sign(this.subject(user, sessionId), this.config.accessTokenTtl),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: Math.floor(this.accessTtlMs / 1000),
    };
  }

  private subject(user: UserEntity, sessionId?: string): AuthUser {
    return { id: user.id, username: user.username, role: user.role, ...(sessionId ? { sessionId } : {}) };
  }

  private longestTokenMs(): number {
    return Math.max(this.accessTtlMs, this.realWorldTtlMs);
  }

  private toDto(session: SessionEntity, currentId: string | undefined): SessionDto {
    return {
      id: session.id,
      kind: session.kind,
      device: session.device,
      ip: session.ip,
      createdAt: session.createdAt.toISOString(),
      lastUsedAt: session.lastUsedAt.toISOString(),
      expiresAt: session.expiresAt.toISOString(),
      current: session.id === currentId,
    };
  }
}
