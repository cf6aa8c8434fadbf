import { CacheableMemory } from 'cacheable';
import type { Redis } from 'ioredis';

/** An answer as it left the handler (or the error filter), before compression. */
export interface StoredResponse {
  status: number;
  /** The representation headers worth replaying (content-type, location, etag…), lowercased names. */
  headers: Record<string, string | string[]>;
  /** The body's bytes, base64. Empty for a 204. */
  body: string;
}

/** A request holds the key: the token tells this claim from a later one after the lock expired. */
export interface InFlightRecord {
  state: 'in_flight';
  fingerprint: string;
  token: string;
}

export interface CompletedRecord {
  state: 'completed';
  fingerprint: string;
  response: StoredResponse;
}

export type IdempotencyRecord = InFlightRecord | CompletedRecord;

/**
 * Where keys live: Redis, shared by every replica, or this process's memory (embedded mode). Each operation
 * is atomic. A failing backend throws; the caller decides what a failure means (never the loss of a write).
 */
export interface IdempotencyStore {
  /** Claims `scope` for `lockMs` when nothing is stored there; otherwise answers what is (nothing is changed). */
  claim(scope: string, claim: InFlightRecord, lockMs: number): Promise<IdempotencyRecord | null>;
  /** Extends a claim still held; false when it was lost (expired, or claimed again since). */
  renew(scope: string, claim: InFlightRecord, lockMs: number): Promise<boolean>;
  /** Replaces a claim still held by the completed answer, kept `ttlMs`; false when the claim was lost. */
  complete(scope: string, claim: InFlightRecord, record: CompletedRecord, ttlMs: number): Promise<boolean>;
  /** Frees a claim still held, so the client may retry at once. */
  release(scope: string, claim: InFlightRecord): Promise<void>;
}

/**
 * Atomic claim: the record already stored, or nothing after setting the claim with its expiry. The equivalent
 * of `SET NX PX` that also answers what won, in one round trip and without a gap between the two.
 * KEYS: record. ARGV: claim, lock ms.
 */
const CLAIM_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

/** KEYS: record. ARGV: the claim as stored, the completed record, its ttl ms. */
const COMPLETE_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

/** KEYS: record. ARGV: the claim as stored, lock ms. */
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])`;

/** KEYS: record. ARGV: the claim as stored. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`;

type ScriptedRedis = Redis & {
  folioIdempotencyClaim(key: string, claim: string, lockMs: number): Promise<string | null>;
  folioIdempotencyComplete(key: string, claim: string, record: string, ttlMs: number): Promise<number>;
  folioIdempotencyRenew(key: string, claim: string, lockMs: number): Promise<number>;
  folioIdempotencyRelease(key: string, claim: string): Promise<number>;
};

/** Records as JSON under `<REDIS_KEY_PREFIX>idempotency:<scope>`, each with its own expiry. */
export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
  ) {
    // EVALSHA, with EVAL when the server does not know a script yet (after a restart or a failover).
    redis.defineCommand('folioIdempotencyClaim', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
    redis.defineCommand('folioIdempotencyComplete', { numberOfKeys: 1, lua: COMPLETE_SCRIPT });
    redis.defineCommand('folioIdempotencyRenew', { numberOfKeys: 1, lua: RENEW_SCRIPT });
    redis.defineCommand('folioIdempotencyRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.redis = redis as ScriptedRedis;
  }

  async claim(scope: string, claim: InFlightRecord, lockMs: number): Promise<IdempotencyRecord | null> {
    const current = await this.redis.folioIdempotencyClaim(this.key(scope), JSON.stringify(claim), lockMs);
    return current === null ? null : parseRecord(current);
  }

  async renew(scope: string, claim: InFlightRecord, lockMs: number): Promise<boolean> {
    return (await this.redis.folioIdempotencyRenew(this.key(scope), JSON.stringify(claim), lockMs)) === 1;
  }

  async complete(scope: string, claim: InFlightRecord, record: CompletedRecord, ttlMs: number): Promise<boolean> {
    const stored = JSON.stringify(claim);
    return (await this.redis.folioIdempotencyComplete(this.key(scope), stored, JSON.stringify(record), ttlMs)) === 1;
  }

  async release(scope: string, claim: InFlightRecord): Promise<void> {
    await this.redis.folioIdempotencyRelease(this.key(scope), JSON.stringify(claim));
  }

  private key(scope: string): string {
    return `${this.keyPrefix}idempotency:${scope}`;
  }
}

/** Claims held before expired ones are swept: far more than one process serves at once. */
const SWEEP_AT = 1_000;

/** A stored record, checked: anything else under the key is a store failure, never a reason to refuse a write. */
function parseRecord(text: string): IdempotencyRecord {
  const record = JSON.parse(text) as Partial<CompletedRecord> | Partial<InFlightRecord>;
  const valid =
    typeof record.fingerprint === 'string' &&
    (record.state === 'in_flight' || (record.state === 'completed' && typeof record.response?.status === 'number'));
  if (!valid) throw new Error('unexpected idempotency record');
  return record as IdempotencyRecord;
}

interface HeldClaim {
  claim: InFlightRecord;
  expiresAt: number;
}

/**
 * One process's store (embedded mode). Completed answers sit in an LRU with per-entry expiry (cacheable's
 * CacheableMemory, as the read cache's memory tier): at most `maxEntries`, the least recently used dropped
 * first. Claims are kept apart, in a map bounded by the requests in flight, so no eviction can free a key
 * whose first request is still running.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly completed: CacheableMemory;
  private readonly claims = new Map<string, HeldClaim>();
  private sweepAt = SWEEP_AT;

  constructor(maxEntries: number) {
    this.completed = new CacheableMemory({ lruSize: maxEntries, useClone: false });
  }

  async claim(scope: string, claim: InFlightRecord, lockMs: number): Promise<IdempotencyRecord | null> {
    const completed = this.completed.get<CompletedRecord>(scope);
    if (completed) return completed;
    const held = this.held(scope);
    if (held) return held.claim;
    if (this.claims.size >= this.sweepAt) this.sweep();
    this.claims.set(scope, { claim, expiresAt: Date.now() + lockMs });
    return null;
  }

  async renew(scope: string, claim: InFlightRecord, lockMs: number): Promise<boolean> {
    const held = this.held(scope);
    if (held?.claim.token !== claim.token) return false;
    held.expiresAt = Date.now() + lockMs;
    return true;
  }

  async complete(scope: string, claim: InFlightRecord, record: CompletedRecord, ttlMs: number): Promise<boolean> {
    if (this.held(scope)?.claim.token !== claim.token) return false;
    this.claims.delete(scope);
    this.completed.set(scope, record, ttlMs);
    return true;
  }

  async release(scope: string, claim: InFlightRecord): Promise<void> {
    if (this.held(scope)?.claim.token === claim.token) this.claims.delete(scope);
  }

  /** Drops expired claims (a request whose answer never came: its claim is only read again on a retry). */
  private sweep(): void {
    const now = Date.now();
    for (const [scope, held] of this.claims) if (held.expiresAt <= now) this.claims.delete(scope);
    // Amortised: with many requests really in flight, the next sweep waits until their number doubles.
    this.sweepAt = Math.max(SWEEP_AT, this.claims.size * 2);
  }

  /** The claim on `scope` if it has not expired (an expired one is dropped). */
  private held(scope: string): HeldClaim | undefined {
    const held = this.claims.get(scope);
    if (held && held.expiresAt <= Date.now()) {
      this.claims.delete(scope);
      return undefined;
    }
    return held;
  }
}
