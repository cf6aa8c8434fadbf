import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { databaseConfig, redisConfig, type DatabaseConfig, type RedisConfig } from '../config/app.config.js';
import { REDIS } from '../redis/redis.module.js';
import { withTimeout } from '../net/with-timeout.js';

/** A Redis answer slower than this counts as a failure: the request reads the primary instead of waiting. */
const REDIS_TIMEOUT_MS = 250;
/** In-process markers are pruned once the map holds this many. */
const PRUNE_AT = 10_000;

/**
 * Who wrote recently: the read-your-writes marker. After an authenticated caller's unsafe request, its
 * reads go to the primary for `READ_YOUR_WRITES_WINDOW_MS`, long enough for the replicas to have replayed
 * the write. Kept in Redis (`<prefix>ryw:<user id>`, expiring by itself) so that every app instance sees it;
 * in-process without Redis.
 *
 * Every failure leans towards the primary: a marker Redis could not store, or a lookup Redis could not
 * answer, sends this process's replica-eligible reads to the primary for one window.
 */
@Injectable()
export class RecentWriters {
  private readonly logger = new Logger('ReadYourWrites');
  private readonly local = new Map<string, number>();
  private primaryOnlyUntil = 0;
  readonly windowMs: number;

  constructor(
    @Inject(databaseConfig.KEY) config: DatabaseConfig,
    @Inject(redisConfig.KEY) private readonly redisSettings: RedisConfig,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {
    this.windowMs = config.readYourWritesWindowMs;
  }

  /** Records that `userId` just wrote. Awaited before the write's response is sent; never throws. */
  async mark(userId: string): Promise<void> {
    if (this.windowMs === 0) return;
    const now = Date.now();
    this.local.set(userId, now + this.windowMs);
    if (this.local.size > PRUNE_AT) this.prune(now);
    if (!this.redis) return;
    try {
      await withTimeout(this.redis.set(this.key(userId), String(now), 'PX', this.windowMs), REDIS_TIMEOUT_MS);
    } catch (error) {
      this.degrade(error);
    }
  }

  /** Whether `userId`'s reads must go to the primary now. Never throws: unknown means yes. */
  async wroteRecently(userId: string): Promise<boolean> {
    if (this.windowMs === 0) return false;
    const now = Date.now();
    if (now < this.primaryOnlyUntil) return true;
    if ((this.local.get(userId) ?? 0) > now) return true;
    if (!this.redis) return false;
    try {
      return (await withTimeout(this.redis.exists(this.key(userId)), REDIS_TIMEOUT_MS)) === 1;
    } catch (error) {
      this.degrade(error);
      return true;
    }
  }

  private key(userId: string): string {
    return `${this.redisSettings.keyPrefix}ryw:${userId}`;
  }

  private degrade(error: unknown): void {
    if (Date.now() >= this.primaryOnlyUntil) {
      this.logger.warn(
        `read-your-writes marker unavailable (${error instanceof Error ? error.message : String(error)}); ` +
          `reads go to the primary for ${this.windowMs} ms`,
      );
    }
    this.primaryOnlyUntil = Date.now() + this.windowMs;
  }

  private prune(now: number): void {
    for (const [userId, until] of this.local) if (until <= now) this.local.delete(userId);
  }
}
