import { randomBytes } from 'node:crypto';
import { startRelay } from '../../support/tcp-relay.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SwaggerParser from '@apidevtools/swagger-parser';
import { resetEnvironment } from '../../../src/core/config/app.config.js';
import { buildOpenApiDocument } from '../../../src/core/http/openapi.js';
import { buildUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

const WINDOW_SECONDS = 2;
const DEFAULT_LIMIT = 5;
const AUTH_LIMIT = 2;

/** An app booted with these variables on top of the worker's, under a Redis key prefix of its own. */
async function bootApp(vars: Record<string, string>): Promise<{ app: TestApp; keyPrefix: string }> {
  const keyPrefix = `${process.env.REDIS_KEY_PREFIX}rl-${randomBytes(3).toString('hex')}:`;
  const all: Record<string, string> = {
    REDIS_KEY_PREFIX: keyPrefix,
    RATE_LIMIT_DEFAULT_LIMIT: String(DEFAULT_LIMIT),
    RATE_LIMIT_DEFAULT_TTL_SECONDS: String(WINDOW_SECONDS),
    RATE_LIMIT_AUTH_LIMIT: String(AUTH_LIMIT),
    RATE_LIMIT_AUTH_TTL_SECONDS: String(WINDOW_SECONDS),
    ...vars,
  };
  const saved = Object.fromEntries(Object.keys(all).map((name) => [name, process.env[name]]));
  Object.assign(process.env, all);
  resetEnvironment();
  try {
    return { app: await createTestApp(), keyPrefix };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetEnvironment();
  }
}

interface Call {
  method?: 'GET' | 'POST';
  url: string;
  /** The client address the request comes from (Fastify inject's remote address). */
  ip: string;
  token?: string;
  body?: object;
}

/** One request from a given client address. */
async function send(t: TestApp, { method = 'GET', url, ip, token, body }: Call) {
  const response = await t.app
    .getHttpAdapter()
    .getInstance()
    .inject({
      method,
      url,
      remoteAddress: ip,
      headers: token ? { authorization: `Token ${token}` } : {},
      ...(body ? { payload: body } : {}),
    });
  return { status: response.statusCode, headers: response.headers, body: response.json() as any };
}

/** A client address no other test uses, so each test starts with full buckets. */
let lastOctet = 0;
const freshIp = () => `10.20.${Math.floor(Math.random() * 250)}.${++lastOctet}`;

async function exhaust(t: TestApp, call: Call, limit = DEFAULT_LIMIT): Promise<void> {
  for (let i = 0; i < limit; i++) expect((await send(t, call)).status).toBe(200);
}

async function register(t: TestApp, ip: string): Promise<string> {
  const response = await send(t, { method: 'POST', url: '/api/users', ip, body: { user: buildUser() } });
  expect(response.status).toBe(201);
  return response.body.user.token as string;
}

describe('rate limits', () => {
  let t: TestApp;
  let keyPrefix: string;
  let redis: Redis;

  beforeAll(async () => {
    ({ app: t, keyPrefix } = await bootApp({}));
    redis = new Redis(process.env.REDIS_URL ?? '');
  });
  afterAll(async () => {
    await t?.close();
    redis?.disconnect();
  });

  it('counts down in the RateLimit fields, then answers 429 with Retry-After in the RealWorld shape under /api', async () => {
    const ip = freshIp();
    for (let i = 1; i <= DEFAULT_LIMIT; i++) {
      const response = await send(t, { url: '/api/tags', ip });
      expect(response.status).toBe(200);
      expect(response.headers).toMatchObject({
        'ratelimit-limit': String(DEFAULT_LIMIT),
        'ratelimit-remaining': String(DEFAULT_LIMIT - i),
        'ratelimit-policy': `${DEFAULT_LIMIT};w=${WINDOW_SECONDS}`,
      });
      expect(Number(response.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
      expect(response.headers['retry-after']).toBeUndefined();
      expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    }
    const refused = await send(t, { url: '/api/tags', ip });
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(refused.headers).toMatchObject({
      'retry-after': String(WINDOW_SECONDS),
      'ratelimit-limit': String(DEFAULT_LIMIT),
      'ratelimit-remaining': '0',
      'ratelimit-reset': String(WINDOW_SECONDS),
    });
    expect(refused.body).toEqual({
      errors: { body: [expect.stringContaining('Too many requests')] },
      code: 'RATE_LIMITED',
      requestId: refused.headers['x-request-id'],
    });
  });

  it('refuses before authentication, in problem+json under /api/v1', async () => {
    const ip = freshIp();
    await exhaust(t, { url: '/api/tags', ip });
    // Anonymous on an authenticated route: the limit answers first, not the 401.
    const refused = await send(t, { url: '/api/v1/admin/feature-flags', ip });
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toBe(String(WINDOW_SECONDS));
    expect(refused.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', title: 'Too many requests' });
  });

  it('serves the client again once the window has passed', async () => {
    const ip = freshIp();
    await exhaust(t, { url: '/api/tags', ip });
    const refused = await send(t, { url: '/api/tags', ip });
    expect(refused.status).toBe(429);
    await sleep(Number(refused.headers['retry-after']) * 1000 + 100);
    const again = await send(t, { url: '/api/tags', ip });
    expect(again.status).toBe(200);
    expect(again.headers['ratelimit-remaining']).toBe(String(DEFAULT_LIMIT - 1));
  });

  it('keeps one bucket per user with a valid token and one per address without', async () => {
    const ip = freshIp();
    const alice = await register(t, freshIp());
    const bob = await register(t, freshIp());
    await exhaust(t, { url: '/api/user', ip, token: alice });
    expect((await send(t, { url: '/api/user', ip, token: alice })).status).toBe(429);
    // The user's bucket follows the user to another address.
    expect((await send(t, { url: '/api/tags', ip: freshIp(), token: alice })).status).toBe(429);
    // Another user, and anonymous calls, from the same address have buckets of their own.
    const asBob = await send(t, { url: '/api/user', ip, token: bob });
    expect(asBob.status).toBe(200);
    expect(asBob.headers['ratelimit-remaining']).toBe(String(DEFAULT_LIMIT - 1));
    expect((await send(t, { url: '/api/tags', ip })).headers['ratelimit-remaining']).toBe(String(DEFAULT_LIMIT - 1));
    // A token that does not verify is no identity: it counts against the address.
    const forged = await send(t, { url: '/api/tags', ip, token: `${alice}x` });
    expect(forged.status).toBe(200);
    expect(forged.headers['ratelimit-remaining']).toBe(String(DEFAULT_LIMIT - 2));
  });

  it('counts login and registration attempts together against the stricter auth limit, per address', async () => {
    const ip = freshIp();
    const token = await register(t, ip);
    const login = { method: 'POST' as const, url: '/api/users/login', ip, token };
    const wrong = { user: { email: 'nobody@example.com', password: 'wrong-password' } };
    const first = await send(t, { ...login, body: wrong });
    expect(first.status).toBe(401);
    expect(first.headers).toMatchObject({
      'ratelimit-limit': String(AUTH_LIMIT),
      'ratelimit-remaining': '0',
      // A login also counts against the account it names (`account`: 1 000 000 per 15 minutes in tests).
      'ratelimit-policy': `${DEFAULT_LIMIT};w=${WINDOW_SECONDS}, ${AUTH_LIMIT};w=${WINDOW_SECONDS}, 1000000;w=900`,
    });
    const refused = await send(t, { ...login, body: wrong });
    expect(refused.status).toBe(429);
    expect(refused.headers).toMatchObject({
      'retry-after': String(WINDOW_SECONDS),
      'ratelimit-limit': String(AUTH_LIMIT),
    });
    expect(refused.body.code).toBe('RATE_LIMITED');
    const registration = await send(t, { method: 'POST', url: '/api/users', ip, body: { user: buildUser() } });
    expect(registration.status).toBe(429);
    // Other routes from that address, and registration from another one, still pass.
    expect((await send(t, { url: '/api/tags', ip })).status).toBe(200);
    expect(
      (await send(t, { method: 'POST', url: '/api/users', ip: freshIp(), body: { user: buildUser() } })).status,
    ).toBe(201);
  });

  it('never limits the health probes or the documentation', async () => {
    const ip = freshIp();
    await exhaust(t, { url: '/api/tags', ip });
    for (const url of ['/health/live', '/health/ready', '/docs-json']) {
      const response = await send(t, { url, ip });
      expect(response.status, url).toBe(200);
      expect(response.headers['ratelimit-limit'], url).toBeUndefined();
    }
  });

  it('counts in Redis under the configured key prefix', async () => {
    const ip = freshIp();
    await send(t, { url: '/api/tags', ip });
    await send(t, { url: '/api/tags', ip });
    expect(await redis.get(`${keyPrefix}ratelimit:{default:ip:${ip}}:hits`)).toBe('2');
    expect(await redis.pttl(`${keyPrefix}ratelimit:{default:ip:${ip}}:hits`)).toBeGreaterThan(0);
  });

  it('documents the 429, in the shape of its path, and the fields on every limited operation', async () => {
    const document = JSON.parse(JSON.stringify(await buildOpenApiDocument(t.app)));
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeDefined();
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(item)) {
        const id = `${method.toUpperCase()} ${path}`;
        if (path.startsWith('/health/')) {
          expect(operation.responses['429'], id).toBeUndefined();
          continue;
        }
        const refused = operation.responses['429'];
        const media = /^\/api\/(?!v\d+\/)/.test(path) ? 'application/json' : 'application/problem+json';
        expect(Object.keys(refused?.content ?? {}), id).toEqual([media]);
        expect(Object.keys(refused.headers), id).toEqual(
          expect.arrayContaining(['Retry-After', 'RateLimit-Remaining']),
        );
        const success = Object.entries(operation.responses as Record<string, any>).find(([status]) => status < '300');
        expect(Object.keys(success?.[1].headers ?? {}), id).toContain('RateLimit-Remaining');
      }
    }
    expect(document.paths['/api/users/login'].post.responses['429'].description).toMatch(/`auth` limit/);
  });

  it('sends no fields and refuses nothing when disabled', async () => {
    const { app: disabled } = await bootApp({ RATE_LIMIT_ENABLED: 'false' });
    try {
      const ip = freshIp();
      for (let i = 0; i <= DEFAULT_LIMIT; i++) {
        const response = await send(disabled, { url: '/api/tags', ip });
        expect(response.status).toBe(200);
        expect(response.headers['ratelimit-limit']).toBeUndefined();
      }
    } finally {
      await disabled.close();
    }
  });
});

describe('rate limits while Redis is out', () => {
  it('serves requests with a dead Redis, counting per instance in memory', { timeout: 10_000 }, async () => {
    const { app: t } = await bootApp({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const ip = freshIp();
      for (let i = 1; i <= DEFAULT_LIMIT; i++) {
        const response = await send(t, { url: '/api/tags', ip });
        expect(response.status).toBe(200);
        expect(response.headers['ratelimit-remaining']).toBe(String(DEFAULT_LIMIT - i));
      }
      expect((await send(t, { url: '/api/tags', ip })).status).toBe(429);
    } finally {
      await t.close();
    }
  });

  it(
    'neither fails nor waits when Redis stops answering or drops, and shares again once it is back',
    { timeout: 20_000 },
    async () => {
      const relay = await startRelay(new URL(process.env.REDIS_URL ?? ''));
      const { app: t, keyPrefix } = await bootApp({ REDIS_URL: relay.url });
      const redis = new Redis(process.env.REDIS_URL ?? '');
      const hits = (ip: string) => redis.get(`${keyPrefix}ratelimit:{default:ip:${ip}}:hits`);
      try {
        // Connected: counted in Redis.
        const shared = freshIp();
        await expect.poll(async () => (await send(t, { url: '/api/tags', ip: freshIp() })).status).toBe(200);
        await expect.poll(async () => (await send(t, { url: '/api/tags', ip: shared }), hits(shared))).not.toBeNull();

        relay.mode('hang');
        const during = freshIp();
        for (let i = 0; i < 3; i++) expect((await send(t, { url: '/api/tags', ip: during })).status).toBe(200);

        relay.mode('refuse');
        for (let i = 0; i < 3; i++) expect((await send(t, { url: '/api/tags', ip: freshIp() })).status).toBe(200);

        relay.mode('pass');
        const after = freshIp();
        await expect
          .poll(async () => (await send(t, { url: '/api/tags', ip: after }), hits(after)), { timeout: 10_000 })
          .not.toBeNull();
      } finally {
        redis.disconnect();
        relay.mode('pass');
        await t.close();
        await relay.close();
      }
    },
  );
});
