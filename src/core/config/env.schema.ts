import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

export const DEFAULT_JWT_SECRET = 'folio-local-development-secret-change-me';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes'].includes(String(value).toLowerCase());

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

  @IsString()
  EMBEDDED_DATA_DIR = '.data';

  @IsOptional()
  @IsUrl(REDIS_URL, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  /** Every Redis key Folio writes starts with this (cache, rate limits, flags), so deployments can share a server. */
  @IsString()
  @Matches(/^[\w.:-]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1-64 letters, digits or . _ : -' })
  REDIS_KEY_PREFIX = 'folio:';

  @IsString()
  @MinLength(16)
  JWT_SECRET = DEFAULT_JWT_SECRET;

  @IsString()
  @Matches(/^\d+[smhd]$/, { message: 'JWT_TTL must look like 15m, 12h or 7d' })
  JWT_TTL = '24h';

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
    if (env.JWT_SECRET === DEFAULT_JWT_SECRET) problems.push('JWT_SECRET: must be set to a secret value in production');
  }
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return env;
}
