import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvironment } from '../../../src/core/config/app.config.js';
import { placeEmbeddedPostgres } from '../../../src/core/database/embedded-placement.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

const dataRoot = mkdtempSync(join(tmpdir(), 'folio-embedded-'));
// mkdtemp makes it 0700; run as root, PostgreSQL runs as the postgres user and must enter it.
chmodSync(dataRoot, 0o755);

function useEmbeddedEnvironment(dataDir = dataRoot): void {
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;
  process.env.NODE_ENV = 'development';
  process.env.EMBEDDED_DATA_DIR = dataDir;
  resetEnvironment();
}

// Run as root from a closed folder, embedded mode writes a per-project folder under /var/tmp; the ones this
// file created go with it (a CI clone is new every run), the ones that were there stay.
const sharedBefore = new Set(sharedFolders());
function sharedFolders(): string[] {
  return existsSync('/var/tmp') ? readdirSync('/var/tmp').filter((name) => name.startsWith('folio-')) : [];
}

afterAll(() => {
  rmSync(dataRoot, { recursive: true, force: true });
  for (const name of sharedFolders()) {
    if (!sharedBefore.has(name)) rmSync(join('/var/tmp', name), { recursive: true, force: true });
  }
});

// A checkout under /root (mode 700): the postgres user PostgreSQL runs as cannot enter it.
describe.skipIf(userInfo().uid !== 0)('embedded mode as root, in a folder the postgres user cannot enter', () => {
  const closed = join(dataRoot, 'closed');

  it('keeps the data in a per-project folder under /var/tmp, and says so', () => {
    mkdirSync(closed, { mode: 0o700 });
    const placement = placeEmbeddedPostgres(join(closed, '.data'));
    expect(placement.databaseDir).toMatch(/^\/var\/tmp\/folio-[0-9a-f]{12}\/postgres$/);
    expect(placement.notes).toEqual([
      `the postgres user cannot enter ${closed}, so the data is in ${placement.databaseDir}`,
      ...placement.notes.slice(1),
    ]);
    // The postgres user reaches it: what initdb needs.
    execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-w', placement.databaseDir]);
  });

  it('starts and serves from there', async () => {
    useEmbeddedEnvironment(join(closed, '.data'));
    const t = await createTestApp();
    try {
      const response = await t.request({ method: 'GET', url: '/health/ready' });
      expect(response.status).toBe(200);
    } finally {
      await t.close();
    }
    expect(existsSync(join(closed, '.data', 'postgres', 'PG_VERSION'))).toBe(false);
  }, 180_000);
});

// What `npm start` does on a fresh clone: no DATABASE_URL, no REDIS_URL.
describe('embedded mode (no external services)', () => {
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
