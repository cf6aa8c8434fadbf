import { Controller, HttpCode, HttpStatus, Module, Param, Post } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../../../src/app.module.js';
import { Authenticated } from '../../../src/core/auth/auth.decorators.js';
import { redisConfig, resetEnvironment, type RedisConfig } from '../../../src/core/config/app.config.js';
import { SKIP_IDEMPOTENCY, SkipIdempotency } from '../../../src/core/idempotency/idempotency.decorator.js';
import { fingerprintOf, idempotencyApplies, scopeOf } from '../../../src/core/idempotency/idempotency-key.js';
import { RedisIdempotencyStore } from '../../../src/core/idempotency/idempotency.store.js';
import { FolioMetrics } from '../../../src/core/metrics/folio-metrics.js';
import { buildArticle, type NewArticle } from '../../factories/articles.js';
import { adminToken, registerUser, userIdOf, type RegisteredUser } from '../../factories/users.js';
import {
  createTestApp,
  listenOnSocket,
  type RequestOptions,
  type TestApp,
  type TestResponse,
} from '../../setup/test-app.js';
import { applyEnvironment, useOwnJobsEnvironment } from '../../support/jobs.js';
import { controllerRoutes } from '../../support/routes.js';
import { startRelay } from '../../support/tcp-relay.js';

/** How many times each probe handler ran, by route and id: a handler that runs twice wrote twice. */
const runs = new Map<string, number>();
const ran = (route: string, id: string) => {
  const count = (runs.get(`${route}:${id}`) ?? 0) + 1;
  runs.set(`${route}:${id}`, count);
  return count;
};

/** Test-only writes: a 500 on the first call, a 204, and a route opted out. */
@Controller('api/v1/test-idempotency')
@Authenticated()
class IdempotencyProbeController {
  @Post('flaky/:id')
  flaky(@Param('id') id: string): { id: string; runs: number } {
    const count = ran('flaky', id);
    if (count === 1) throw new Error('the first attempt fails unexpectedly');
    return { id, runs: count };
  }

  @Post('empty/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  empty(@Param('id') id: string): void {
    ran('empty', id);
  }

  @Post('skipped/:id')
  @SkipIdempotency()
  skipped(@Param('id') id: string): { runs: number } {
    return { runs: ran('skipped', id) };
  }
}

@Module({ imports: [AppModule], controllers: [IdempotencyProbeController] })
class IdempotencyTestModule {}

type Send = (options: RequestOptions) => Promise<TestResponse>;

/** An app booted with these variables (and a Redis prefix of its own), the worker's environment restored after. */
async function bootWith(vars: Record<string, string>, unset: string[] = []): Promise<TestApp> {
  const names = [...Object.keys(vars), ...unset, 'REDIS_KEY_PREFIX'];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  applyEnvironment(
    { REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}idem-${randomBytes(3).toString('hex')}:`, ...vars },
    unset,
  );
  try {
    return await createTestApp(IdempotencyTestModule);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetEnvironment();
  }
}

const postArticle = (send: Send, token: string, article: NewArticle, key?: string) =>
  send({
    method: 'POST',
    url: '/api/articles',
    token,
    body: { article },
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });

async function articlesTitled(t: TestApp, title: string): Promise<number> {
  const [row] = await t.dataSource.query<Array<{ n: number }>>(
    'SELECT count(*)::int AS n FROM articles WHERE title = $1',
    [title],
  );
  return row!.n;
}

async function metric(t: TestApp, name: string, label: string, value: string): Promise<number> {
  const found = await t.app.get(FolioMetrics).registry.getSingleMetric(name)?.get();
  return found?.values.find((sample) => sample.labels[label] === value)?.value ?? 0;
}

/** The behaviour every backend must have, on `POST /api/articles`. */
function sharedBehaviour(
  label: string,
  context: () => { t: TestApp; send: Send; alice: RegisteredUser; bob: RegisteredUser },
) {
  describe(`${label}: shared behaviour`, () => {
    it('answers a retry with the first answer and writes once', async () => {
      const { t, send, alice } = context();
      const article = buildArticle();
      const key = randomUUID();
      const first = await postArticle(send, alice.token, article, key);
      const second = await postArticle(send, alice.token, article, key);
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(second.status).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.text).toBe(first.text);
      expect(second.headers['content-type']).toBe(first.headers['content-type']);
      expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
      expect(await articlesTitled(t, article.title)).toBe(1);
    });

    it('refuses the same key with another body with 422, and writes nothing', async () => {
      const { t, send, alice } = context();
      const key = randomUUID();
      const article = buildArticle();
      expect((await postArticle(send, alice.token, article, key)).status).toBe(201);
      const other = buildArticle();
      const reused = await postArticle(send, alice.token, other, key);
      expect(reused.status).toBe(422);
      expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', errors: { body: [expect.any(String)] } });
      expect(await articlesTitled(t, other.title)).toBe(0);
    });

    it("keeps one caller's key apart from another's: each gets its own write", async () => {
      const { t, send, alice, bob } = context();
      const key = randomUUID();
      const article = buildArticle();
      const byAlice = await postArticle(send, alice.token, article, key);
      const byBob = await postArticle(send, bob.token, article, key);
      expect(byAlice.status).toBe(201);
      expect(byBob.status).toBe(201);
      expect(byBob.headers['idempotent-replayed']).toBeUndefined();
      expect(byBob.body.article.author.username).toBe(bob.username);
      expect(byBob.body.article.slug).not.toBe(byAlice.body.article.slug);
      expect(await articlesTitled(t, article.title)).toBe(2);
    });

    it('lets ten concurrent requests with one key write once; the others replay or get 409, none 5xx', async () => {
      const { t, send, alice } = context();
      const article = buildArticle();
      const key = randomUUID();
      const answers = await Promise.all(Array.from({ length: 10 }, () => postArticle(send, alice.token, article, key)));
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
      const created = answers.filter((answer) => answer.status === 201);
      expect(created.filter((answer) => answer.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
      for (const answer of created) expect(answer.text).toBe(created[0]!.text);
      for (const answer of answers.filter((a) => a.status === 409)) {
        expect(answer.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
        expect(answer.headers['retry-after']).toBe('1');
      }
      expect(await articlesTitled(t, article.title)).toBe(1);
      const retried = await postArticle(send, alice.token, article, key);
      expect(retried.status).toBe(201);
      expect(retried.headers['idempotent-replayed']).toBe('true');
      expect(retried.text).toBe(created[0]!.text);
    });

    it('does not store a 5xx: the retry with the same key runs and is then replayed', async () => {
      const { send, alice } = context();
      const id = randomUUID();
      const key = randomUUID();
      const call = () =>
        send({
          method: 'POST',
          url: `/api/v1/test-idempotency/flaky/${id}`,
          token: alice.token,
          headers: { 'idempotency-key': key },
        });
      const failed = await call();
      expect(failed.status).toBe(500);
      expect(failed.body.code).toBe('INTERNAL_ERROR');
      const retried = await call();
      expect(retried.status).toBe(201);
      expect(retried.body).toEqual({ id, runs: 2 });
      expect(retried.headers['idempotent-replayed']).toBeUndefined();
      const replayed = await call();
      expect(replayed.status).toBe(201);
      expect(replayed.body).toEqual({ id, runs: 2 });
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(runs.get(`flaky:${id}`)).toBe(2);
    });

    it('changes nothing without the header: each request writes', async () => {
      const { t, send, alice } = context();
      const article = buildArticle();
      const first = await postArticle(send, alice.token, article);
      const second = await postArticle(send, alice.token, article);
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.headers['idempotent-replayed']).toBeUndefined();
      expect(second.body.article.slug).not.toBe(first.body.article.slug);
      expect(await articlesTitled(t, article.title)).toBe(2);
    });
  });
}

describe('idempotency keys with Redis', () => {
  let t: TestApp;
  let send: Send;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  let redis: Redis;
  let keyPrefix: string;
  beforeAll(async () => {
    t = await bootWith({});
    keyPrefix = t.app.get<RedisConfig>(redisConfig.KEY, { strict: false }).keyPrefix;
    send = await listenOnSocket(t);
    alice = await registerUser(t);
    bob = await registerUser(t);
    redis = new Redis(process.env.REDIS_URL as string);
  });
  afterAll(async () => {
    redis?.disconnect();
    await t?.close();
  });

  sharedBehaviour('Redis', () => ({ t, send, alice, bob }));

  it('replays a v1 write (202 with Location) with the same status, headers and body', async () => {
    const user = await registerUser(t);
    const key = randomUUID();
    const create = () =>
      send({
        method: 'POST',
        url: '/api/v1/reports',
        token: user.token,
        body: { format: 'csv' },
        headers: { 'idempotency-key': key },
      });
    const first = await create();
    const second = await create();
    expect(first.status).toBe(202);
    expect(first.headers.location).toMatch(/^\/api\/v1\/reports\/[\w-]+$/);
    expect(second.status).toBe(202);
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    const [row] = await t.dataSource.query<Array<{ n: number }>>(
      'SELECT count(*)::int AS n FROM reports WHERE owner_id = $1',
      [userIdOf(user)],
    );
    expect(row!.n).toBe(1);
  });

  it('stores the answer in Redis under the prefix for IDEMPOTENCY_TTL_SECONDS, keyed by a hash of the scope', async () => {
    const article = buildArticle();
    const key = randomUUID();
    const first = await postArticle(send, alice.token, article, key);
    const scope = scopeOf({
      caller: `user:${userIdOf(alice)}`,
      method: 'POST',
      path: '/api/articles',
      url: '/api/articles',
      key,
      body: { article },
    });
    const redisKey = `${keyPrefix}idempotency:${scope}`;
    const stored = JSON.parse((await redis.get(redisKey)) as string);
    expect(stored).toMatchObject({ state: 'completed', response: { status: 201 } });
    expect(stored.response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Buffer.from(stored.response.body, 'base64').toString('utf8')).toBe(first.text);
    const ttl = await redis.pttl(redisKey);
    expect(ttl).toBeGreaterThan(86_400_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(86_400_000);
  });

  it('stores the identity coding and replays it compressed afresh, as the first answer was', async () => {
    const article = buildArticle({ body: 'A long body that compresses well. '.repeat(200) });
    const key = randomUUID();
    const first = await postArticle(send, alice.token, article, key);
    const second = await postArticle(send, alice.token, article, key);
    expect(first.status).toBe(201);
    // fetch accepts gzip and deflate: the server picks gzip, for the first answer and the replay alike.
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(second.headers['content-encoding']).toBe('gzip');
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.text).toBe(first.text);
    expect(second.body.article.body).toBe(article.body);
  });

  it('stores a 4xx as final: the same invalid request is answered the same 422 again', async () => {
    const key = randomUUID();
    const invalid = { title: '', description: 'd', body: 'b' };
    const first = await postArticle(send, alice.token, invalid as NewArticle, key);
    const second = await postArticle(send, alice.token, invalid as NewArticle, key);
    expect(first.status).toBe(422);
    expect(first.body.code).toBe('VALIDATION_FAILED');
    expect(second.status).toBe(422);
    expect(second.text).toBe(first.text);
    expect(second.headers['idempotent-replayed']).toBe('true');
  });

  it('replays a 204 without a body', async () => {
    const id = randomUUID();
    const key = randomUUID();
    const call = () =>
      send({
        method: 'POST',
        url: `/api/v1/test-idempotency/empty/${id}`,
        token: alice.token,
        headers: { 'idempotency-key': key },
      });
    const first = await call();
    const second = await call();
    expect(first.status).toBe(204);
    expect(second.status).toBe(204);
    expect(second.text).toBe('');
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(runs.get(`empty:${id}`)).toBe(1);
  });

  it('reads a quoted key (the IETF draft form) as the same key as the bare one', async () => {
    const article = buildArticle();
    const key = randomUUID();
    expect((await postArticle(send, alice.token, article, key)).status).toBe(201);
    const quoted = await postArticle(send, alice.token, article, `"${key}"`);
    expect(quoted.status).toBe(201);
    expect(quoted.headers['idempotent-replayed']).toBe('true');
    expect(await articlesTitled(t, article.title)).toBe(1);
  });

  it('refuses an invalid key with 400 IDEMPOTENCY_KEY_INVALID in the shape of the path, before any write', async () => {
    const article = buildArticle();
    const realworld = await postArticle(send, alice.token, article, 'k'.repeat(256));
    expect(realworld.status).toBe(400);
    expect(realworld.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID', errors: { body: [expect.any(String)] } });
    const problem = await send({
      method: 'POST',
      url: '/api/v1/reports',
      token: alice.token,
      body: { format: 'csv' },
      headers: { 'idempotency-key': 'tab\tinside' },
    });
    expect(problem.status).toBe(400);
    expect(problem.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(problem.body).toMatchObject({ status: 400, code: 'IDEMPOTENCY_KEY_INVALID' });
    expect(await articlesTitled(t, article.title)).toBe(0);
  });

  it('answers 409 while a claim of a dead process holds the key, and runs once the claim expired', async () => {
    const article = buildArticle();
    const key = randomUUID();
    const request = {
      caller: `user:${userIdOf(alice)}`,
      method: 'POST',
      path: '/api/articles',
      url: '/api/articles',
      key,
      body: { article },
    };
    // What a process that crashed mid-request leaves behind: a claim nobody renews, completes or releases.
    const store = new RedisIdempotencyStore(redis, keyPrefix);
    const claim = { state: 'in_flight' as const, fingerprint: fingerprintOf(request), token: randomUUID() };
    expect(await store.claim(scopeOf(request), claim, 400)).toBeNull();
    const blocked = await postArticle(send, alice.token, article, key);
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    expect(blocked.headers['retry-after']).toBe('1');
    await sleep(500);
    const after = await postArticle(send, alice.token, article, key);
    expect(after.status).toBe(201);
    expect(after.headers['idempotent-replayed']).toBeUndefined();
    expect(await articlesTitled(t, article.title)).toBe(1);
  });

  it('lets a route opt out with @SkipIdempotency()', async () => {
    const id = randomUUID();
    const key = randomUUID();
    const call = () =>
      send({
        method: 'POST',
        url: `/api/v1/test-idempotency/skipped/${id}`,
        token: alice.token,
        headers: { 'idempotency-key': key },
      });
    expect((await call()).body).toEqual({ runs: 1 });
    const second = await call();
    expect(second.body).toEqual({ runs: 2 });
    expect(second.headers['idempotent-replayed']).toBeUndefined();
  });

  it('counts outcomes in folio_idempotency_requests_total', async () => {
    expect(await metric(t, 'folio_idempotency_requests_total', 'outcome', 'executed')).toBeGreaterThan(0);
    expect(await metric(t, 'folio_idempotency_requests_total', 'outcome', 'replayed')).toBeGreaterThan(0);
    expect(await metric(t, 'folio_idempotency_requests_total', 'outcome', 'reused')).toBeGreaterThan(0);
    expect(await metric(t, 'folio_idempotency_requests_total', 'outcome', 'in_use')).toBeGreaterThan(0);
    expect(await metric(t, 'folio_idempotency_store_errors_total', 'operation', 'claim')).toBe(0);
  });

  it('covers every versioned write route, and documents the header on each in OpenAPI', async () => {
    const admin = await registerUser(t);
    const token = adminToken(t, admin);
    const document = (await t.request({ method: 'GET', url: '/docs-json' })).body;
    const checked: string[] = [];
    const missed: string[] = [];
    for (const { method, path: route, documentedPath, controller, handler } of controllerRoutes(t.app)) {
      if (!idempotencyApplies(method, route)) continue;
      const skipped =
        Reflect.getMetadata(SKIP_IDEMPOTENCY, handler) ?? Reflect.getMetadata(SKIP_IDEMPOTENCY, controller);
      if (skipped) continue;
      checked.push(`${method} ${route}`);
      // At run time: the interceptor reads the header on this route (an invalid key is refused before anything).
      const url = route.replace(/:(\w+)/g, (_match, param: string) => `x-${param}`);
      const answer = await send({
        method: method as RequestOptions['method'],
        url,
        token,
        body: {},
        headers: { 'idempotency-key': '' },
      });
      if (answer.status !== 400 || answer.body?.code !== 'IDEMPOTENCY_KEY_INVALID') {
        missed.push(`${method} ${route}: ${answer.status} ${answer.body?.code}`);
      }
      // In the document: the optional header parameter and the 409 of a key in use.
      if (route.startsWith('/api/v1/test-')) continue;
      const operation = document.paths[documentedPath]?.[method.toLowerCase()];
      const documented = operation?.parameters?.some(
        (parameter: { name: string; in: string; required: boolean }) =>
          parameter.name === 'Idempotency-Key' && parameter.in === 'header' && !parameter.required,
      );
      if (!documented || !operation.responses['409']) missed.push(`${method} ${route}: not documented`);
    }
    expect(checked).toEqual(
      expect.arrayContaining(['POST /api/articles', 'POST /api/v1/reports', 'PUT /api/v1/notifications/preferences']),
    );
    expect(missed).toEqual([]);
  });
});

describe('idempotency keys in process (embedded mode: no REDIS_URL)', () => {
  let t: TestApp;
  let send: Send;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const saved = { ...process.env };
    const own = await useOwnJobsEnvironment('idempotency', { backend: 'postgres' });
    drop = own.drop;
    try {
      t = await createTestApp(IdempotencyTestModule);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      resetEnvironment();
    }
    send = await listenOnSocket(t);
    alice = await registerUser(t);
    bob = await registerUser(t);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  sharedBehaviour('in process', () => ({ t, send, alice, bob }));
});

describe('idempotency keys while Redis is out: writes still go through', () => {
  it(
    'with Redis down from the start, keyed writes succeed (without replay) and the failures are counted',
    { timeout: 20_000 },
    async () => {
      const t = await bootWith({ REDIS_URL: 'redis://127.0.0.1:1' });
      try {
        const user = await registerUser(t);
        const article = buildArticle();
        const key = randomUUID();
        const first = await postArticle(t.request, user.token, article, key);
        const second = await postArticle(t.request, user.token, article, key);
        expect([first.status, second.status]).toEqual([201, 201]);
        expect(second.headers['idempotent-replayed']).toBeUndefined();
        expect(await articlesTitled(t, article.title)).toBe(2);
        expect(await metric(t, 'folio_idempotency_store_errors_total', 'operation', 'claim')).toBeGreaterThanOrEqual(2);
        expect(await metric(t, 'folio_idempotency_requests_total', 'outcome', 'bypassed')).toBeGreaterThanOrEqual(2);
      } finally {
        await t.close();
      }
    },
  );

  it(
    'when Redis stalls or dies mid-run, writes succeed in bounded time; keys work again once it is back',
    { timeout: 30_000 },
    async () => {
      const relay = await startRelay(new URL(process.env.REDIS_URL as string));
      const t = await bootWith({ REDIS_URL: relay.url });
      try {
        const send = await listenOnSocket(t);
        const user = await registerUser(t);
        const before = buildArticle();
        const key = randomUUID();
        expect((await postArticle(send, user.token, before, key)).status).toBe(201);
        expect((await postArticle(send, user.token, before, key)).headers['idempotent-replayed']).toBe('true');

        // Stalled: the claim times out (IDEMPOTENCY_REDIS_TIMEOUT_MS), the write goes through without waiting more.
        relay.mode('pause');
        const stalled = buildArticle();
        const stalledKey = randomUUID();
        const started = performance.now();
        const written = await postArticle(send, user.token, stalled, stalledKey);
        expect(written.status).toBe(201);
        expect(performance.now() - started).toBeLessThan(5_000);
        expect(await articlesTitled(t, stalled.title)).toBe(1);
        expect(await metric(t, 'folio_idempotency_store_errors_total', 'operation', 'claim')).toBeGreaterThanOrEqual(1);

        // The stalled claim and its completion were queued in order on the store's connection: once Redis answers
        // again (and the 1 s pause after a failure is over), the retry finds the answer instead of writing again.
        relay.mode('pass');
        await sleep(1_200);
        const retried = await postArticle(send, user.token, stalled, stalledKey);
        expect(retried.status).toBe(201);
        expect(retried.headers['idempotent-replayed']).toBe('true');
        expect(retried.text).toBe(written.text);
        expect(await articlesTitled(t, stalled.title)).toBe(1);

        // Dead: nothing is even tried.
        relay.mode('refuse');
        const dead = buildArticle();
        expect((await postArticle(send, user.token, dead, randomUUID())).status).toBe(201);
        expect(await articlesTitled(t, dead.title)).toBe(1);

        relay.mode('pass');
        const after = buildArticle();
        const afterKey = randomUUID();
        await expect
          .poll(
            async () => {
              await postArticle(send, user.token, after, afterKey);
              return (await postArticle(send, user.token, after, afterKey)).headers['idempotent-replayed'];
            },
            { timeout: 15_000, interval: 500 },
          )
          .toBe('true');
      } finally {
        relay.mode('pass');
        await t.close();
        await relay.close();
      }
    },
  );
});
