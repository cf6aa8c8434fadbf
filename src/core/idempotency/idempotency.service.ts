import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import { idempotencyConfig, redisConfig, type IdempotencyConfig, type RedisConfig } from '../config/app.config.js';
import { FolioMetrics } from '../metrics/folio-metrics.js';
import { withTimeout } from '../net/with-timeout.js';
import { REDIS } from '../redis/redis.module.js';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError } from './idempotency.errors.js';
import { fingerprintOf, scopeOf, type IdempotentRequest } from './idempotency-key.js';
import {
  MemoryIdempotencyStore,
  RedisIdempotencyStore,
  type IdempotencyStore,
  type InFlightRecord,
  type StoredResponse,
} from './idempotency.store.js';

/** Response headers that describe the answer itself, replayed with it. Per-request ones (request id, rate limits, caching, length, coding) are set afresh. */
export const REPLAYED_HEADERS = [
  'content-type',
  'content-language',
  'content-location',
  'location',
  'etag',
  'last-modified',
  'link',
  'deprecation',
  'sunset',
  'set-cookie',
] as const;

/** After a failed store command, the store is left alone this long: an outage costs one timeout, not one per write. */
export const STORE_RETRY_AFTER_MS = 1_000;
/** Longest time a claim is renewed: far beyond any request (statements time out in seconds). */
const MAX_HOLD_MS = 10 * 60_000;
/** At boot, the longest wait for the store's Redis connection before serving without it. */
const CONNECT_WAIT_MS = 2_000;

/** What a request with a key holds between the interceptor and the answer. */
interface ActiveClaim {
  scope: string;
  claim: InFlightRecord;
  /** Absent for a claim whose command timed out (not known to be held: nothing to renew). */
  renewal?: NodeJS.Timeout;
}

export type StoreOperation = 'claim' | 'renew' | 'complete' | 'release';

/**
 * Idempotency keys (docs/idempotency.md). `begin()` runs in the interceptor, after the guards: it claims the
 * caller's key atomically, or says what to replay, or refuses. The answer is captured in Fastify's `onSend`
 * (after the error filter, before compression), stored for `IDEMPOTENCY_TTL_SECONDS` when final (2xx, 3xx, 4xx
 * but 429), and the claim released for a 5xx so the client may retry. A claim is renewed while its request
 * runs and expires `IDEMPOTENCY_LOCK_TTL_SECONDS` after its process died.
 *
 * The store is Redis with `REDIS_URL` (its own connection: no offline queue, a command timeout), this process's
 * memory without. A store that fails never fails a write: the request goes through without idempotency, with a
 * warning in the log and `folio_idempotency_store_errors_total` counted.
 */
@Injectable()
export class Idempotency implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private readonly claims = new WeakMap<FastifyRequest, ActiveClaim>();
  private readonly requests: Counter<'outcome'>;
  private readonly storeErrors: Counter<'operation'>;
  private store: IdempotencyStore | undefined;
  private connection: Redis | undefined;
  private skipStoreUntil = 0;
  private degraded = false;

  constructor(
    @Inject(idempotencyConfig.KEY) private readonly config: IdempotencyConfig,
    @Inject(redisConfig.KEY) private readonly redisSettings: RedisConfig,
    @Inject(REDIS) private readonly shared: Redis | null,
    metrics: FolioMetrics,
    // Absent in an application context without HTTP (the worker process): then there is nothing to do.
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    this.requests = new Counter({
      name: 'folio_idempotency_requests_total',
      help: 'Writes sent with an Idempotency-Key, by outcome (executed, replayed, in_use, reused, bypassed).',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
    this.storeErrors = new Counter({
      name: 'folio_idempotency_store_errors_total',
      help: 'Idempotency store commands that failed or timed out, by operation; the writes went through regardless.',
      labelNames: ['operation'] as const,
      registers: [metrics.registry],
    });
  }

  /** Whether keys are honoured in this process (an HTTP application). */
  get active(): boolean {
    return this.store !== undefined;
  }

  async onModuleInit(): Promise<void> {
    const adapter = this.adapterHost?.httpAdapter;
    if (!adapter) return;
    this.store = this.shared ? this.redisStore(this.shared) : new MemoryIdempotencyStore(this.config.memoryMaxEntries);
    const fastify = adapter.getInstance<FastifyInstance>();
    // App-wide onSend hooks run before the route-level one of compression: the payload is the identity coding.
    fastify.addHook('onSend', async (request, reply, payload) => {
      await this.settle(request, reply, payload);
      return payload;
    });
    // Safety net: a claim still held once the answer is out (an answer that skipped onSend) is freed.
    fastify.addHook('onResponse', async (request) => {
      const active = this.claims.get(request);
      if (active) await this.release(request, active);
    });
    if (this.connection && this.connection.status !== 'ready') await this.connected(this.connection);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connection && this.connection.status !== 'end') this.connection.disconnect();
  }

  /**
   * Takes the key for this request. Answers the stored response to replay, or undefined when the handler is to
   * run (the key claimed, or the store unavailable). Throws 422 when the key was used for another request and
   * 409 while a request with the key is still running.
   */
  async begin(request: FastifyRequest, idempotent: IdempotentRequest): Promise<StoredResponse | undefined> {
    const store = this.usableStore();
    if (!store) {
      this.requests.inc({ outcome: 'bypassed' });
      return undefined;
    }
    const scope = scopeOf(idempotent);
    const claim: InFlightRecord = { state: 'in_flight', fingerprint: fingerprintOf(idempotent), token: randomUUID() };
    let current;
    try {
      current = await this.timed(store.claim(scope, claim, this.config.lockTtlMs));
    } catch (error) {
      this.fail('claim', error);
      this.requests.inc({ outcome: 'bypassed' });
      // A claim that timed out may still run on a stalled Redis. The answer is then completed (or released)
      // with the same token on the same connection, hence after it: if the claim landed, a retry finds the
      // answer rather than a claim left to expire. If it did not, the token matches nothing and nothing happens.
      if (isTimeout(error)) this.claims.set(request, { scope, claim });
      return undefined;
    }
    this.recovered();
    if (current === null) {
      this.claims.set(request, { scope, claim, renewal: this.renewEvery(store, scope, claim) });
      this.requests.inc({ outcome: 'executed' });
      return undefined;
    }
    if (current.fingerprint !== claim.fingerprint) {
      this.requests.inc({ outcome: 'reused' });
      throw new IdempotencyKeyReusedError();
    }
    if (current.state === 'in_flight') {
      this.requests.inc({ outcome: 'in_use' });
      throw new IdempotencyKeyInUseError();
    }
    this.requests.inc({ outcome: 'replayed' });
    return current.response;
  }

  /** The answer of a claimed request is leaving: stored when final, the claim released otherwise. */
  private async settle(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<void> {
    const active = this.claims.get(request);
    if (!active) return;
    const status = reply.statusCode;
    const body = bodyOf(payload);
    if (!isFinal(status) || body === undefined) {
      await this.release(request, active);
      return;
    }
    this.claims.delete(request);
    clearInterval(active.renewal);
    const response: StoredResponse = { status, headers: replayedHeaders(reply), body };
    const record = { state: 'completed' as const, fingerprint: active.claim.fingerprint, response };
    try {
      const stored = await this.timed(
        this.storeOrThrow().complete(active.scope, active.claim, record, this.config.ttlMs),
      );
      // Lost when the lock expired while the request ran (a pause longer than the lock's TTL): nothing to undo.
      if (!stored && active.renewal) {
        this.logger.warn({ requestId: request.id }, 'idempotency claim expired before the answer was stored');
      }
    } catch (error) {
      // The key stays claimed until the lock expires: a retry meanwhile is 409, never a second write.
      this.fail('complete', error);
    }
  }

  private async release(request: FastifyRequest, active: ActiveClaim): Promise<void> {
    this.claims.delete(request);
    clearInterval(active.renewal);
    try {
      await this.timed(this.storeOrThrow().release(active.scope, active.claim));
    } catch (error) {
      // The claim expires by itself after the lock's TTL.
      this.fail('release', error);
    }
  }

  /** Keeps a claim alive while its request runs, so only a dead process lets it expire. */
  private renewEvery(store: IdempotencyStore, scope: string, claim: InFlightRecord): NodeJS.Timeout {
    const lockMs = this.config.lockTtlMs;
    const until = Date.now() + MAX_HOLD_MS;
    const timer = setInterval(
      () => {
        // A request whose answer never leaves (a hung handler) must not hold its key for ever.
        if (Date.now() > until) return clearInterval(timer);
        this.timed(store.renew(scope, claim, lockMs)).then(
          (held) => {
            if (!held) clearInterval(timer);
          },
          (error: unknown) => this.fail('renew', error),
        );
      },
      Math.max(1, Math.floor(lockMs / 3)),
    );
    timer.unref();
    return timer;
  }

  /** The store, unless it failed a moment ago or its connection is down (then a write does not wait for it). */
  private usableStore(): IdempotencyStore | undefined {
    if (!this.store) return undefined;
    if (this.connection && this.connection.status !== 'ready') {
      this.fail('claim', new Error(`Redis is ${this.connection.status}`));
      return undefined;
    }
    if (Date.now() < this.skipStoreUntil) {
      this.storeErrors.inc({ operation: 'claim' });
      return undefined;
    }
    return this.store;
  }

  private storeOrThrow(): IdempotencyStore {
    if (!this.store) throw new Error('the idempotency store is not initialised');
    return this.store;
  }

  private timed<T>(operation: Promise<T>): Promise<T> {
    return this.connection ? withTimeout(operation, this.config.redisTimeoutMs) : operation;
  }

  private fail(operation: StoreOperation, error: unknown): void {
    this.storeErrors.inc({ operation });
    this.skipStoreUntil = Date.now() + STORE_RETRY_AFTER_MS;
    this.warnDegraded(`${operation}: ${(error as Error).message}`);
  }

  /** Logged once per outage. */
  private warnDegraded(reason: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(
      `idempotency store unavailable (${reason}); writes go through without Idempotency-Key protection until it answers again`,
    );
  }

  private recovered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.logger.log('idempotency store available again');
  }

  /**
   * The store's own connection: no offline queue and a command timeout, so an unreachable or stalled Redis
   * fails a command at once (or after the timeout) instead of holding the write.
   */
  private redisStore(shared: Redis): RedisIdempotencyStore {
    const connection = shared.duplicate({
      connectionName: 'folio-idempotency',
      enableOfflineQueue: false,
      commandTimeout: this.config.redisTimeoutMs,
      maxRetriesPerRequest: 0,
    });
    connection.on('error', (error: Error) => this.warnDegraded(error.message));
    this.connection = connection;
    return new RedisIdempotencyStore(connection, this.redisSettings.keyPrefix);
  }

  /** Resolves once the connection is ready, has failed, or after a short wait: a start never hangs on Redis. */
  private connected(connection: Redis): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        connection.off('ready', done);
        connection.off('error', done);
        resolve();
      };
      const timer = setTimeout(done, CONNECT_WAIT_MS);
      connection.once('ready', done);
      connection.once('error', done);
    });
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && /timed out|no answer within/i.test(error.message);
}

/** Stored as final: a success, a redirect, or a client error the same request would get again (not 429). */
export function isFinal(status: number): boolean {
  return status < 500 && status !== 429;
}

/** The payload's bytes as base64; undefined for what cannot be stored (a stream). */
function bodyOf(payload: unknown): string | undefined {
  if (payload === undefined || payload === null) return '';
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8').toString('base64');
  if (Buffer.isBuffer(payload)) return payload.toString('base64');
  return undefined;
}

function replayedHeaders(reply: FastifyReply): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return headers;
}
