import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

const ISO_8601 = /^\d{4,}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d:[0-5]\d\.\d+(?:[+-][0-2]\d:[0-5]\d|Z)$/;

/**
 * The flow of the official RealWorld API suite (its Postman collection, run by newman), written here
 * with the headers it sends on EVERY request: `Content-Type: application/json` even on GET and on
 * bodyless POST/DELETE, and `X-Requested-With: XMLHttpRequest`. Over a real socket with fetch's
 * keep-alive connection pool, in the suite's order, with the suite's assertions.
 */
describe('the RealWorld API suite flow, over a real socket', () => {
  let t: TestApp;
  let base: string;
  const suffix = randomBytes(3).toString('hex');
  const user = { username: `suite_${suffix}`, email: `suite_${suffix}@example.com`, password: 'suite-password' };
  const celeb = { username: `celeb_${suffix}`, email: `celeb_${suffix}@example.com`, password: 'suite-password' };
  let token = '';
  let slug = '';
  let commentId = 0;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `${await t.app.getUrl()}/api`;
  });
  afterAll(async () => {
    await t.close();
  });

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        'Content-Type': 'application/json',
        'X-Requested-With': 'XMLHttpRequest',
        ...(token && { Authorization: `Token ${token}` }),
      },
      body: body === undefined ? (method === 'GET' ? undefined : '') : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  function expectArticle(article: any): void {
    for (const key of ['title', 'slug', 'description', 'tagList', 'author', 'favorited', 'favoritesCount']) {
      expect(article, key).toHaveProperty(key);
    }
    expect(article.createdAt).toMatch(ISO_8601);
    expect(article.updatedAt).toMatch(ISO_8601);
    expect(Array.isArray(article.tagList)).toBe(true);
    expect(Number.isInteger(article.favoritesCount)).toBe(true);
  }

  it('registers, logs in, reads and updates the user', async () => {
    const celebrity = await call('POST', '/users', { user: celeb });
    expect(celebrity.status).toBe(201);
    const registered = await call('POST', '/users', { user });
    expect(registered.status).toBe(201);
    const login = await call('POST', '/users/login', { user: { email: user.email, password: user.password } });
    expect(login.status).toBe(200);
    for (const key of ['email', 'username', 'bio', 'image', 'token']) expect(login.json.user).toHaveProperty(key);
    token = login.json.user.token;
    const current = await call('GET', '/user');
    expect(current).toMatchObject({ status: 200, json: { user: { email: user.email } } });
    const updated = await call('PUT', '/user', { user: { email: user.email } });
    expect(updated).toMatchObject({ status: 200, json: { user: { email: user.email } } });
  });

  it('creates an article and finds it in the lists, tagList sorted', async () => {
    const created = await call('POST', '/articles', {
      article: {
        title: 'How to train your dragon',
        description: 'Ever wonder how?',
        body: 'Very carefully.',
        tagList: ['training', 'dragons'],
      },
    });
    expect(created.status).toBe(201);
    expectArticle(created.json.article);
    expect(created.json.article.body).toBe('Very carefully.');
    expect(created.json.article.tagList).toEqual(['dragons', 'training']);
    slug = created.json.article.slug;

    for (const query of ['', `?author=${user.username}`, '?tag=dragons', '?limit=2&offset=0']) {
      const list = await call('GET', `/articles${query}`);
      expect(list.status, query).toBe(200);
      expect(Number.isInteger(list.json.articlesCount)).toBe(true);
      expect(list.json.articles.length).toBeGreaterThan(0);
      expectArticle(list.json.articles[0]);
    }
    const feed = await call('GET', '/articles/feed');
    expect(feed).toMatchObject({ status: 200, json: { articles: [], articlesCount: 0 } });
    const single = await call('GET', `/articles/${slug}`);
    expect(single.json.article.tagList).toEqual(['dragons', 'training']);
  });

  it('favorites and unfavorites with a JSON content-type and no body', async () => {
    const favorited = await call('POST', `/articles/${slug}/favorite`);
    expect(favorited.status).toBe(200);
    expectArticle(favorited.json.article);
    expect(favorited.json.article).toMatchObject({ favorited: true, favoritesCount: 1 });
    const byFavorite = await call('GET', `/articles?favorited=${user.username}`);
    expect(byFavorite.json.articles.map((a: any) => a.slug)).toContain(slug);
    const unfavorited = await call('DELETE', `/articles/${slug}/favorite`);
    expect(unfavorited.json.article).toMatchObject({ favorited: false, favoritesCount: 0 });
  });

  it('comments, lists and deletes a comment with no body', async () => {
    const created = await call('POST', `/articles/${slug}/comments`, { comment: { body: 'Thank you so much!' } });
    expect(created.status).toBe(200);
    for (const key of ['id', 'body', 'createdAt', 'updatedAt', 'author'])
      expect(created.json.comment).toHaveProperty(key);
    expect(created.json.comment.createdAt).toMatch(ISO_8601);
    commentId = created.json.comment.id;
    const list = await call('GET', `/articles/${slug}/comments`);
    expect(list.json.comments.map((c: any) => c.id)).toContain(commentId);
    const deleted = await call('DELETE', `/articles/${slug}/comments/${commentId}`);
    expect(deleted.status).toBe(200);
    const after = await call('GET', `/articles/${slug}/comments`);
    expect(after.json.comments.map((c: any) => c.id)).not.toContain(commentId);
  });

  it('follows and unfollows a profile with no body, and deletes the article', async () => {
    const profile = await call('GET', `/profiles/${celeb.username}`);
    expect(profile).toMatchObject({ status: 200, json: { profile: { username: celeb.username, following: false } } });
    const followed = await call('POST', `/profiles/${celeb.username}/follow`);
    expect(followed).toMatchObject({ status: 200, json: { profile: { following: true } } });
    const unfollowed = await call('DELETE', `/profiles/${celeb.username}/follow`);
    expect(unfollowed).toMatchObject({ status: 200, json: { profile: { following: false } } });
    const tags = await call('GET', '/tags');
    expect(tags.json.tags).toEqual(expect.arrayContaining(['dragons', 'training']));
    const deleted = await call('DELETE', `/articles/${slug}`);
    expect(deleted.status).toBe(200);
    expect((await call('GET', `/articles/${slug}`)).status).toBe(404);
  });
});
