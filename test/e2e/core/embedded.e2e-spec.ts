import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvironment } from '../../../src/core/config/app.config.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

// What `npm start` does on a fresh clone: no DATABASE_URL, no REDIS_URL.
describe('embedded mode (no external services)', () => {
  let t: TestApp;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'folio-embedded-'));
    // mkdtemp makes it 0700; run as root, PostgreSQL runs as the postgres user and must enter it.
    chmodSync(dataDir, 0o755);
    delete process.env.DATABASE_URL;
    delete process.env.REDIS_URL;
    process.env.NODE_ENV = 'development';
    process.env.EMBEDDED_DATA_DIR = dataDir;
    resetEnvironment();
    t = await createTestApp();
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts its own PostgreSQL, migrates it and reports ready', async () => {
    const response = await t.request({ method: 'GET', url: '/health/ready' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { database: 'up' } });
    expect(await t.dataSource.showMigrations()).toBe(false);
  });

  it('serves the Swagger UI', async () => {
    const response = await t.request({ method: 'GET', url: '/docs' });
    expect(response.status).toBe(200);
  });

  it('serves the API on it', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/users',
      body: { user: { username: 'embedded', email: 'embedded@example.com', password: 'password123' } },
    });
    expect(response.status).toBe(201);
  });
});
