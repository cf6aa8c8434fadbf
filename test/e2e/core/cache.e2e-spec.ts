import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { resetEnvironment } from '../../../src/core/config/app.config.js';
import { ReadScope, readScopes } from '../../../src/core/database/read-scope.js';
import { ProfilesService } from '../../../src/modules/profiles/index.js';
import { createArticle } from '../../factories/articles.js';
import { registerUser, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';
import { freePort } from '../../../src/core/net/free-port.js';

/** Boots an app with REDIS_URL replaced (the environment is parsed once per process, hence the reset). */
async function appWithRedis(url: string): Promise<TestApp> {
  const saved = process.env.REDIS_URL;
  process.env.REDIS_URL = url;
  resetEnvironment();
  try {
    return await createTestApp();
  } finally {
    process.env.REDIS_URL = saved;
    resetEnvironment();
  }
}

const profileOf = (t: TestApp, username: string, token?: string) =>
  t.request({ method: 'GET', url: `/api/profiles/${username}`, token });
const commentsOf = (t: TestApp, slug: string) => t.request({ method: 'GET', url: `/api/articles/${slug}/comments` });

describe('read cache: two app instances sharing Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  beforeAll(async () => {
    // A prefix of their own: writes by other files running in parallel bump no scope these two instances read,
    // so every hit and miss below is caused by this file alone.
    const saved = process.env.REDIS_KEY_PREFIX;
    process.env.REDIS_KEY_PREFIX = `${saved}two-instances:`;
    resetEnvironment();
    try {
      a = await createTestApp();
      b = await createTestApp();
    } finally {
      process.env.REDIS_KEY_PREFIX = saved;
      resetEnvironment();
    }
    alice = await registerUser(a);
    bob = await registerUser(a);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('misses, then hits with the same bytes and ETag, on either instance', async () => {
    const first = await profileOf(b, bob.username);
    expect(first.status).toBe(200);
    expect(first.headers['x-cache']).toBe('miss');
    const second = await profileOf(b, bob.username);
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.text).toBe(first.text);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['content-type']).toBe('application/json; charset=utf-8');
    // The other instance finds the entry in Redis (its own memory tier is cold).
    const other = await profileOf(a, bob.username);
    expect(other.headers['x-cache']).toBe('hit');
    expect(other.text).toBe(first.text);
  });

  it('stores its keys under the run prefix only', async () => {
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      const keys = await redis.keys(`*${bob.username}*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(key.startsWith(process.env.REDIS_KEY_PREFIX!)).toBe(true);
    } finally {
      redis.disconnect();
    }
  });

  it('never serves or stores authenticated reads', async () => {
    const response = await profileOf(b, bob.username, alice.token);
    expect(response.status).toBe(200);
    expect(response.headers['x-cache']).toBe('bypass');
    expect(response.body.profile.username).toBe(bob.username);
  });

  it('a profile update through one instance is read fresh through the other', async () => {
    const user = await registerUser(a);
    await profileOf(b, user.username);
    expect((await profileOf(b, user.username)).headers['x-cache']).toBe('hit');

    const update = await a.request({
      method: 'PUT',
      url: '/api/user',
      token: user.token,
      body: { user: { bio: 'v2' } },
    });
    expect(update.status).toBe(200);
    const fresh = await profileOf(b, user.username);
    expect(fresh.headers['x-cache']).toBe('miss');
    expect(fresh.body.profile.bio).toBe('v2');
  });

  it('a username change retires the old name and shows the new one everywhere it was cached', async () => {
    const user = await registerUser(a);
    const article = await createArticle(a, user.token);
    await a.request({
      method: 'POST',
      url: `/api/articles/${article.slug}/comments`,
      token: user.token,
      body: { comment: { body: 'first' } },
    });
    await profileOf(b, user.username);
    await commentsOf(b, article.slug);
    expect((await commentsOf(b, article.slug)).headers['x-cache']).toBe('hit');

    const renamed = `${user.username}_2`;
    const update = await a.request({
      method: 'PUT',
      url: '/api/user',
      token: user.token,
      body: { user: { username: renamed } },
    });
    expect(update.status).toBe(200);
    expect((await profileOf(b, user.username)).status).toBe(404);
    expect((await profileOf(b, renamed)).body.profile.username).toBe(renamed);
    const comments = await commentsOf(b, article.slug);
    expect(comments.headers['x-cache']).toBe('miss');
    expect(comments.body.comments[0].author.username).toBe(renamed);
  });

  it('a follow through one instance invalidates the profile on the other', async () => {
    await profileOf(b, bob.username);
    expect((await profileOf(b, bob.username)).headers['x-cache']).toBe('hit');
    const follow = await a.request({ method: 'POST', url: `/api/profiles/${bob.username}/follow`, token: alice.token });
    expect(follow.status).toBe(200);
    const after = await profileOf(b, bob.username);
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.body.profile.following).toBe(false);
  });

  it('adding and deleting a comment through one instance is read fresh through the other', async () => {
    const article = await createArticle(a, alice.token);
    expect((await commentsOf(b, article.slug)).body.comments).toEqual([]);
    expect((await commentsOf(b, article.slug)).headers['x-cache']).toBe('hit');

    const added = await a.request({
      method: 'POST',
      url: `/api/articles/${article.slug}/comments`,
      token: bob.token,
      body: { comment: { body: 'hello' } },
    });
    expect(added.status).toBe(200);
    const withComment = await commentsOf(b, article.slug);
    expect(withComment.body.comments.map((c: { body: string }) => c.body)).toEqual(['hello']);

    const deleted = await a.request({
      method: 'DELETE',
      url: `/api/articles/${article.slug}/comments/${added.body.comment.id}`,
      token: bob.token,
    });
    expect(deleted.status).toBe(200);
    expect((await commentsOf(b, article.slug)).body.comments).toEqual([]);
  });

  it('article writes through one instance are read fresh through the other: lists, tags, the article, v1', async () => {
    const tag = `cache-${Date.now().toString(36)}`;
    const byTag = (t: TestApp) => t.request({ method: 'GET', url: `/api/articles?tag=${tag}` });
    const byTagV1 = (t: TestApp) => t.request({ method: 'GET', url: `/api/v1/articles?tag=${tag}` });
    const tags = (t: TestApp) => t.request({ method: 'GET', url: '/api/tags' });
    const articleOf = (t: TestApp, slug: string) => t.request({ method: 'GET', url: `/api/articles/${slug}` });
    const warm = async (read: () => Promise<{ headers: Record<string, unknown> }>) => {
      await read();
      expect((await read()).headers['x-cache']).toBe('hit');
    };

    await warm(() => byTag(b));
    await warm(() => byTagV1(b));
    await warm(() => tags(b));
    const article = await createArticle(a, alice.token, { tagList: [tag] });
    expect((await byTag(b)).body.articles.map((x: { slug: string }) => x.slug)).toEqual([article.slug]);
    expect((await byTagV1(b)).body.articles.map((x: { slug: string }) => x.slug)).toEqual([article.slug]);
    // The tag may rank below the 200 listed when other files have made many: the list must be reloaded, at least.
    expect((await tags(b)).headers['x-cache']).toBe('miss');

    await warm(() => articleOf(b, article.slug));
    const edited = await a.request({
      method: 'PUT',
      url: `/api/articles/${article.slug}`,
      token: alice.token,
      body: { article: { description: 'edited through a' } },
    });
    expect(edited.status).toBe(200);
    expect((await articleOf(b, article.slug)).body.article.description).toBe('edited through a');
    expect((await byTag(b)).body.articles[0].description).toBe('edited through a');

    await warm(() => articleOf(b, article.slug));
    await warm(() => byTag(b));
    const favorited = await a.request({
      method: 'POST',
      url: `/api/articles/${article.slug}/favorite`,
      token: bob.token,
    });
    expect(favorited.status).toBe(200);
    expect((await articleOf(b, article.slug)).body.article.favoritesCount).toBe(1);
    expect((await byTag(b)).body.articles[0].favoritesCount).toBe(1);
    await warm(() => articleOf(b, article.slug));
    await a.request({ method: 'DELETE', url: `/api/articles/${article.slug}/favorite`, token: bob.token });
    expect((await articleOf(b, article.slug)).body.article.favoritesCount).toBe(0);

    await warm(() => articleOf(b, article.slug));
    await warm(() => tags(b));
    const deleted = await a.request({ method: 'DELETE', url: `/api/articles/${article.slug}`, token: alice.token });
    expect(deleted.status).toBe(200);
    expect((await articleOf(b, article.slug)).status).toBe(404);
    expect((await byTag(b)).body).toEqual({ articles: [], articlesCount: 0 });
    const afterDelete = await tags(b);
    expect(afterDelete.headers['x-cache']).toBe('miss');
    expect(afterDelete.body.tags).not.toContain(tag);
  });

  it('does not cache errors', async () => {
    const first = await profileOf(b, 'nobody-cached-here');
    expect(first.status).toBe(404);
    const user = await registerUser(a, { username: 'nobody-cached-here' + Date.now().toString(36) });
    expect((await profileOf(b, user.username)).status).toBe(200);
    expect((await profileOf(b, 'nobody-cached-here')).status).toBe(404);
  });

  it('fills the cache from the primary, never from a possibly lagging replica', async () => {
    const user = await registerUser(a);
    const service = b.app.get(ProfilesService);
    const original = service.getProfile.bind(service);
    const scopes: unknown[] = [];
    vi.spyOn(service, 'getProfile').mockImplementation((...args) => {
      scopes.push(readScopes.getStore());
      return original(...args);
    });
    expect((await profileOf(b, user.username)).headers['x-cache']).toBe('miss');
    expect((await profileOf(b, user.username, alice.token)).headers['x-cache']).toBe('bypass');
    expect(scopes).toHaveLength(2);
    expect(scopes[0]).toBe(ReadScope.primary);
    expect(scopes[1]).not.toBe(ReadScope.primary);
  });

  it('runs one load for many concurrent misses of one key (stampede protection)', async () => {
    const user = await registerUser(a);
    const load = vi.spyOn(b.app.get(ProfilesService), 'getProfile');
    const responses = await Promise.all(Array.from({ length: 12 }, () => profileOf(b, user.username)));
    expect(load).toHaveBeenCalledTimes(1);
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.text).toBe(responses[0].text);
    }
    const statuses = responses.map((response) => response.headers['x-cache']).sort();
    expect(statuses).toEqual([...Array.from({ length: 11 }, () => 'hit'), 'miss']);
  });
});

describe('read cache: Redis unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWithRedis('redis://127.0.0.1:1');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers reads and writes from the database, marked bypass', async () => {
    const user = await registerUser(t);
    const first = await profileOf(t, user.username);
    expect(first.status).toBe(200);
    expect(first.headers['x-cache']).toBe('bypass');
    const update = await t.request({
      method: 'PUT',
      url: '/api/user',
      token: user.token,
      body: { user: { bio: 'db' } },
    });
    expect(update.status).toBe(200);
    const second = await profileOf(t, user.username);
    expect(second.status).toBe(200);
    expect(second.body.profile.bio).toBe('db');
    expect(second.headers['x-cache']).toBe('bypass');
  });
});

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not start on ${port}`);
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

describe('read cache: Redis stopped and restarted under a running app', () => {
  let t: TestApp;
  let port: number;
  let redis: ChildProcess;
  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    t = await appWithRedis(`redis://127.0.0.1:${port}`);
  });
  afterAll(async () => {
    await t?.close();
    if (redis) await stopRedis(redis);
  });

  /** Repeats a read until the cache answers again (the client reconnects with a back-off of its own). */
  async function untilCached(username: string) {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const response = await profileOf(t, username);
      if (response.headers['x-cache'] !== 'bypass') return response;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the cache never came back');
  }

  it('keeps answering while Redis is down, and never serves what was cached before the outage', async () => {
    const user = await registerUser(t);
    await untilCached(user.username);
    expect((await profileOf(t, user.username)).headers['x-cache']).toBe('hit');

    // Stalled (the process stops answering, the connection stays up): the command timeout gives the read back.
    process.kill(redis.pid!, 'SIGSTOP');
    try {
      const stalled = await profileOf(t, user.username);
      expect(stalled.status).toBe(200);
      expect(stalled.headers['x-cache']).toBe('bypass');
    } finally {
      process.kill(redis.pid!, 'SIGCONT');
    }

    await stopRedis(redis);
    const during = await profileOf(t, user.username);
    expect(during.status).toBe(200);
    expect(during.headers['x-cache']).toBe('bypass');
    // This write's invalidation is lost: Redis is down.
    const update = await t.request({
      method: 'PUT',
      url: '/api/user',
      token: user.token,
      body: { user: { bio: 'new' } },
    });
    expect(update.status).toBe(200);
    expect((await profileOf(t, user.username)).body.profile.bio).toBe('new');

    // A restarted Redis without persistence: every version reads as before the outage, and the process still
    // holds the old answer in memory. The reconnection's epoch bump must retire it.
    redis = await startRedis(port);
    const after = await untilCached(user.username);
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.body.profile.bio).toBe('new');
  });
});
