import type { Redis } from 'ioredis';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

/**
 * A Keyv store on the cache's own ioredis connection (the second tier of cache-manager). It never throws: a
 * failed or slow command (the connection has no offline queue and a command timeout) reads as a miss or a
 * skipped write, so a Redis outage costs a database read, never an error. Keys arrive fully prefixed.
 */
export class RedisKeyvStore implements KeyvStoreAdapter {
  opts = {};
  namespace?: string;

  constructor(private readonly redis: Redis) {}

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    if (this.redis.status !== 'ready') return undefined;
    try {
      return ((await this.redis.get(key)) ?? undefined) as StoredData<Value> | undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    if (this.redis.status !== 'ready' || typeof value !== 'string') return false;
    try {
      await (ttl ? this.redis.set(key, value, 'PX', ttl) : this.redis.set(key, value));
      return true;
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<boolean> {
    if (this.redis.status !== 'ready') return false;
    try {
      return (await this.redis.del(key)) > 0;
    } catch {
      return false;
    }
  }

  /** Never clears: the server may hold other keys. Entries expire, and version bumps make them unreachable. */
  async clear(): Promise<void> {}

  on(): this {
    return this;
  }
}
