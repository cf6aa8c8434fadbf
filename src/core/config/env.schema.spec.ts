import { describe, expect, it } from 'vitest';
import { DEFAULT_JWT_SECRET, InvalidEnvironmentError, parseEnvironment } from './env.schema.js';

describe('parseEnvironment', () => {
  it('applies defaults for an empty environment (embedded mode)', () => {
    const env = parseEnvironment({});
    expect(env).toMatchObject({ NODE_ENV: 'development', PORT: 3000, JWT_SECRET: DEFAULT_JWT_SECRET });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('converts numbers and booleans', () => {
    const env = parseEnvironment({ PORT: '8080', DATABASE_POOL_SIZE: '25', DATABASE_MIGRATE_ON_START: 'true' });
    expect(env).toMatchObject({ PORT: 8080, DATABASE_POOL_SIZE: 25, DATABASE_MIGRATE_ON_START: true });
  });

  it('leaves the shutdown grace period unset unless given, and bounds it', () => {
    expect(parseEnvironment({}).SHUTDOWN_GRACE_PERIOD_MS).toBeUndefined();
    expect(parseEnvironment({ SHUTDOWN_GRACE_PERIOD_MS: '0' }).SHUTDOWN_GRACE_PERIOD_MS).toBe(0);
    expect(() => parseEnvironment({ SHUTDOWN_GRACE_PERIOD_MS: '-1' })).toThrow(/SHUTDOWN_GRACE_PERIOD_MS/);
    expect(() => parseEnvironment({ SHUTDOWN_GRACE_PERIOD_MS: 'soon' })).toThrow(/SHUTDOWN_GRACE_PERIOD_MS/);
  });

  it('lists every bad key at once', () => {
    let error: unknown;
    try {
      parseEnvironment({ PORT: 'eighty', DATABASE_URL: 'mysql://x', JWT_TTL: 'forever', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    const keys = (error as InvalidEnvironmentError).problems.map((p) => p.split(':')[0]);
    expect(new Set(keys)).toEqual(new Set(['PORT', 'DATABASE_URL', 'JWT_TTL', 'LOG_LEVEL']));
  });

  it('refuses production without DATABASE_URL, REDIS_URL and a real JWT_SECRET', () => {
    expect(() => parseEnvironment({ NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL: is required[\s\S]*REDIS_URL: is required[\s\S]*JWT_SECRET: must be set/,
    );
    expect(() =>
      parseEnvironment({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://db:5432/folio',
        REDIS_URL: 'redis://cache:6379',
        JWT_SECRET: 'a-long-production-secret-value',
        SMTP_URL: 'smtp://mail:587',
      }),
    ).not.toThrow();
    expect(() => parseEnvironment({ NODE_ENV: 'production' })).toThrow(/SMTP_URL: is required in production/);
  });
});
