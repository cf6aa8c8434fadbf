import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutBucket } from '../../../src/core/flags/feature-flags.service.js';
import { createArticle, uniqueTag } from '../../factories/articles.js';
import { adminToken, registerUser, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';
import { createScratchDatabase } from '../../setup/test-database.js';

const FLAG = '/api/v1/admin/feature-flags/tag-counts';

// Flags are state shared by every app on a database: this file gets a database of its own, and two app
// instances on it and on the one Redis play two replicas.
describe('feature flags', () => {
  let a: TestApp;
  let b: TestApp;
  let drop: () => Promise<void>;
  let admin: string;
  let reader: RegisteredUser;

  beforeAll(async () => {
    const scratch = await createScratchDatabase(new URL(process.env.DATABASE_URL ?? ''), 'flags');
    drop = scratch.drop;
    process.env.DATABASE_URL = scratch.url.toString();
    process.env.DATABASE_MIGRATE_ON_START = 'true';
    a = await createTestApp();
    b = await createTestApp();
    const owner = await registerUser(a);
    admin = adminToken(a, owner);
    reader = await registerUser(a);
    await createArticle(a, owner.token, { tagList: [uniqueTag('flagged')] });
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  it('hides the flagged endpoint while its flag is off (the default)', async () => {
    const response = await a.request({ method: 'GET', url: '/api/v1/tags' });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'ROUTE_NOT_FOUND', status: 404 });
  });

  it('lets only admins list and change flags', async () => {
    const asUser = await a.request({ method: 'PUT', url: FLAG, token: reader.token, body: { enabled: true } });
    expect(asUser.status).toBe(403);
    const list = await a.request({ method: 'GET', url: '/api/v1/admin/feature-flags', token: admin });
    expect(list.status).toBe(200);
    expect(list.body.flags).toContainEqual({
      name: 'tag-counts',
      description: expect.any(String),
      enabled: false,
      rolloutPercent: 100,
      overridden: false,
    });
    const unknown = await a.request({
      method: 'PUT',
      url: '/api/v1/admin/feature-flags/nope',
      token: admin,
      body: { enabled: true },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('FEATURE_FLAG_NOT_FOUND');
    const invalid = await a.request({
      method: 'PUT',
      url: FLAG,
      token: admin,
      body: { enabled: true, rolloutPercent: 101 },
    });
    expect(invalid.status).toBe(422);
  });

  it('turns on for everyone on every replica at once, and back to its default', async () => {
    // Replica b has read the flag (off) and caches it.
    expect((await b.request({ method: 'GET', url: '/api/v1/tags' })).status).toBe(404);
    const on = await a.request({ method: 'PUT', url: FLAG, token: admin, body: { enabled: true } });
    expect(on.body).toMatchObject({ name: 'tag-counts', enabled: true, rolloutPercent: 100, overridden: true });
    const [{ updated_by }] = await a.dataSource.query("SELECT updated_by FROM feature_flags WHERE name = 'tag-counts'");
    expect(updated_by).toEqual(expect.any(String));

    const served = await a.request({ method: 'GET', url: '/api/v1/tags' });
    expect(served.status).toBe(200);
    expect(served.body.tags[0]).toEqual({ name: expect.stringMatching(/^flagged-/), articlesCount: 1 });
    // The change reaches the other replica through Redis, well within its 30 s cache lifetime.
    let other = 0;
    for (let attempt = 0; attempt < 20 && other !== 200; attempt++) {
      other = (await b.request({ method: 'GET', url: '/api/v1/tags' })).status;
      if (other !== 200) await sleep(50);
    }
    expect(other).toBe(200);

    const reset = await a.request({ method: 'DELETE', url: FLAG, token: admin });
    expect(reset.body).toMatchObject({ enabled: false, overridden: false });
    expect((await a.request({ method: 'GET', url: '/api/v1/tags' })).status).toBe(404);
  });

  it('rolls out to a stable share of signed-in users by a hash of their id', async () => {
    await a.request({ method: 'PUT', url: FLAG, token: admin, body: { enabled: true, rolloutPercent: 50 } });
    const users = await Promise.all(Array.from({ length: 12 }, () => registerUser(a)));
    const idOf = (user: RegisteredUser) =>
      (JSON.parse(Buffer.from(user.token.split('.')[1], 'base64url').toString()) as { sub: string }).sub;
    let inside = 0;
    for (const user of users) {
      const expected = rolloutBucket('tag-counts', idOf(user)) < 50 ? 200 : 404;
      if (expected === 200) inside += 1;
      const response = await a.request({ method: 'GET', url: '/api/v1/tags', token: user.token });
      expect(response.status, user.username).toBe(expected);
      // Stable: the same user gets the same answer again.
      expect((await a.request({ method: 'GET', url: '/api/v1/tags', token: user.token })).status).toBe(expected);
    }
    expect(inside).toBeGreaterThan(0);
    expect(inside).toBeLessThan(users.length);
    // Anonymous callers have no id to bucket: only a 100 % rollout reaches them.
    expect((await a.request({ method: 'GET', url: '/api/v1/tags' })).status).toBe(404);
    await a.request({ method: 'DELETE', url: FLAG, token: admin });
  });
});
