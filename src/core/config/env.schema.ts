import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  validateSync,
} from 'class-validator';

export const DEFAULT_JWT_SECRET = 'folio-local-development-secret-change-me';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes'].includes(String(value).toLowerCase());

/** Whether `entry` is an origin as browsers send it: `scheme://host[:port]`, no path, no trailing slash. */
export function isOrigin(entry: string): boolean {
  if (!/^https?:\/\/[^/?#]+$/i.test(entry)) return false;
  try {
    return new URL(entry).origin === entry.toLowerCase();
  } catch {
    return false;
  }
}

const PG_URL = { protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true };
const REDIS_URL = { protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true };

/** Every environment variable Folio reads, with its rules. Parsed once at boot. */
export class Environment {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  /**
   * Which proxies' X-Forwarded-For / -Proto / -Host to believe (the client IP feeds rate limits and logs):
   * `false` (default: the socket's peer is the client), `true` (any: only behind a proxy that overwrites the
   * header), a hop count such as `1`, or a comma-separated list of proxy addresses or CIDRs.
   */
  @IsString()
  @Matches(/^(true|false|\d+|[\d.:a-fA-F/]+(\s*,\s*[\d.:a-fA-F/]+)*)$/, {
    message: 'TRUST_PROXY must be true, false, a hop count or a comma-separated list of addresses/CIDRs',
  })
  TRUST_PROXY = 'false';

  /**
   * Browser origins allowed to call the API cross-origin (CORS): comma-separated exact origins
   * (`https://app.example.com`, `http://localhost:4200`), or `*` for any (refused in production). Unset: the
   * loopback origins (localhost, 127.0.0.1, [::1]) on any port in development and test, none in production.
   */
  @Transform(({ value }: { value: unknown }) =>
    value === undefined || value === ''
      ? undefined
      : String(value)
          .split(',')
          .map((origin) => origin.trim())
          .filter((origin) => origin !== ''),
  )
  @IsOptional()
  @ValidateBy(
    {
      name: 'isOrigin',
      validator: { validate: (value: unknown) => value === '*' || (typeof value === 'string' && isOrigin(value)) },
    },
    { each: true, message: 'CORS_ORIGINS must be comma-separated origins (scheme://host[:port], no path) or *' },
  )
  CORS_ORIGINS?: string[];

  /** Longest request target (path and query) accepted; a longer one answers 414. */
  @Transform(toInt)
  @IsInt()
  @Min(256)
  @Max(65_536)
  MAX_URL_LENGTH = 8_192;

  /** Largest request head (request line and headers) Node's HTTP parser accepts; a larger one answers 431. */
  @Transform(toInt)
  @IsInt()
  @Min(4_096)
  @Max(131_072)
  MAX_HEADER_BYTES = 16_384;

  @IsOptional()
  @IsUrl(PG_URL, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_POOL_SIZE = 10;

  @Transform(toBool)
  @IsOptional()
  DATABASE_MIGRATE_ON_START?: boolean;

  /** Read replicas (comma-separated postgres:// URLs) for list, feed and profile reads; unset: everything on the primary. */
  @Transform(({ value }: { value: unknown }) =>
    value === undefined || value === ''
      ? undefined
      : String(value)
          .split(',')
          .map((url) => url.trim())
          .filter((url) => url !== ''),
  )
  @IsOptional()
  @IsUrl(PG_URL, { each: true, message: 'DATABASE_REPLICA_URLS must be comma-separated postgres:// URLs' })
  DATABASE_REPLICA_URLS?: string[];

  /** How long a request waits for a pooled connection (or for a new one to open) before answering 503. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  DATABASE_CONNECT_TIMEOUT_MS = 5_000;

  /** An idle pooled connection is closed after this long. */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  DATABASE_IDLE_TIMEOUT_MS = 30_000;

  /** PostgreSQL's own `statement_timeout` for the app's connections (0: none); a statement cut by it answers 503. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  DATABASE_STATEMENT_TIMEOUT_MS = 30_000;

  /** After a caller's own write, its reads go to the primary for this long, so it sees what it wrote. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  READ_YOUR_WRITES_WINDOW_MS = 5_000;

  @IsString()
  EMBEDDED_DATA_DIR = '.data';

  @IsOptional()
  @IsUrl(REDIS_URL, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  /** Every Redis key Folio writes starts with this (cache, rate limits, flags), so deployments can share a server. */
  @IsString()
  @Matches(/^[\w.:-]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1-64 letters, digits or . _ : -' })
  REDIS_KEY_PREFIX = 'folio:';

  /** Rate limits (src/core/throttling): off only where something in front of Folio already limits. */
  @Transform(toBool)
  @IsOptional()
  RATE_LIMIT_ENABLED = true;

  /** Requests per client (user, or IP when anonymous) per window, all routes. Unset: 300, or 1 000 000 in tests. */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  RATE_LIMIT_DEFAULT_LIMIT?: number;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  RATE_LIMIT_DEFAULT_TTL_SECONDS = 60;

  /** Login and registration attempts per IP per window (stricter, against credential stuffing). Unset: 10, or 1 000 000 in tests. */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  RATE_LIMIT_AUTH_LIMIT?: number;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  RATE_LIMIT_AUTH_TTL_SECONDS = 60;

  /** Longest life of a cached public read (writes retire it sooner, docs/caching.md); 0 turns the read cache off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  CACHE_TTL_SECONDS = 60;

  /** Entries in each process's in-memory cache (LRU) in front of Redis; memory is about this × the average answer. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CACHE_L1_MAX_ENTRIES = 2_000;

  /** Longest wait for Redis on the cache path: slower, the read goes to the database and the write still succeeds. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(10_000)
  CACHE_REDIS_TIMEOUT_MS = 250;

  /** `s-maxage` of anonymous public reads: how long a CDN in front may serve a page without asking Folio. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  HTTP_CACHE_S_MAXAGE = 5;

  /** How long a write's answer is kept for replay under its `Idempotency-Key` (docs/idempotency.md). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 86_400)
  IDEMPOTENCY_TTL_SECONDS = 86_400;

  /** How long a key stays claimed by a request in flight without renewal: a crashed process frees it after this. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_600)
  IDEMPOTENCY_LOCK_TTL_SECONDS = 30;

  /** Keys kept by each process without Redis (embedded mode), least recently used dropped first. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  IDEMPOTENCY_MEMORY_MAX_ENTRIES = 10_000;

  /** Longest wait for Redis on the idempotency path: slower, the write goes through without idempotency. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(10_000)
  IDEMPOTENCY_REDIS_TIMEOUT_MS = 500;

  /** Responses smaller than this are sent uncompressed. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  COMPRESSION_THRESHOLD_BYTES = 1024;

  /**
   * Run the BullMQ workers and the outbox relay inside the api process. Unset: yes without REDIS_URL (embedded
   * mode: BullMQ on PostgreSQL), no with it (the worker is its own process: `npm run start:worker`).
   */
  @Transform(toBool)
  @IsOptional()
  WORKER_IN_PROCESS?: boolean;

  /** Jobs each worker runs at once, per queue. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  WORKER_CONCURRENCY = 5;

  /** The worker process's own port for /health/live and /health/ready (never the public API). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_PORT = 3001;

  /** Attempts per job before it is kept as a dead letter (retried with exponential backoff from JOB_BACKOFF_MS). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  JOB_ATTEMPTS = 5;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  JOB_BACKOFF_MS = 5_000;

  /**
   * How long a worker's hold on a running job lasts without renewal: a worker that died (SIGKILL, lost node)
   * has its jobs handed to another worker after about this long, twice at most.
   */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  JOB_LOCK_DURATION_MS = 30_000;

  /** How often the outbox relay looks for committed messages to hand to the queues. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60_000)
  OUTBOX_POLL_INTERVAL_MS = 500;

  @IsString()
  @MinLength(16)
  JWT_SECRET = DEFAULT_JWT_SECRET;

  /** Lifetime of the RealWorld `token` (`/api/users`, `/api/users/login`, `/api/user`): one token, no refresh. */
  @IsString()
  @Matches(/^\d+[smhd]$/, { message: 'JWT_TTL must look like 15m, 12h or 7d' })
  JWT_TTL = '24h';

  /** Lifetime of a v1 access token (`/api/v1/auth/login`, `/refresh`): short, renewed with the refresh token. */
  @IsString()
  @Matches(/^\d+[smhd]$/, { message: 'ACCESS_TOKEN_TTL must look like 15m, 12h or 7d' })
  ACCESS_TOKEN_TTL = '15m';

  /** A v1 session ends when its refresh token has not been used for this long (every refresh slides it). */
  @IsString()
  @Matches(/^\d+[smhd]$/, { message: 'REFRESH_TOKEN_TTL must look like 15m, 12h or 7d' })
  REFRESH_TOKEN_TTL = '30d';

  /** How long a mailed password-reset link works (once). */
  @IsString()
  @Matches(/^\d+[smhd]$/, { message: 'PASSWORD_RESET_TTL must look like 15m, 12h or 7d' })
  PASSWORD_RESET_TTL = '1h';

  /** How long a mailed email-change confirmation link works (once). */
  @IsString()
  @Matches(/^\d+[smhd]$/, { message: 'EMAIL_CHANGE_TTL must look like 15m, 12h or 7d' })
  EMAIL_CHANGE_TTL = '24h';

  /** Login and password-reset attempts per account (email) per window, whatever the address. Unset: 10, or 1 000 000 in tests. */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  RATE_LIMIT_ACCOUNT_LIMIT?: number;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  RATE_LIMIT_ACCOUNT_TTL_SECONDS = 900;

  /** Follows and favorites per user per window (against follow/favorite spam). Unset: 30, or 1 000 000 in tests. */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  RATE_LIMIT_SOCIAL_LIMIT?: number;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  RATE_LIMIT_SOCIAL_TTL_SECONDS = 60;

  /** Drain timeout, counted from the end of the grace period. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /**
   * How long the process keeps serving after SIGTERM, with readiness at 503, before it closes its listener.
   * Unset: 10 s in production (time for the endpoint to be removed everywhere), 0 elsewhere (Ctrl-C does not wait).
   */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_GRACE_PERIOD_MS?: number;

  /** Outgoing mail server (`smtp://user:pass@host:port`, `smtps://…`); unset: mails are written to <EMBEDDED_DATA_DIR>/mail. */
  @IsOptional()
  @IsUrl(
    { protocols: ['smtp', 'smtps'], require_tld: false, require_protocol: true },
    { message: 'SMTP_URL must be an smtp:// or smtps:// URL' },
  )
  SMTP_URL?: string;

  /** The From header of every mail Folio sends. */
  @IsString()
  MAIL_FROM = 'Folio <no-reply@folio.local>';

  /** Base URL of the public API, for links in mails (unsubscribe). Unset: http://localhost:<PORT>. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  /** After this long open, the SMTP circuit breaker lets one trial send through (mail jobs wait this long meanwhile). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  MAIL_BREAKER_RESET_MS = 30_000;

  /** When the daily digest of new articles from followed authors is sent (cron, UTC). */
  @IsString()
  DIGEST_CRON = '0 7 * * *';

  /** How long a finished report's file can be downloaded; the purge job removes it afterwards (docs/reports.md). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8_760)
  REPORTS_TTL_HOURS = 24;

  /** How often the worker's scheduled purge removes expired report files. */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  REPORTS_PURGE_EVERY_MS = 3_600_000;

  /** Where the local file storage keeps files (reports). Unset: `<EMBEDDED_DATA_DIR>/files`. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  STORAGE_DIR?: string;

  /** How often an open notification stream gets a `: heartbeat` comment, so proxies and clients see it alive. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(300_000)
  NOTIFICATIONS_HEARTBEAT_MS = 15_000;

  /** In production the api's Prometheus `/metrics` listens only on this port (0: any free port), never the API's. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT = 9464;
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

/** Parses and validates the environment; throws one error listing every bad key. */
export function parseEnvironment(raw: Record<string, string | undefined>): Environment {
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(Environment, present, { exposeDefaultValues: true });
  const problems = validateSync(env, { whitelist: false }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) => `${error.property}: ${message}`),
  );
  if (env.NODE_ENV === 'production') {
    if (!env.DATABASE_URL) problems.push('DATABASE_URL: is required in production (embedded mode is for development)');
    if (!env.REDIS_URL) problems.push('REDIS_URL: is required in production');
    if (!env.SMTP_URL) problems.push('SMTP_URL: is required in production');
    if (env.JWT_SECRET === DEFAULT_JWT_SECRET) problems.push('JWT_SECRET: must be set to a secret value in production');
    if (env.CORS_ORIGINS?.includes('*')) problems.push('CORS_ORIGINS: * (any origin) is not allowed in production');
  }
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return env;
}
