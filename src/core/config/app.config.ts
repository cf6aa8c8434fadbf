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
  };
});
export type DatabaseConfig = ConfigType<typeof databaseConfig>;

export const redisConfig = registerAs('redis', () => ({
  url: environment().REDIS_URL,
  keyPrefix: environment().REDIS_KEY_PREFIX,
}));
export type RedisConfig = ConfigType<typeof redisConfig>;

export const authConfig = registerAs('auth', () => {
  const env = environment();
  return { jwtSecret: env.JWT_SECRET, jwtTtl: env.JWT_TTL };
});
export type AuthConfig = ConfigType<typeof authConfig>;
