import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseConfig, RedisConfig } from '../config/app.config.js';
import { RecentWriters } from './recent-writers.js';

const redisSettings = { url: undefined, keyPrefix: 'unit:' } as RedisConfig;

function writers(redis: Redis | null, windowMs = 5_000): RecentWriters {
  return new RecentWriters({ readYourWritesWindowMs: windowMs } as DatabaseConfig, redisSettings, redis);
}

describe('RecentWriters', () => {
  let redis: Redis | undefined;
  afterEach(() => redis?.disconnect());

  it('remembers writers in-process without Redis, per user', async () => {
    const recent = writers(null);
    await recent.mark('alice');
    expect(await recent.wroteRecently('alice')).toBe(true);
    expect(await recent.wroteRecently('bob')).toBe(false);
  });

  it('does nothing with a window of 0', async () => {
    const recent = writers(null, 0);
    await recent.mark('alice');
    expect(await recent.wroteRecently('alice')).toBe(false);
  });

  it('never throws when Redis cannot answer, and then sends everyone to the primary', async () => {
    // A real client towards a port nobody listens on: every command fails or times out.
    redis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    const recent = writers(redis);
    await expect(recent.wroteRecently('bob')).resolves.toBe(true);
    await expect(recent.mark('alice')).resolves.toBeUndefined();
    expect(await recent.wroteRecently('carol')).toBe(true);
  });
});
