import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../core/auth/auth.types.js';
import type { TokenRevocation } from '../../core/auth/token-subjects.js';
import { authConfig, redisConfig, type AuthConfig, type RedisConfig } from '../../core/config/app.config.js';
import { durationMs } from '../../core/config/durations.js';
import { REDIS } from '../../core/redis/redis.module.js';
import { withTimeout } from '../../core/net/with-timeout.js';

/**
 * Which sessions have ended and which accounts are suspended, answered on every authenticated request without
 * touching the database: one `MGET` of two keys on Redis (shared by every api process), or two in-process
 * lookups in embedded mode (one process). The database (`sessions.ended_at`, `users.suspended_at`) stays the
 * source of truth: the list is filled from it at boot and whenever Redis (re)connects, an ended session's entry
 * lives as long as any token could (the longest token lifetime), and when Redis does not answer in time the
 * check falls back to one primary-key read instead of letting a revoked token through. A revocation Redis did
 * not take (a write refused or timed out while reads work) makes every check ask the database until a reload
 * from it succeeds (retried every RELOAD_RETRY_MS): a logout or a suspension is never lost.
 */
/** How often a failed reload is tried again. */
const RELOAD_RETRY_MS = 2_000;

@Injectable()
export class RevocationList implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RevocationList');
  private readonly entryTtlMs: number;
  private readonly timeoutMs: number;
  /** Embedded mode: ended session id → when its entry may go; suspended user ids. */
  private readonly endedSessions = new Map<string, number>();
  private readonly suspendedUsers = new Set<string>();
  /** A revocation is in the database but maybe not in Redis: checks read the database. */
  private stale = false;
  private reloading: NodeJS.Timeout | undefined;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(redisConfig.KEY) private readonly redisSettings: RedisConfig,
    @Inject(authConfig.KEY) auth: AuthConfig,
  ) {
    this.timeoutMs = auth.revocationTimeoutMs;
    this.entryTtlMs = Math.max(durationMs(auth.jwtTtl), durationMs(auth.accessTokenTtl));
  }

  onApplicationShutdown(): void {
    clearTimeout(this.reloading);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.redis?.on('ready', () => {
      this.load().catch((error: Error) => this.logger.warn(`revocation list not reloaded: ${error.message}`));
    });
    await this.load();
  }

  async check(user: AuthUser): Promise<TokenRevocation | undefined> {
    if (!this.redis) return this.verdict(this.suspendedUsers.has(user.id), this.endedInProcess(user.sessionId));
    if (this.stale) return this.fromDatabase(user);
    try {
      const [session, suspended] = await withTimeout(
        this.redis.mget(this.sessionKey(user.sessionId ?? '-'), this.userKey(user.id)),
        this.timeoutMs,
      );
      return this.verdict(suspended !== null, session !== null);
    } catch (error) {
      this.logger.warn(`revocation list unavailable, asking the database: ${(error as Error).message}`);
      return this.fromDatabase(user);
    }
  }

  /** Called after the sessions' `ended_at` is committed. */
  async sessionsEnded(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    if (!this.redis) {
      const until = Date.now() + this.entryTtlMs;
      for (const id of ids) this.endedSessions.set(id, until);
      return;
    }
    await this.write((pipeline) => {
      for (const id of ids) pipeline.set(this.sessionKey(id), '1', 'PX', this.entryTtlMs);
    });
  }

  /** Called after `suspended_at` is committed (set or cleared). */
  async suspensionChanged(userId: string, suspended: boolean): Promise<void> {
    if (!this.redis) {
      if (suspended) this.suspendedUsers.add(userId);
      else this.suspendedUsers.delete(userId);
      return;
    }
    await this.write((pipeline) => {
      if (suspended) pipeline.set(this.userKey(userId), '1');
      else pipeline.del(this.userKey(userId));
    });
  }

  private verdict(suspended: boolean, sessionEnded: boolean): TokenRevocation | undefined {
    if (suspended) return 'account-suspended';
    return sessionEnded ? 'session-revoked' : undefined;
  }

  private endedInProcess(sessionId: string | undefined): boolean {
    if (!sessionId) return false;
    const until = this.endedSessions.get(sessionId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.endedSessions.delete(sessionId);
    return false;
  }

  /** Runs the commands; answers the error when one failed (or Redis did not answer in time). */
  private async run(commands: (pipeline: ReturnType<Redis['pipeline']>) => void): Promise<Error | undefined> {
    const pipeline = this.redis!.pipeline();
    commands(pipeline);
    try {
      const results = await withTimeout(pipeline.exec(), this.timeoutMs * 4);
      const failed = results?.find(([error]) => error);
      return failed ? (failed[0] as Error) : undefined;
    } catch (error) {
      return error as Error;
    }
  }

  /** A failed write is logged, not thrown: the database has it, and checks ask it until a reload succeeds. */
  private async write(commands: (pipeline: ReturnType<Redis['pipeline']>) => void): Promise<void> {
    const error = await this.run(commands);
    if (!error) return;
    this.logger.error(`revocation not written to Redis; checks ask the database until a reload: ${error.message}`);
    this.stale = true;
    this.scheduleReload();
  }

  private scheduleReload(): void {
    if (this.reloading) return;
    this.reloading = setTimeout(() => {
      this.load().then(
        () => {
          this.reloading = undefined;
          if (this.stale) this.scheduleReload();
        },
        (error: Error) => {
          this.logger.warn(`revocation list not reloaded: ${error.message}`);
          this.reloading = undefined;
          this.scheduleReload();
        },
      );
    }, RELOAD_RETRY_MS);
    this.reloading.unref();
  }

  /** Every session ended within an entry's lifetime, and every suspended account. */
  private async load(): Promise<void> {
    const since = new Date(Date.now() - this.entryTtlMs);
    const sessions = await this.dataSource.query<Array<{ id: string; ended_at: Date }>>(
      `SELECT id, ended_at FROM sessions WHERE ended_at > $1`,
      [since],
    );
    const users = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM users WHERE suspended_at IS NOT NULL`,
    );
    if (!this.redis) {
      this.suspendedUsers.clear();
      for (const { id } of users) this.suspendedUsers.add(id);
      for (const { id, ended_at } of sessions) this.endedSessions.set(id, ended_at.getTime() + this.entryTtlMs);
      return;
    }
    if (this.redis.status !== 'ready') return; // loaded by the 'ready' handler instead
    const error = await this.run((pipeline) => {
      for (const { id, ended_at } of sessions) {
        const left = ended_at.getTime() + this.entryTtlMs - Date.now();
        if (left > 0) pipeline.set(this.sessionKey(id), '1', 'PX', left);
      }
      for (const { id } of users) pipeline.set(this.userKey(id), '1');
    });
    if (error) throw error;
    this.stale = false;
  }

  private async fromDatabase(user: AuthUser): Promise<TokenRevocation | undefined> {
    const [row] = await this.dataSource.query<Array<{ suspended: boolean; ended: boolean }>>(
      `SELECT u.suspended_at IS NOT NULL AS suspended,
              EXISTS (SELECT 1 FROM sessions s WHERE s.id = $2 AND s.ended_at IS NOT NULL) AS ended
         FROM users u WHERE u.id = $1`,
      [user.id, user.sessionId ?? null],
    );
    return this.verdict(row?.suspended ?? false, row?.ended ?? false);
  }

  private sessionKey(sessionId: string): string {
    return `${this.redisSettings.keyPrefix}auth:ended-session:${sessionId}`;
  }

  private userKey(userId: string): string {
    return `${this.redisSettings.keyPrefix}auth:suspended-user:${userId}`;
  }
}
