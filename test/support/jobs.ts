import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { resetEnvironment } from '../../src/core/config/app.config.js';
import { createScratchDatabase } from '../setup/test-database.js';

export interface JobsEnvironmentOptions {
  /** BullMQ's backend: Redis (REDIS_URL set) or PostgreSQL (no REDIS_URL, as in embedded mode). */
  backend: 'redis' | 'postgres';
  /** Whether this app runs the workers and the relay itself (default true). */
  inProcessWorker?: boolean;
}

/**
 * A database and a Redis prefix of this file's own, for suites that run workers: a relay or a worker takes
 * whatever is pending in its database and queues, so sharing the run's would let suites steal each other's
 * messages and jobs. Sets the environment the next createApp() reads; returns the cleanup.
 */
export async function useOwnJobsEnvironment(
  label: string,
  options: JobsEnvironmentOptions,
): Promise<{ databaseUrl: string; redisKeyPrefix: string; env: Record<string, string>; drop: () => Promise<void> }> {
  const scratch = await createScratchDatabase(new URL(inject('databaseUrl')), label);
  const env: Record<string, string> = {
    DATABASE_URL: scratch.url.toString(),
    DATABASE_MIGRATE_ON_START: 'true',
    REDIS_KEY_PREFIX: `${inject('redisKeyPrefix')}${label}:`,
    WORKER_IN_PROCESS: String(options.inProcessWorker ?? true),
    JOB_BACKOFF_MS: '100',
    OUTBOX_POLL_INTERVAL_MS: '50',
    ...(options.backend === 'redis' ? { REDIS_URL: inject('redisUrl') } : {}),
  };
  applyEnvironment(env, options.backend === 'postgres' ? ['REDIS_URL'] : []);
  return { databaseUrl: env.DATABASE_URL!, redisKeyPrefix: env.REDIS_KEY_PREFIX!, env, drop: scratch.drop };
}

/** Sets (and unsets) variables for the next app, then drops the parsed environment so it is read again. */
export function applyEnvironment(set: Record<string, string>, unset: string[] = []): void {
  for (const name of unset) delete process.env[name];
  Object.assign(process.env, set);
  resetEnvironment();
}

/** Sets variables for the next app; the returned function puts the previous values back. */
export function withEnvironment(set: Record<string, string>, unset: string[] = []): () => void {
  const names = [...Object.keys(set), ...unset];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  applyEnvironment(set, unset);
  return () =>
    applyEnvironment(
      Object.fromEntries(Object.entries(saved).filter((entry): entry is [string, string] => entry[1] !== undefined)),
      names.filter((name) => saved[name] === undefined),
    );
}

/**
 * What a production boot needs beyond the test environment: production refuses to start without a real
 * database, Redis, SMTP server and secret; the test env has the first, second and fourth, and nothing is
 * mailed by the suites that boot it. METRICS_PORT=0: a free port. A Redis prefix of its own (under the run's,
 * so the run's teardown removes it): production's rate limits (300 a minute per address) must not count, and
 * block, the requests every other suite sends from 127.0.0.1 under test limits, nor be blocked by them.
 */
export function productionEnvironment(): Record<string, string> {
  return {
    NODE_ENV: 'production',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    METRICS_PORT: '0',
    REDIS_KEY_PREFIX: `${inject('redisKeyPrefix')}production-${randomBytes(3).toString('hex')}:`,
  };
}
