import {
  createPostgresBackend,
  createRedisBackend,
  isPgPool,
  runMigrations,
  setDefaultBackendFactory,
  type BackendFactory,
  type ConnectionOptions,
} from 'bullmq';
import type { Pool } from 'pg';

/**
 * BullMQ's backend follows the connection each queue is given: TypeORM's pg pool means the PostgreSQL backend
 * (embedded mode, no Redis), anything else Redis. Set once per process, for every Queue and Worker Nest makes.
 */
const folioBackend: BackendFactory = (name, opts, factoryOptions) =>
  isPgPool(opts.connection)
    ? (createPostgresBackend(name, opts as never, factoryOptions) as never)
    : createRedisBackend(name, opts, factoryOptions);

setDefaultBackendFactory(folioBackend);

/** ioredis options for BullMQ from a redis:// URL (its workers need `maxRetriesPerRequest: null`). */
export function redisConnection(url: string): ConnectionOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db,
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    connectionName: 'folio-jobs',
  };
}

/**
 * Brings BullMQ's own schema (`bullmq`) up to date in the app's database, on one session (its migrations take
 * an advisory lock, so concurrent starters run them once), then hands BullMQ the app's pool.
 */
export async function postgresConnection(pool: Pool): Promise<Pool> {
  const client = await pool.connect();
  try {
    await runMigrations(client);
  } finally {
    client.release();
  }
  return pool;
}
