import { registerAs, type ConfigType } from '@nestjs/config';
import { Environment, parseEnvironment } from './env.schema.js';

let cached: Environment | undefined;

/** The validated environment, parsed once per process. */
export function environment(): Environment {
  cached ??= parseEnvironment(process.env);
  return cached;
}

/** For tests that boot several apps with different environments in one process. */
export function resetEnvironment(): void {
  cached = undefined;
}

export const httpConfig = registerAs('http', () => {
  const env = environment();
  return {
    port: env.PORT,
    host: env.HOST,
    bodyLimit: env.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    shutdownGracePeriodMs: env.SHUTDOWN_GRACE_PERIOD_MS ?? (env.NODE_ENV === 'production' ? 10_000 : 0),
    production: env.NODE_ENV === 'production',
  };
});
export type HttpConfig = ConfigType<typeof httpConfig>;

export const logConfig = registerAs('log', () => {
  const env = environment();
  return { level: env.LOG_LEVEL, pretty: env.NODE_ENV === 'development' && process.stdout.isTTY };
});
export type LogConfig = ConfigType<typeof logConfig>;

export const databaseConfig = registerAs('database', () => {
  const env = environment();
  const embedded = env.DATABASE_URL === undefined;
  return {
    url: env.DATABASE_URL,
    embedded,
    embeddedDataDir: env.EMBEDDED_DATA_DIR,
    poolSize: env.DATABASE_POOL_SIZE,
    migrateOnStart: env.DATABASE_MIGRATE_ON_START ?? embedded,
    replicaUrls: env.DATABASE_REPLICA_URLS ?? [],
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    idleTimeoutMs: env.DATABASE_IDLE_TIMEOUT_MS,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    readYourWritesWindowMs: env.READ_YOUR_WRITES_WINDOW_MS,
  };
});
export type DatabaseConfig = ConfigType<typeof databaseConfig>;

export const redisConfig = registerAs('redis', () => {
  const env = environment();
  return { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX };
});
export type RedisConfig = ConfigType<typeof redisConfig>;

export const cacheConfig = registerAs('cache', () => {
  const env = environment();
  return {
    ttlMs: env.CACHE_TTL_SECONDS * 1000,
    l1MaxEntries: env.CACHE_L1_MAX_ENTRIES,
    redisTimeoutMs: env.CACHE_REDIS_TIMEOUT_MS,
    sMaxAge: env.HTTP_CACHE_S_MAXAGE,
  };
});
export type CacheConfig = ConfigType<typeof cacheConfig>;

export const idempotencyConfig = registerAs('idempotency', () => {
  const env = environment();
  return {
    ttlMs: env.IDEMPOTENCY_TTL_SECONDS * 1000,
    lockTtlMs: env.IDEMPOTENCY_LOCK_TTL_SECONDS * 1000,
    memoryMaxEntries: env.IDEMPOTENCY_MEMORY_MAX_ENTRIES,
    redisTimeoutMs: env.IDEMPOTENCY_REDIS_TIMEOUT_MS,
  };
});
export type IdempotencyConfig = ConfigType<typeof idempotencyConfig>;

export const authConfig = registerAs('auth', () => {
  const env = environment();
  return {
    jwtSecret: env.JWT_SECRET,
    jwtTtl: env.JWT_TTL,
    accessTokenTtl: env.ACCESS_TOKEN_TTL,
    refreshTokenTtl: env.REFRESH_TOKEN_TTL,
    passwordResetTtl: env.PASSWORD_RESET_TTL,
    emailChangeTtl: env.EMAIL_CHANGE_TTL,
    /** Longest wait for Redis on the revocation check before it asks the database instead. */
    revocationTimeoutMs: env.CACHE_REDIS_TIMEOUT_MS,
  };
});
export type AuthConfig = ConfigType<typeof authConfig>;

/** Limits that never trip the test suites' thousands of requests from 127.0.0.1; rate-limit tests set their own. */
const TEST_RATE_LIMIT = 1_000_000;

export const rateLimitConfig = registerAs('rateLimit', () => {
  const env = environment();
  const test = env.NODE_ENV === 'test';
  return {
    enabled: env.RATE_LIMIT_ENABLED,
    default: {
      limit: env.RATE_LIMIT_DEFAULT_LIMIT ?? (test ? TEST_RATE_LIMIT : 300),
      ttlSeconds: env.RATE_LIMIT_DEFAULT_TTL_SECONDS,
    },
    auth: {
      limit: env.RATE_LIMIT_AUTH_LIMIT ?? (test ? TEST_RATE_LIMIT : 10),
      ttlSeconds: env.RATE_LIMIT_AUTH_TTL_SECONDS,
    },
    account: {
      limit: env.RATE_LIMIT_ACCOUNT_LIMIT ?? (test ? TEST_RATE_LIMIT : 10),
      ttlSeconds: env.RATE_LIMIT_ACCOUNT_TTL_SECONDS,
    },
    social: {
      limit: env.RATE_LIMIT_SOCIAL_LIMIT ?? (test ? TEST_RATE_LIMIT : 30),
      ttlSeconds: env.RATE_LIMIT_SOCIAL_TTL_SECONDS,
    },
  };
});
export type RateLimitConfig = ConfigType<typeof rateLimitConfig>;

export const jobsConfig = registerAs('jobs', () => {
  const env = environment();
  const backend: 'redis' | 'postgres' = env.REDIS_URL ? 'redis' : 'postgres';
  return {
    backend,
    /** Workers and relay in the api process (embedded mode), or only in `npm run start:worker`. */
    inProcessWorker: env.WORKER_IN_PROCESS ?? backend === 'postgres',
    /** BullMQ's own key prefix on Redis, under the deployment's prefix (ignored by the PostgreSQL backend). */
    redisPrefix: `${env.REDIS_KEY_PREFIX}bull`,
    concurrency: env.WORKER_CONCURRENCY,
    workerPort: env.WORKER_PORT,
    workerHost: env.HOST,
    attempts: env.JOB_ATTEMPTS,
    backoffMs: env.JOB_BACKOFF_MS,
    lockDurationMs: env.JOB_LOCK_DURATION_MS,
    outboxPollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
  };
});
export type JobsConfig = ConfigType<typeof jobsConfig>;

export const mailConfig = registerAs('mail', () => {
  const env = environment();
  return {
    smtpUrl: env.SMTP_URL,
    from: env.MAIL_FROM,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    mailDir: `${env.EMBEDDED_DATA_DIR}/mail`,
    breakerResetMs: env.MAIL_BREAKER_RESET_MS,
    digestCron: env.DIGEST_CRON,
    /** How long mailed account links work, as the mails say it. */
    passwordResetTtl: env.PASSWORD_RESET_TTL,
    emailChangeTtl: env.EMAIL_CHANGE_TTL,
    /** Key material for unsubscribe links (an HMAC key is derived from it, distinct from the JWT's use). */
    secret: env.JWT_SECRET,
  };
});
export type MailConfig = ConfigType<typeof mailConfig>;

export const storageConfig = registerAs('storage', () => {
  const env = environment();
  return { dir: env.STORAGE_DIR ?? `${env.EMBEDDED_DATA_DIR}/files` };
});
export type StorageConfig = ConfigType<typeof storageConfig>;

export const reportsConfig = registerAs('reports', () => {
  const env = environment();
  return { ttlMs: env.REPORTS_TTL_HOURS * 3_600_000, purgeEveryMs: env.REPORTS_PURGE_EVERY_MS };
});
export type ReportsConfig = ConfigType<typeof reportsConfig>;

export const inAppNotificationsConfig = registerAs('inAppNotifications', () => {
  const env = environment();
  return { heartbeatMs: env.NOTIFICATIONS_HEARTBEAT_MS };
});
export type InAppNotificationsConfig = ConfigType<typeof inAppNotificationsConfig>;

export const metricsConfig = registerAs('metrics', () => {
  const env = environment();
  return {
    /** In development and test `/metrics` is served on the api port; in production only on `port`. */
    onApiPort: env.NODE_ENV !== 'production',
    port: env.METRICS_PORT,
    host: env.HOST,
  };
});
export type MetricsConfig = ConfigType<typeof metricsConfig>;
