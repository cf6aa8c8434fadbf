import { Controller, Get, Module } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../../../src/app.module.js';
import { Public } from '../../../src/core/auth/auth.decorators.js';
import { resetEnvironment } from '../../../src/core/config/app.config.js';
import { buildArticle } from '../../factories/articles.js';
import { registerUser, type RegisteredUser } from '../../factories/users.js';
import {
  createTestApp,
  listenOnSocket,
  type RequestOptions,
  type TestApp,
  type TestResponse,
} from '../../setup/test-app.js';
import { PgCluster, pgClusterSupported } from '../../support/pg-cluster.js';

/** A problem+json route that reads the database, uncached. */
@Controller('api/v1/test-outage')
@Public()
class OutageProbeController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async count(): Promise<{ articles: number }> {
    const [row] = await this.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM articles');
    return { articles: row?.n ?? 0 };
  }
}

@Module({ imports: [AppModule], controllers: [OutageProbeController] })
class OutageTestModule {}

const WRITERS = 6;

interface Attempt {
  title: string;
  response: TestResponse;
}

function expectUnavailable(response: TestResponse, shape: 'realworld' | 'problem'): void {
  expect(response.status).toBe(503);
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  expect(['DATABASE_UNAVAILABLE', 'DATABASE_TIMEOUT']).toContain(response.body.code);
  expect(response.text).not.toMatch(/127\.0\.0\.1|ECONN|INSERT|SELECT|terminat/i);
  if (shape === 'realworld') {
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      errors: { body: [expect.any(String)] },
      code: response.body.code,
      requestId: expect.any(String),
    });
  } else {
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 503, title: 'Service unavailable', code: response.body.code });
  }
}

/**
 * PostgreSQL restarts and stops under concurrent writes: a throwaway cluster (the replica test's kind)
 * is restarted (`pg_ctl restart -m fast`) and stopped for a while, then started again, while writers keep
 * creating articles. Every answer is 201 or 503 with Retry-After, never 500; nothing answered 201 is lost;
 * readiness is 503 during the outage and 200 again after; the same pool serves the requests after it. Over a
 * real socket: a client sees the status, headers and body on the wire, and its kept-alive connection survives.
 */
describe.skipIf(!pgClusterSupported)('database outages', () => {
  let cluster: PgCluster;
  let t: TestApp;
  let author: RegisteredUser;
  /** Every request of the test goes over a real socket (keep-alive), as clients meet an outage. */
  let send: (options: RequestOptions) => Promise<TestResponse>;

  beforeAll(async () => {
    cluster = await PgCluster.createPrimary();
    process.env.DATABASE_URL = cluster.url;
    delete process.env.DATABASE_REPLICA_URLS;
    process.env.DATABASE_CONNECT_TIMEOUT_MS = '1000';
    resetEnvironment();
    t = await createTestApp(OutageTestModule);
    author = await registerUser(t);
    send = await listenOnSocket(t);
  });

  afterAll(async () => {
    await t?.close();
    await cluster?.destroy();
  });

  it('answers 201 or 503, loses no acknowledged write and recovers by itself', { timeout: 90_000 }, async () => {
    const attempts: Attempt[] = [];
    let writing = true;
    const write = async (): Promise<void> => {
      const article = buildArticle();
      const response = await send({
        method: 'POST',
        url: '/api/articles',
        token: author.token,
        body: { article },
      });
      attempts.push({ title: article.title, response });
    };
    const writers = Array.from({ length: WRITERS }, async () => {
      while (writing) {
        await write();
        await sleep(10);
      }
    });

    await sleep(300);
    await cluster.restart();
    await sleep(300);

    await cluster.stop();
    // While the server is down: readiness, a RealWorld write and a problem+json read all answer 503.
    const duringOutage = {
      ready: await send({ method: 'GET', url: '/health/ready' }),
      write: await send({
        method: 'POST',
        url: '/api/articles',
        token: author.token,
        body: { article: buildArticle() },
      }),
      read: await send({ method: 'GET', url: '/api/v1/test-outage' }),
    };
    await sleep(1_500);
    await cluster.start();

    let ready: TestResponse | undefined;
    for (let attempt = 0; attempt < 200 && ready?.status !== 200; attempt++) {
      ready = await send({ method: 'GET', url: '/health/ready' });
      if (ready.status !== 200) await sleep(100);
    }
    await sleep(300);
    writing = false;
    await Promise.all(writers);

    expect(duringOutage.ready.status).toBe(503);
    expect(duringOutage.ready.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expectUnavailable(duringOutage.write, 'realworld');
    expectUnavailable(duringOutage.read, 'problem');
    expect(ready?.status).toBe(200);

    const statuses = new Set(attempts.map((a) => a.response.status));
    expect([...statuses].filter((status) => status !== 201 && status !== 503)).toEqual([]);
    const refused = attempts.filter((a) => a.response.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const { response } of refused) expectUnavailable(response, 'realworld');

    const acknowledged = attempts.filter((a) => a.response.status === 201).map((a) => a.title);
    expect(acknowledged.length).toBeGreaterThan(0);
    const stored = await cluster.query<{ title: string }>('SELECT title FROM articles WHERE title = ANY($1)', [
      acknowledged,
    ]);
    expect(stored.map((row) => row.title).sort()).toEqual([...acknowledged].sort());

    // The same process and pool serve again: no restart of the app.
    const after = await send({
      method: 'POST',
      url: '/api/articles',
      token: author.token,
      body: { article: buildArticle() },
    });
    expect(after.status).toBe(201);
    const probe = await send({ method: 'GET', url: '/api/v1/test-outage' });
    expect(probe.status).toBe(200);
  });
});
