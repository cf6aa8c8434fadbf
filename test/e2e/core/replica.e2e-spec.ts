import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvironment } from '../../../src/core/config/app.config.js';
import { buildArticle } from '../../factories/articles.js';
import { registerUser, userIdOf, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';
import { PgCluster, pgClusterSupported } from '../../support/pg-cluster.js';

/**
 * A real streaming replica: a throwaway primary made by initdb, a replica of it by `pg_basebackup -R`.
 * Replay is paused on the replica, so what the replica serves is visibly older than the primary: a read
 * that sees a fresh write was served by the primary, one that does not was served by the replica.
 */
describe.skipIf(!pgClusterSupported)('read replicas', () => {
  let primary: PgCluster;
  let replica: PgCluster;
  let t: TestApp;
  let redis: Redis;
  let alice: RegisteredUser;
  let bob: RegisteredUser;

  beforeAll(async () => {
    primary = await PgCluster.createPrimary();
    replica = await PgCluster.createReplica(primary);
    process.env.DATABASE_URL = primary.url;
    process.env.DATABASE_REPLICA_URLS = replica.url;
    // Generous: the assertions right after a write must not race the window on a slow machine.
    process.env.READ_YOUR_WRITES_WINDOW_MS = '60000';
    resetEnvironment();
    t = await createTestApp();
    redis = new Redis(process.env.REDIS_URL as string);
    alice = await registerUser(t);
    bob = await registerUser(t);
    await replica.waitForReplayOf(primary);
  });

  afterAll(async () => {
    await t?.close();
    redis?.disconnect();
    await replica?.destroy();
    await primary?.destroy();
  });

  it('reports the replica in readiness', async () => {
    const response = await t.request({ method: 'GET', url: '/health/ready' });
    expect(response.status).toBe(200);
    expect(response.body.checks).toMatchObject({ database: 'up', 'replica-1': 'up' });
  });

  describe('with replay paused on the replica', () => {
    let slug: string;

    beforeAll(async () => {
      await replica.query('SELECT pg_wal_replay_pause()');
    });

    it('sends writes to the primary', async () => {
      const updated = await t.request({
        method: 'PUT',
        url: '/api/user',
        token: alice.token,
        body: { user: { bio: 'written on the primary' } },
      });
      expect(updated.status).toBe(200);
      const created = await t.request({
        method: 'POST',
        url: '/api/articles',
        token: alice.token,
        body: { article: buildArticle() },
      });
      expect(created.status).toBe(201);
      slug = created.body.article.slug;
      expect(await primary.query('SELECT bio FROM users WHERE username = $1', [alice.username])).toEqual([
        { bio: 'written on the primary' },
      ]);
      expect(await primary.query('SELECT 1 FROM articles WHERE slug = $1', [slug])).toHaveLength(1);
      expect(await replica.query('SELECT 1 FROM articles WHERE slug = $1', [slug])).toHaveLength(0);
    });

    it('records the writer in Redis, under the key prefix, before answering', async () => {
      const key = `${process.env.REDIS_KEY_PREFIX}ryw:${userIdOf(alice)}`;
      expect(await redis.exists(key)).toBe(1);
      expect(await redis.pttl(key)).toBeGreaterThan(0);
    });

    it('serves profile reads of other callers from the replica', async () => {
      const profile = await t.request({ method: 'GET', url: `/api/profiles/${alice.username}`, token: bob.token });
      expect(profile.status).toBe(200);
      expect(profile.body.profile.bio).toBeNull();
    });

    it('fills the read cache for anonymous callers from the primary, never from the lagging replica', async () => {
      const profile = await t.request({ method: 'GET', url: `/api/profiles/${alice.username}` });
      expect(profile.status).toBe(200);
      expect(profile.headers['x-cache']).toBe('miss');
      expect(profile.body.profile.bio).toBe('written on the primary');
    });

    it("serves the writer's own reads from the primary right after its write (read-your-writes)", async () => {
      const profile = await t.request({ method: 'GET', url: `/api/profiles/${alice.username}`, token: alice.token });
      expect(profile.status).toBe(200);
      expect(profile.body.profile.bio).toBe('written on the primary');
      const list = await t.request({
        method: 'GET',
        url: `/api/articles?author=${alice.username}`,
        token: alice.token,
      });
      expect(list.status).toBe(200);
      expect(list.body.articles.map((a: { slug: string }) => a.slug)).toContain(slug);
    });

    it('serves list reads of other callers from the replica', async () => {
      // Signed in, so not from the read cache (anonymous answers are filled from the primary, above).
      const list = await t.request({ method: 'GET', url: `/api/articles?author=${alice.username}`, token: bob.token });
      expect(list.status).toBe(200);
      expect(list.body.articles.map((a: { slug: string }) => a.slug)).not.toContain(slug);
    });

    it('a follow is seen by its author at once, by nobody else before replay', async () => {
      const followed = await t.request({
        method: 'POST',
        url: `/api/profiles/${bob.username}/follow`,
        token: alice.token,
      });
      expect(followed.status).toBe(200);
      const ownView = await t.request({ method: 'GET', url: `/api/profiles/${bob.username}`, token: alice.token });
      expect(ownView.body.profile.following).toBe(true);
      expect(await replica.query('SELECT 1 FROM follows')).toHaveLength(0);
    });

    it('lets everyone see the writes once the replica has replayed them', async () => {
      await replica.query('SELECT pg_wal_replay_resume()');
      await replica.waitForReplayOf(primary);
      const profile = await t.request({ method: 'GET', url: `/api/profiles/${alice.username}`, token: bob.token });
      expect(profile.body.profile.bio).toBe('written on the primary');
      const list = await t.request({ method: 'GET', url: `/api/articles?author=${alice.username}` });
      expect(list.body.articles.map((a: { slug: string }) => a.slug)).toContain(slug);
    });
  });

  describe('with the replica down', () => {
    beforeAll(async () => {
      await t.request({ method: 'PUT', url: '/api/user', token: bob.token, body: { user: { bio: 'bob, later' } } });
      await replica.stop();
    });

    it('serves reads from the primary instead of failing', async () => {
      const profile = await t.request({ method: 'GET', url: `/api/profiles/${bob.username}` });
      expect(profile.status).toBe(200);
      expect(profile.body.profile.bio).toBe('bob, later');
      const list = await t.request({ method: 'GET', url: '/api/articles?limit=1' });
      expect(list.status).toBe(200);
    });

    it('stays ready and reports the replica down', async () => {
      const response = await t.request({ method: 'GET', url: '/health/ready' });
      expect(response.status).toBe(200);
      expect(response.body.checks).toMatchObject({ database: 'up', 'replica-1': 'down' });
    });
  });
});
