import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { withTimeout } from '../net/with-timeout.js';

/** What one hit answers (the library's record type is not exported from its entry point). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** A Redis answer slower than this counts as an outage for that request: the limit must never add a hang. */
export const REDIS_HIT_TIMEOUT_MS = 250;

/** After a failed or slow hit, Redis is left alone this long, so an outage costs one timeout, not one per request. */
export const REDIS_RETRY_AFTER_MS = 1_000;

/**
 * One hit, atomically: a fixed window counter (`…:hits`, expiring with the window) and a block marker
 * (`…:block`) set when the limit is passed, with throttler 6's semantics: while blocked, hits are not
 * counted and the answer is "blocked until the marker expires"; the window starts afresh afterwards.
 * A block duration of 0 blocks until the window ends instead. Both keys share a hash tag (Redis Cluster).
 *
 * KEYS: hits, block. ARGV: window ms, limit, block ms.
 * Returns: total hits, ms until the window (or block) ends, 1 when blocked, ms until the block ends.
 */
export const HIT_SCRIPT = `
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local block = tonumber(ARGV[3])
local blockedFor = redis.call('PTTL', KEYS[2])
if blockedFor > 0 then
  return {limit + 1, blockedFor, 1, blockedFor}
end
local hits = redis.call('INCR', KEYS[1])
local expiresIn = redis.call('PTTL', KEYS[1])
if expiresIn < 0 then
  redis.call('PEXPIRE', KEYS[1], window)
  expiresIn = window
end
if hits > limit then
  if block > 0 then
    redis.call('SET', KEYS[2], '1', 'PX', block)
    redis.call('DEL', KEYS[1])
    return {hits, block, 1, block}
  end
  return {hits, expiresIn, 1, expiresIn}
end
return {hits, expiresIn, 0, 0}
`;

type HitReply = [number, number, number, number];
type RedisWithHit = Redis & {
  folioRateLimitHit(hitsKey: string, blockKey: string, ttl: number, limit: number, block: number): Promise<HitReply>;
};

/**
 * Throttler storage shared by every replica through the app's Redis client. Without Redis (embedded mode),
 * or while Redis is unreachable, slow or failing, it counts in this process's memory instead: limits then
 * hold per replica rather than across them, and a Redis outage never turns into an error or a wait. The
 * switch is logged once each way.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly local = new ThrottlerStorageService();
  private degraded = false;
  private skipRedisUntil = 0;

  constructor(
    private readonly redis: Redis | null,
    private readonly keyPrefix: string,
  ) {
    if (redis && !('folioRateLimitHit' in redis)) {
      // EVALSHA, with EVAL when the server does not know the script yet (after a restart or a failover).
      redis.defineCommand('folioRateLimitHit', { numberOfKeys: 2, lua: HIT_SCRIPT });
    }
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (!this.redis) return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    if (this.redis.status !== 'ready' || Date.now() < this.skipRedisUntil) {
      // Reconnecting, or just failed: answering from memory now beats queueing behind the reconnection.
      this.degrade(`Redis is ${this.redis.status}`);
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
    try {
      const record = await this.hitRedis(this.redis as RedisWithHit, key, ttl, limit, blockDuration);
      if (this.degraded) {
        this.degraded = false;
        this.logger.log('rate limits are shared through Redis again');
      }
      return record;
    } catch (error) {
      this.skipRedisUntil = Date.now() + REDIS_RETRY_AFTER_MS;
      this.degrade((error as Error).message);
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
  }

  private async hitRedis(
    redis: RedisWithHit,
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): Promise<ThrottlerStorageRecord> {
    const base = `${this.keyPrefix}ratelimit:{${key}}`;
    const hit = redis.folioRateLimitHit(`${base}:hits`, `${base}:block`, ttl, limit, Math.max(0, blockDuration));
    const [totalHits, expiresInMs, blocked, blockExpiresInMs] = await withTimeout(hit, REDIS_HIT_TIMEOUT_MS);
    return {
      totalHits,
      timeToExpire: Math.ceil(expiresInMs / 1000),
      isBlocked: blocked === 1,
      timeToBlockExpire: Math.ceil(blockExpiresInMs / 1000),
    };
  }

  private degrade(reason: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(`rate limits are counted per instance, in memory, until Redis answers again: ${reason}`);
  }
}
