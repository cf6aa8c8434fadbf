import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsExposure } from '../../../src/core/metrics/metrics-exposure.js';
import { registerUser } from '../../factories/users.js';
import {
  createTestApp,
  listenOnSocket,
  type RequestOptions,
  type TestApp,
  type TestResponse,
} from '../../setup/test-app.js';
import { productionEnvironment, withEnvironment } from '../../support/jobs.js';
import { has, parseMetrics, valueOf, type Sample } from './metrics-text.js';

describe('GET /metrics on the api port (development and test)', () => {
  let t: TestApp;
  let send: (options: RequestOptions) => Promise<TestResponse>;
  const scrape = async (): Promise<Sample[]> => {
    const response = await send({ method: 'GET', url: '/metrics', headers: { accept: 'text/plain' } });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseMetrics(response.text);
  };

  beforeAll(async () => {
    t = await createTestApp();
    send = await listenOnSocket(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts requests by route template and status, never by raw URL', async () => {
    const user = await registerUser(t);
    const before = await scrape();
    const profile = { method: 'GET', route: '/api/profiles/:username', status: '200' };
    const missing = { method: 'GET', route: '/api/articles/:slug', status: '404' };
    const unmatched = { method: 'GET', route: 'UNMATCHED', status: '404' };
    const invalid = { method: 'POST', route: '/api/users', status: '422' };

    expect((await send({ method: 'GET', url: `/api/profiles/${user.username}` })).status).toBe(200);
    expect((await send({ method: 'GET', url: '/api/articles/no-such-article-anywhere' })).status).toBe(404);
    const lost = await send({ method: 'GET', url: '/no/such/path/at-all' });
    expect(lost.status).toBe(404);
    expect((await send({ method: 'POST', url: '/api/users', body: { user: { email: 'x' } } })).status).toBe(422);

    const after = await scrape();
    for (const labels of [profile, missing, unmatched, invalid]) {
      expect(
        valueOf(after, 'http_server_requests_total', labels) - valueOf(before, 'http_server_requests_total', labels),
        JSON.stringify(labels),
      ).toBe(1);
    }
    // The raw URLs never become labels: one series per template.
    const routes = after.filter((s) => s.name === 'http_server_requests_total').map((s) => s.labels.route);
    expect(routes).not.toContain(`/api/profiles/${user.username}`);
    expect(routes).not.toContain('/no/such/path/at-all');
    expect(routes.every((route) => route === 'UNMATCHED' || route!.startsWith('/'))).toBe(true);

    // The duration histogram has the same templates, by status class, with cumulative buckets.
    const histogram = { method: 'GET', route: '/api/articles/:slug', status_class: '4xx' };
    expect(valueOf(after, 'http_server_request_duration_seconds_count', histogram)).toBeGreaterThanOrEqual(1);
    expect(valueOf(after, 'http_server_request_duration_seconds_bucket', { ...histogram, le: '+Inf' })).toBe(
      valueOf(after, 'http_server_request_duration_seconds_count', histogram),
    );
    expect(valueOf(after, 'http_server_request_duration_seconds_sum', histogram)).toBeGreaterThan(0);
  });

  it('counts read-cache misses and hits by route', async () => {
    const user = await registerUser(t);
    const labels = (result: string) => ({ route: '/api/profiles/:username', result });
    const before = await scrape();
    const first = await send({ method: 'GET', url: `/api/profiles/${user.username}` });
    const second = await send({ method: 'GET', url: `/api/profiles/${user.username}` });
    expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['miss', 'hit']);
    const after = await scrape();
    expect(
      valueOf(after, 'folio_cache_requests_total', labels('miss')) -
        valueOf(before, 'folio_cache_requests_total', labels('miss')),
    ).toBe(1);
    expect(
      valueOf(after, 'folio_cache_requests_total', labels('hit')) -
        valueOf(before, 'folio_cache_requests_total', labels('hit')),
    ).toBe(1);
  });

  it('reports the database pool, queue depth per queue, process metrics and the build', async () => {
    const samples = await scrape();
    expect(has(samples, 'folio_db_pool_connections', { state: 'in_use' })).toBe(true);
    expect(has(samples, 'folio_db_pool_connections', { state: 'idle' })).toBe(true);
    expect(valueOf(samples, 'folio_db_pool_waiting_requests')).toBeGreaterThanOrEqual(0);
    expect(has(samples, 'folio_db_pool_waiting_requests')).toBe(true);
    expect(valueOf(samples, 'folio_db_pool_max_connections')).toBeGreaterThan(0);
    const total = valueOf(samples, 'folio_db_pool_connections');
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(valueOf(samples, 'folio_db_pool_max_connections'));

    for (const queue of ['notifications', 'reports']) {
      expect(valueOf(samples, 'folio_queue_up', { queue }), queue).toBe(1);
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(has(samples, 'folio_queue_jobs', { queue, state }), `${queue} ${state}`).toBe(true);
      }
    }

    expect(has(samples, 'nodejs_eventloop_lag_seconds')).toBe(true);
    expect(has(samples, 'nodejs_eventloop_lag_p99_seconds')).toBe(true);
    expect(valueOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(has(samples, 'nodejs_heap_size_used_bytes')).toBe(true);
    expect(samples.find((s) => s.name === 'folio_build_info')).toEqual({
      name: 'folio_build_info',
      labels: { version: expect.stringMatching(/^\d+\.\d+\.\d+/), node_version: process.version },
      value: 1,
    });
  });

  it('is not part of the API: absent from the OpenAPI document, not rate limited, not authenticated', async () => {
    const document = await send({ method: 'GET', url: '/docs-json' });
    expect(Object.keys(document.body.paths)).not.toContain('/metrics');
    const response = await send({ method: 'GET', url: '/metrics' });
    expect(response.headers['ratelimit-limit']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('no-store');
  });
});

describe('GET /metrics in production', () => {
  let t: TestApp;
  let send: (options: RequestOptions) => Promise<TestResponse>;
  let restore: () => void;

  beforeAll(async () => {
    // METRICS_PORT=0 (a free port) is read back below.
    restore = withEnvironment(productionEnvironment());
    t = await createTestApp();
    send = await listenOnSocket(t);
  });
  afterAll(async () => {
    await t?.close();
    restore?.();
  });

  it('does not answer /metrics on the api port: 404 in the API error shape', async () => {
    const response = await send({ method: 'GET', url: '/metrics' });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    expect(response.text).not.toContain('http_server_requests_total');
  });

  it("serves it on METRICS_PORT, counting the api port's requests", async () => {
    await send({ method: 'GET', url: '/health/live' });
    const port = t.app.get(MetricsExposure).port;
    expect(port).toEqual(expect.any(Number));
    expect(port).not.toBe((t.app.getHttpServer().address() as { port: number }).port);
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseMetrics(await response.text());
    expect(
      valueOf(samples, 'http_server_requests_total', { method: 'GET', route: '/health/live', status: '200' }),
    ).toBe(1);
    expect(valueOf(samples, 'http_server_requests_total', { route: 'UNMATCHED', status: '404' })).toBe(1);
    expect(has(samples, 'process_resident_memory_bytes')).toBe(true);
    // Only /metrics there: the API is not reachable through the metrics port.
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(404);
  });
});

describe('rate-limit refusals', () => {
  let t: TestApp;
  let send: (options: RequestOptions) => Promise<TestResponse>;
  let restore: () => void;

  beforeAll(async () => {
    // Buckets of this file's own (a fresh key prefix), two requests per window.
    restore = withEnvironment({
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}metrics-rl-${randomBytes(3).toString('hex')}:`,
      RATE_LIMIT_DEFAULT_LIMIT: '2',
      RATE_LIMIT_DEFAULT_TTL_SECONDS: '60',
    });
    t = await createTestApp();
    send = await listenOnSocket(t);
  });
  afterAll(async () => {
    await t?.close();
    restore?.();
  });

  it('counts each 429 by route template, besides its status in the request counter', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await send({ method: 'GET', url: '/api/tags' })).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    const samples = parseMetrics((await send({ method: 'GET', url: '/metrics' })).text);
    expect(valueOf(samples, 'folio_rate_limit_rejections_total', { route: '/api/tags' })).toBe(2);
    expect(valueOf(samples, 'http_server_requests_total', { method: 'GET', route: '/api/tags', status: '429' })).toBe(
      2,
    );
    expect(valueOf(samples, 'http_server_requests_total', { method: 'GET', route: '/api/tags', status: '200' })).toBe(
      2,
    );
  });
});

describe('a scrape while Redis does not answer', () => {
  let t: TestApp;
  let restore: () => void;

  beforeAll(async () => {
    // A port nothing listens on: the queues' Redis is configured but unreachable.
    restore = withEnvironment({ REDIS_URL: 'redis://127.0.0.1:1' });
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
    restore?.();
  });

  it('still answers in time, with each queue marked down instead of a made-up depth', async () => {
    const started = Date.now();
    const response = await t.request({ method: 'GET', url: '/metrics' });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    const samples = parseMetrics(response.text);
    for (const queue of ['notifications', 'reports']) {
      expect(valueOf(samples, 'folio_queue_up', { queue }), queue).toBe(0);
      expect(has(samples, 'folio_queue_jobs', { queue }), queue).toBe(false);
    }
    expect(has(samples, 'folio_db_pool_connections', { state: 'idle' })).toBe(true);
  });
});
