import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../config/env.schema.js';
import { dataSourceOptions } from './data-source.options.js';

describe('dataSourceOptions', () => {
  it('connects to the one URL, with pool limits, when there is no replica', () => {
    const options = dataSourceOptions({ url: 'postgres://db/app', poolSize: 4, connectTimeoutMs: 300 });
    expect(options).toMatchObject({ url: 'postgres://db/app', extra: { max: 4, connectionTimeoutMillis: 300 } });
    expect(options).not.toHaveProperty('replication');
    expect(options.extra).not.toHaveProperty('statement_timeout');
  });

  it('uses TypeORM replication with the primary as the default for replicas', () => {
    const options = dataSourceOptions({
      url: 'postgres://primary/app',
      poolSize: 4,
      replicaUrls: ['postgres://r1/app', 'postgres://r2/app'],
      statementTimeoutMs: 2_000,
    });
    expect(options).toMatchObject({
      replication: {
        master: { url: 'postgres://primary/app' },
        slaves: [{ url: 'postgres://r1/app' }, { url: 'postgres://r2/app' }],
        defaultMode: 'master',
      },
      extra: { statement_timeout: 2_000 },
    });
    expect(options).not.toHaveProperty('url');
  });
});

describe('database environment', () => {
  it('reads comma-separated replica URLs and the pool settings', () => {
    const env = parseEnvironment({
      DATABASE_REPLICA_URLS: ' postgres://r1/app , postgres://r2/app ',
      DATABASE_CONNECT_TIMEOUT_MS: '750',
      DATABASE_STATEMENT_TIMEOUT_MS: '0',
      READ_YOUR_WRITES_WINDOW_MS: '2000',
    });
    expect(env).toMatchObject({
      DATABASE_REPLICA_URLS: ['postgres://r1/app', 'postgres://r2/app'],
      DATABASE_CONNECT_TIMEOUT_MS: 750,
      DATABASE_IDLE_TIMEOUT_MS: 30_000,
      DATABASE_STATEMENT_TIMEOUT_MS: 0,
      READ_YOUR_WRITES_WINDOW_MS: 2_000,
    });
  });

  it('rejects a replica URL that is not postgres://', () => {
    expect(() => parseEnvironment({ DATABASE_REPLICA_URLS: 'postgres://r1/app,mysql://r2/app' })).toThrow(
      /DATABASE_REPLICA_URLS/,
    );
  });
});
