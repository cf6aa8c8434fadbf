import { Controller, Get, Module, Query } from '@nestjs/common';
import type { Pool } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../../../src/app.module.js';
import { Public } from '../../../src/core/auth/auth.decorators.js';
import { resetEnvironment } from '../../../src/core/config/app.config.js';
import { createTestApp, type TestApp, type TestResponse } from '../../setup/test-app.js';

/** Holds a pooled connection for `seconds` (server-side sleep), or reports a server setting. */
@Controller('api/v1/test-pool')
@Public()
class PoolProbeController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('sleep')
  async sleep(@Query('seconds') seconds: string): Promise<{ slept: number }> {
    await this.dataSource.query('SELECT pg_sleep($1)', [Number(seconds)]);
    return { slept: Number(seconds) };
  }

  @Get('statement-timeout')
  async statementTimeout(): Promise<{ value: string }> {
    const [row] = await this.dataSource.query<{ statement_timeout: string }[]>('SHOW statement_timeout');
    return { value: row?.statement_timeout ?? '' };
  }
}

@Module({ imports: [AppModule], controllers: [PoolProbeController] })
class PoolTestModule {}

function expectDatabaseTimeout(response: TestResponse): void {
  expect(response.status).toBe(503);
  expect(response.headers['retry-after']).toBe('1');
  expect(response.body.code).toBe('DATABASE_TIMEOUT');
  expect(response.text).not.toMatch(/timeout exceeded|pg_sleep|canceling statement/i);
}

/**
 * A pool of one connection with a short acquisition timeout: a request that waits for a connection held by
 * another answers 503 DATABASE_TIMEOUT with Retry-After (it used to be 500), in both error shapes; a
 * statement running past DATABASE_STATEMENT_TIMEOUT_MS is cancelled by PostgreSQL and answers the same.
 */
describe('database pool limits', () => {
  let t: TestApp;
  let pool: Pool;

  beforeAll(async () => {
    process.env.DATABASE_POOL_SIZE = '1';
    process.env.DATABASE_CONNECT_TIMEOUT_MS = '200';
    process.env.DATABASE_STATEMENT_TIMEOUT_MS = '2000';
    delete process.env.DATABASE_REPLICA_URLS;
    resetEnvironment();
    t = await createTestApp(PoolTestModule);
    pool = (t.dataSource.driver as PostgresDriver).master as Pool;
  });

  afterAll(async () => {
    await t?.close();
  });

  async function whileTheConnectionIsHeld<T>(work: () => Promise<T>): Promise<T> {
    const holder = t.request({ method: 'GET', url: '/api/v1/test-pool/sleep?seconds=1.5' });
    // The one connection is checked out once the pool has no idle one left.
    while (!(pool.totalCount === 1 && pool.idleCount === 0)) await sleep(5);
    try {
      return await work();
    } finally {
      expect((await holder).status).toBe(200);
    }
  }

  it('answers 503 with Retry-After, RealWorld shape, to a request that gets no connection in time', async () => {
    const response = await whileTheConnectionIsHeld(() =>
      t.request({ method: 'GET', url: '/api/profiles/nobody-in-particular' }),
    );
    expectDatabaseTimeout(response);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      errors: { body: [expect.any(String)] },
      code: 'DATABASE_TIMEOUT',
      requestId: expect.any(String),
    });
  });

  it('answers 503 with Retry-After, problem+json, on versioned routes', async () => {
    const response = await whileTheConnectionIsHeld(() =>
      t.request({ method: 'GET', url: '/api/v1/test-pool/statement-timeout' }),
    );
    expectDatabaseTimeout(response);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 503, code: 'DATABASE_TIMEOUT', title: 'Service unavailable' });
  });

  it('serves again once the connection is free', async () => {
    const response = await t.request({ method: 'GET', url: '/api/v1/test-pool/statement-timeout' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ value: '2s' });
  });

  it('has PostgreSQL cancel a statement past DATABASE_STATEMENT_TIMEOUT_MS, answering 503', async () => {
    const response = await t.request({ method: 'GET', url: '/api/v1/test-pool/sleep?seconds=10' });
    expectDatabaseTimeout(response);
    const after = await t.request({ method: 'GET', url: '/api/v1/test-pool/statement-timeout' });
    expect(after.status).toBe(200);
  });
});
