import { describe, expect, it, vi } from 'vitest';
import type { CacheConfig, RedisConfig } from '../config/app.config.js';
import { ReadCache, type CachedEntry } from './read-cache.service.js';

/** Embedded mode (no Redis): the in-process tier and in-process versions. Redis is covered by the e2e tests. */
function embeddedCache(overrides: Partial<CacheConfig> = {}): ReadCache {
  const config: CacheConfig = {
    ttlMs: 60_000,
    l1MaxEntries: 100,
    redisTimeoutMs: 100,
    sMaxAge: 5,
    ...overrides,
  };
  const redis: RedisConfig = { url: undefined, keyPrefix: 'unit:' };
  return new ReadCache(null, config, redis);
}

const entry = (body: string): CachedEntry => ({ body, etag: `"${body}"` });

describe('ReadCache (embedded mode)', () => {
  it('loads on a miss, then serves the stored entry', async () => {
    const cache = embeddedCache();
    const load = vi.fn(async () => entry('one'));
    expect(await cache.read('/a', ['s'], load)).toEqual({ entry: entry('one'), status: 'miss' });
    expect(await cache.read('/a', ['s'], load)).toEqual({ entry: entry('one'), status: 'hit' });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('loads again once a scope of the read was invalidated, and only then', async () => {
    const cache = embeddedCache();
    await cache.read('/a', ['s', 't'], async () => entry('v1'));
    await cache.invalidate(['other']);
    expect((await cache.read('/a', ['s', 't'], async () => entry('v2'))).entry.body).toBe('v1');
    await cache.invalidate(['t']);
    expect(await cache.read('/a', ['s', 't'], async () => entry('v2'))).toEqual({ entry: entry('v2'), status: 'miss' });
  });

  it('shares one load between concurrent misses of a key', async () => {
    const cache = embeddedCache();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const load = vi.fn(async () => {
      await gate;
      return entry('shared');
    });
    const reads = Array.from({ length: 5 }, () => cache.read('/hot', ['s'], load));
    release();
    const results = await Promise.all(reads);
    expect(load).toHaveBeenCalledTimes(1);
    expect(results.map((result) => result.status).sort()).toEqual(['hit', 'hit', 'hit', 'hit', 'miss']);
  });

  it('does not store a failed load', async () => {
    const cache = embeddedCache();
    await expect(cache.read('/e', ['s'], async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await cache.read('/e', ['s'], async () => entry('ok'))).status).toBe('miss');
  });

  it('keys long URLs by their hash', async () => {
    const cache = embeddedCache();
    const long = `/a?q=${'x'.repeat(500)}`;
    await cache.read(long, ['s'], async () => entry('long'));
    expect((await cache.read(long, ['s'], async () => entry('other'))).entry.body).toBe('long');
    expect((await cache.read(`${long}y`, ['s'], async () => entry('other'))).entry.body).toBe('other');
  });

  it('bypasses everything when the TTL is 0', async () => {
    const cache = embeddedCache({ ttlMs: 0 });
    const load = vi.fn(async () => entry('x'));
    expect((await cache.read('/a', ['s'], load)).status).toBe('bypass');
    expect((await cache.read('/a', ['s'], load)).status).toBe('bypass');
    expect(load).toHaveBeenCalledTimes(2);
    expect(cache.publicCacheControl).toBe('public, max-age=0, s-maxage=5');
  });
});
