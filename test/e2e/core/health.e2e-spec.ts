import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

describe('health endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /health/live answers 200 without touching dependencies', async () => {
    const response = await t.request({ method: 'GET', url: '/health/live' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: {} });
  });

  it('GET /health/ready checks the database and Redis', async () => {
    const response = await t.request({ method: 'GET', url: '/health/ready' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up' } });
  });
});

describe('health when a dependency is down', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A port nothing listens on: Redis is configured but unreachable.
    process.env.REDIS_URL = 'redis://127.0.0.1:1';
    const { resetEnvironment } = await import('../../../src/core/config/app.config.js');
    resetEnvironment();
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 503 naming the dependency, without its address or driver error', async () => {
    const response = await t.request({ method: 'GET', url: '/health/ready' });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      status: 503,
      code: 'DEPENDENCY_UNAVAILABLE',
      errors: [{ field: 'redis', message: 'redis is down' }],
    });
    expect(response.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });
});
