import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvironment } from '../../../src/core/config/app.config.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

const LIMIT = 4;
const WINDOW_SECONDS = 30;

/** An app listening on a real port, booted with these variables on top of the worker's. */
async function listeningApp(vars: Record<string, string>): Promise<{ app: TestApp; url: string }> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  resetEnvironment();
  try {
    const app = await createTestApp();
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    return { app, url: await app.app.getUrl() };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetEnvironment();
  }
}

const limits = (keyPrefix: string, trustProxy: string) => ({
  REDIS_KEY_PREFIX: keyPrefix,
  TRUST_PROXY: trustProxy,
  RATE_LIMIT_DEFAULT_LIMIT: String(LIMIT),
  RATE_LIMIT_DEFAULT_TTL_SECONDS: String(WINDOW_SECONDS),
});

/** A client address no other test uses, claimed through X-Forwarded-For. */
let lastOctet = 0;
const forwardedFor = () => `203.0.113.${++lastOctet}`;

const get = (base: string, forwarded: string, headers: Record<string, string> = {}) =>
  fetch(new URL('/api/tags', base), { headers: { 'x-forwarded-for': forwarded, ...headers } });

describe('rate limits over real sockets', () => {
  const prefix = `${process.env.REDIS_KEY_PREFIX}rl-out-${randomBytes(3).toString('hex')}`;
  // Two replicas behind one proxy hop, on one Redis and one key prefix.
  let a: { app: TestApp; url: string };
  let b: { app: TestApp; url: string };
  // Exposed directly: X-Forwarded-For is whatever the client wrote, and is ignored.
  let direct: { app: TestApp; url: string };

  beforeAll(async () => {
    a = await listeningApp(limits(`${prefix}:shared:`, '1'));
    b = await listeningApp(limits(`${prefix}:shared:`, '1'));
    direct = await listeningApp(limits(`${prefix}:direct:`, 'false'));
  });
  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await direct?.app.close();
  });

  it('shares one bucket across two instances on the same Redis', async () => {
    const client = forwardedFor();
    const remaining: string[] = [];
    for (const base of [a.url, b.url, a.url, b.url]) {
      const response = await get(base, client);
      expect(response.status).toBe(200);
      remaining.push(response.headers.get('ratelimit-remaining') ?? '');
    }
    expect(remaining).toEqual(['3', '2', '1', '0']);
    for (const base of [a.url, b.url]) {
      const refused = await get(base, client);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe(String(WINDOW_SECONDS));
      expect(await refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
    }
  });

  it('counts each forwarded client apart behind a trusted proxy', async () => {
    const first = forwardedFor();
    for (let i = 0; i < LIMIT; i++) expect((await get(a.url, first)).status).toBe(200);
    expect((await get(a.url, first)).status).toBe(429);
    const second = await get(a.url, forwardedFor());
    expect(second.status).toBe(200);
    expect(second.headers.get('ratelimit-remaining')).toBe(String(LIMIT - 1));
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await get(direct.url, forwardedFor())).status).toBe(200);
    // Every request came from 127.0.0.1, whatever it claimed.
    const refused = await get(direct.url, forwardedFor());
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
  });

  it('lets a browser on another origin read the rate-limit fields', async () => {
    // A local RealWorld frontend (loopback origins are allowed outside production, docs/security.md#cors).
    const response = await get(b.url, forwardedFor(), { origin: 'http://localhost:4100' });
    expect(response.status).toBe(200);
    const exposed = (response.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    expect(exposed).toEqual(
      expect.arrayContaining([
        'ratelimit-limit',
        'ratelimit-remaining',
        'ratelimit-reset',
        'ratelimit-policy',
        'retry-after',
      ]),
    );
    // Readable, then: the fields are on the response.
    expect(response.headers.get('ratelimit-remaining')).toBe(String(LIMIT - 1));
  });
});
