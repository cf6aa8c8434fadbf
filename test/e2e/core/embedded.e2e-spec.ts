import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvironment } from '../../../src/core/config/app.config.js';
import { rootAccessProblem } from '../../../src/core/database/embedded-postgres.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

const dataRoot = mkdtempSync(join(tmpdir(), 'folio-embedded-'));
// mkdtemp makes it 0700; run as root, PostgreSQL runs as the postgres user and must enter it.
chmodSync(dataRoot, 0o755);
// Where the checkout itself sits in a folder the postgres user cannot enter (possible when run as root),
// embedded mode cannot work: then what is tested is that it says so clearly.
const problem = await rootAccessProblem(join(dataRoot, 'postgres'));

function useEmbeddedEnvironment(): void {
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;
  process.env.NODE_ENV = 'development';
  process.env.EMBEDDED_DATA_DIR = dataRoot;
  resetEnvironment();
}

afterAll(() => {
  rmSync(dataRoot, { recursive: true, force: true });
});

describe.skipIf(problem === undefined)('embedded mode where PostgreSQL cannot run', () => {
  it('refuses to start with a message naming the folder and the fixes', async () => {
    useEmbeddedEnvironment();
    await expect(createTestApp()).rejects.toThrow(/cannot enter .*chmod o\+x .*set DATABASE_URL/);
  });
});

// What `npm start` does on a fresh clone: no DATABASE_URL, no REDIS_URL.
describe.skipIf(problem !== undefined)('embedded mode (no external services)', () => {
  let t: TestApp;
  beforeAll(async () => {
    useEmbeddedEnvironment();
    t = await createTestApp();
  }, 180_000);
  afterAll(async () => {
    await t?.close();
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
