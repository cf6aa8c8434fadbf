import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { KeyvCacheableMemory } from 'cacheable';
import { createCache, type Cache } from 'cache-manager';
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Keyv } from 'keyv';
import { cacheConfig, redisConfig, type CacheConfig, type RedisConfig } from '../config/app.config.js';
import { REDIS } from '../redis/redis.module.js';
import { RedisKeyvStore } from './redis-keyv-store.js';

/** A cached response: the JSON exactly as sent, and its strong ETag (hashed once, when stored). */
export interface CachedEntry {
  body: string;
  etag: string;
}

/** `hit`: served from a cache tier (or from a concurrent request's load); `miss`: loaded now; `bypass`: no cache. */
export type CacheStatus = 'hit' | 'miss' | 'bypass';

export interface CacheRead {
  entry: CachedEntry;
  status: CacheStatus;
}

/**
 * In every read's versions. Set to a fresh random value when the connection comes back (invalidations may have
 * been lost meanwhile); random rather than counted, as a restarted Redis may have lost the counter.
 */
const EPOCH_SCOPE = '~epoch';
/** After a cache command failed (a stalled Redis times out), reads skip the cache this long without asking. */
const BACKOFF_MS = 1_000;
/** URLs longer than this are hashed in the key. */
const MAX_KEY_URL = 200;

/**
 * Sets each scope's version to a fresh value of a global counter, in one round trip. Versions never repeat, so
 * a version key may expire (long after the entries it keyed) without an old entry ever becoming current again.
 */
const BUMP_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
for i = 2, #KEYS do redis.call('SET', KEYS[i], n, 'PX', ARGV[1]) end
return n`;

type BumpingRedis = Redis & { folioCacheBump(count: number, ...args: Array<string | number>): Promise<number> };

/**
 * The read cache: an in-process LRU (L1) in front of Redis (L2), both behind cache-manager, whose `wrap()`
 * also makes concurrent misses of one key share one load. Without Redis (embedded mode) only L1 is used.
 *
 * Invalidation is by versioned scopes: a read names the scopes its data depends on (`article:<slug>`, …); their
 * versions, read in one MGET, are part of the key. A write bumps its scopes before its response is sent, so from
 * then on every replica computes new keys and never finds the old entries, in L2 or in its own L1. When Redis is
 * unreachable or slow, reads skip the cache (they cannot know the versions) and writes skip the bump; the next
 * reconnection bumps the epoch scope, which every key contains (see docs/caching.md for the remaining window).
 */
@Injectable()
export class ReadCache implements OnApplicationShutdown {
  private readonly logger = new Logger('ReadCache');
  private readonly cache: Cache;
  private readonly redis: BumpingRedis | null;
  private readonly enabled: boolean;
  private readonly prefix: string;
  private readonly versionTtlMs: number;
  /** Embedded mode: versions live in the process. */
  private readonly localVersions = new Map<string, number>();
  private localClock = 0;
  /** A bump was lost (or the connection came back): reads bypass the cache until the epoch is bumped. */
  private epochPending = false;
  /** Counts lost bumps, so an epoch bump already under way cannot clear a loss that happened after it began. */
  private lostBumps = 0;
  private epochBump: Promise<void> | undefined;
  private skipUntil = 0;
  private sawReady = false;
  private reportedDown = false;
  /** `Cache-Control` of anonymous cached reads. */
  readonly publicCacheControl: string;

  constructor(
    @Inject(REDIS) shared: Redis | null,
    @Inject(cacheConfig.KEY) config: CacheConfig,
    @Inject(redisConfig.KEY) redis: RedisConfig,
  ) {
    this.enabled = config.ttlMs > 0;
    this.prefix = `${redis.keyPrefix}cache:`;
    // Outlives every entry keyed by the version it replaced: an entry lives at most TTL in Redis plus TTL in
    // memory once copied there; the minute covers a load still running when the bump happened.
    this.versionTtlMs = 2 * config.ttlMs + 60_000;
    this.publicCacheControl = `public, max-age=0, s-maxage=${config.sMaxAge}`;
    this.redis = shared && this.enabled ? this.connect(shared, config.redisTimeoutMs) : null;
    const l1 = new Keyv({ store: new KeyvCacheableMemory({ lruSize: config.l1MaxEntries, useClone: false }) });
    l1.serialize = undefined;
    l1.deserialize = undefined;
    l1.useKeyPrefix = false;
    const stores = [l1];
    if (this.redis) {
      const l2 = new Keyv({ store: new RedisKeyvStore(this.redis) });
      l2.useKeyPrefix = false;
      stores.push(l2);
    }
    this.cache = createCache({ stores, ttl: config.ttlMs });
  }

  /**
   * The entry for `url` under the current versions of `scopes`, loading (once per key at a time) on a miss.
   * `load` errors propagate and are not cached. Never fails because of the cache itself.
   */
  async read(url: string, scopes: readonly string[], load: () => Promise<CachedEntry>): Promise<CacheRead> {
    const versions = await this.versions(scopes);
    if (versions === undefined) return { entry: await load(), status: 'bypass' };
    const key = `${this.prefix}e:${url.length > MAX_KEY_URL ? hashUrl(url) : url}@${versions}`;
    let loaded = false;
    const entry = await this.cache.wrap(key, () => {
      loaded = true;
      return load();
    });
    return { entry, status: loaded ? 'miss' : 'hit' };
  }

  /** Makes every entry that depends on one of `scopes` unreachable, on every replica. Never throws. */
  async invalidate(scopes: readonly string[]): Promise<void> {
    if (!this.enabled || scopes.length === 0) return;
    if (!this.redis) {
      this.localClock += 1;
      for (const scope of scopes) this.localVersions.set(scope, this.localClock);
      return;
    }
    if (!(await this.bump(scopes))) this.loseBump();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis && this.redis.status !== 'end') this.redis.disconnect();
  }

  /** The versions of the epoch and of `scopes`, joined; undefined when they cannot be known now. */
  private async versions(scopes: readonly string[]): Promise<string | undefined> {
    if (!this.enabled) return undefined;
    const redis = this.redis;
    if (!redis) return scopes.reduce((joined, scope) => `${joined}.${this.localVersions.get(scope) ?? 0}`, '0');
    if (redis.status !== 'ready' || (this.skipUntil !== 0 && Date.now() < this.skipUntil)) return undefined;
    if (this.epochPending) {
      this.epochBump ??= this.bumpEpoch();
      return undefined;
    }
    try {
      const values = await redis.mget(this.versionKey(EPOCH_SCOPE), ...scopes.map((scope) => this.versionKey(scope)));
      return values.map((value) => value ?? '0').join('.');
    } catch {
      this.skipUntil = Date.now() + BACKOFF_MS;
      return undefined;
    }
  }

  private async bump(scopes: readonly string[]): Promise<boolean> {
    const redis = this.redis;
    if (!redis || redis.status !== 'ready') return false;
    try {
      const keys = scopes.map((scope) => this.versionKey(scope));
      await redis.folioCacheBump(keys.length + 1, `${this.prefix}clock`, ...keys, this.versionTtlMs);
      return true;
    } catch {
      return false;
    }
  }

  private async bumpEpoch(): Promise<void> {
    const lost = this.lostBumps;
    try {
      await this.redis?.set(this.versionKey(EPOCH_SCOPE), randomUUID());
      if (this.lostBumps === lost) this.epochPending = false;
    } catch {
      // Still pending: the next read tries again.
    } finally {
      this.epochBump = undefined;
    }
  }

  private loseBump(): void {
    this.lostBumps += 1;
    this.epochPending = true;
  }

  private versionKey(scope: string): string {
    return `${this.prefix}v:${scope}`;
  }

  /**
   * The cache's own connection: no offline queue and a command timeout, so an unreachable or stalled Redis
   * fails a cache command at once (or after the timeout) instead of holding the request.
   */
  private connect(shared: Redis, timeoutMs: number): BumpingRedis {
    const redis = shared.duplicate({
      connectionName: 'folio-cache',
      enableOfflineQueue: false,
      commandTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
    });
    redis.defineCommand('folioCacheBump', { lua: BUMP_SCRIPT });
    redis.on('ready', () => {
      this.reportedDown = false;
      if (!this.sawReady) {
        this.sawReady = true;
        return;
      }
      // Writes made while this replica could not reach Redis bumped nothing: retire every entry.
      this.loseBump();
      this.epochBump ??= this.bumpEpoch();
    });
    redis.on('error', (error: Error) => {
      if (this.reportedDown) return;
      this.reportedDown = true;
      this.logger.warn(`cache bypassed, Redis unavailable: ${error.message}`);
    });
    return redis as BumpingRedis;
  }
}

function hashUrl(url: string): string {
  return `#${createHash('sha256').update(url).digest('base64url')}`;
}
