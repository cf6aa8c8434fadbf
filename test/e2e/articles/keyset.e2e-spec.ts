import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArticle, uniqueTag } from '../../factories/articles.js';
import { registerUser, type RegisteredUser } from '../../factories/users.js';
import { buildOpenApiDocument } from '../../../src/core/http/openapi.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

interface Page {
  articles: { slug: string; createdAt: string; author: { username: string }; tagList: string[]; favorited: boolean }[];
  nextCursor: string | null;
}

describe('articles: keyset pages on /api/v1', () => {
  let t: TestApp;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  let reader: RegisteredUser;
  const tag = uniqueTag('keyset');
  const tieTag = uniqueTag('tie');
  let tagged: string[] = [];

  /** Follows `nextCursor` to the end; `between` runs after each page (concurrent writers). */
  async function walk(url: string, token?: string, between?: () => Promise<unknown>): Promise<string[]> {
    const slugs: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 1_000; pages += 1) {
      const separator = url.includes('?') ? '&' : '?';
      const response = await t.request({
        method: 'GET',
        url: cursor ? `${url}${separator}cursor=${cursor}` : url,
        token,
      });
      expect(response.status).toBe(200);
      const page = response.body as Page;
      slugs.push(...page.articles.map((article) => article.slug));
      if (page.nextCursor === null) return slugs;
      cursor = page.nextCursor;
      await between?.();
    }
    throw new Error('the walk did not end');
  }

  beforeAll(async () => {
    t = await createTestApp();
    [alice, bob, reader] = [await registerUser(t), await registerUser(t), await registerUser(t)];
    for (let i = 0; i < 9; i += 1) {
      tagged.push((await createArticle(t, (i % 2 === 0 ? alice : bob).token, { tagList: [tag, `${tag}-x`] })).slug);
    }
    tagged = tagged.reverse(); // newest first
    await t.request({ method: 'POST', url: `/api/profiles/${alice.username}/follow`, token: reader.token });
    await t.request({ method: 'POST', url: `/api/profiles/${bob.username}/follow`, token: reader.token });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers { articles, nextCursor } in the list shape, newest first, null at the end', async () => {
    const first = await t.request({ method: 'GET', url: `/api/v1/articles?tag=${tag}&limit=4`, token: reader.token });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(['articles', 'nextCursor']);
    const page = first.body as Page;
    expect(page.articles.map((a) => a.slug)).toEqual(tagged.slice(0, 4));
    expect(page.articles[0].tagList).toEqual([tag, `${tag}-x`].sort());
    expect(page.articles[0]).not.toHaveProperty('body');
    expect(page.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await walk(`/api/v1/articles?tag=${tag}&limit=4`)).toEqual(tagged);
    const exact = await t.request({ method: 'GET', url: `/api/v1/articles?tag=${tag}&limit=9` });
    expect(exact.body.articles).toHaveLength(9);
    expect(exact.body.nextCursor).toBeNull();
  });

  it('walks the whole set without duplicates or gaps while rows are inserted and deleted concurrently', async () => {
    const before = await walk(`/api/v1/articles?tag=${tag}&limit=2`);
    const inserted: string[] = [];
    let turn = 0;
    const writers = async () => {
      turn += 1;
      // New rows land before the walk's position (newest first) and must not shift it; a second writer
      // publishes elsewhere at the same moment.
      const [mine] = await Promise.all([
        createArticle(t, alice.token, { tagList: [tag] }),
        createArticle(t, bob.token, { tagList: [uniqueTag('noise')] }),
      ]);
      inserted.push(mine.slug);
      if (turn === 2) inserted.push((await createArticle(t, bob.token, { tagList: [tag] })).slug);
    };
    const during = await walk(`/api/v1/articles?tag=${tag}&limit=2`, undefined, writers);
    expect(new Set(during).size).toBe(during.length);
    expect(during).toEqual(before);
    expect(inserted.length).toBeGreaterThan(3);
    // The whole table too (other files write to it meanwhile): no duplicates, every row of ours that
    // existed at the start is met, in order.
    const all = await walk('/api/v1/articles?limit=100', reader.token, () => createArticle(t, alice.token));
    expect(new Set(all).size).toBe(all.length);
    const ours = all.filter((slug) => before.includes(slug));
    expect(ours).toEqual(before);
    // The feed, likewise.
    const feed = await walk('/api/v1/articles/feed?limit=3', reader.token, () => createArticle(t, bob.token));
    expect(new Set(feed).size).toBe(feed.length);
    expect(feed.filter((slug) => before.includes(slug))).toEqual(before);
  });

  it('orders rows created in the same microsecond by id, and keeps microseconds in the cursor', async () => {
    const slugs: string[] = [];
    for (let i = 0; i < 5; i += 1) slugs.push((await createArticle(t, alice.token, { tagList: [tieTag] })).slug);
    // Three rows share one instant; two differ from it by one microsecond (the same JS millisecond).
    const times = [
      '2001-02-03 04:05:06.123456+00',
      '2001-02-03 04:05:06.123456+00',
      '2001-02-03 04:05:06.123456+00',
      '2001-02-03 04:05:06.123457+00',
      '2001-02-03 04:05:06.123455+00',
    ];
    for (const [i, slug] of slugs.entries()) {
      await t.dataSource.query('UPDATE articles SET created_at = $2 WHERE slug = $1', [slug, times[i]]);
      await t.dataSource.query(
        'UPDATE article_tags SET created_at = $2 WHERE article_id = (SELECT id FROM articles WHERE slug = $1)',
        [slug, times[i]],
      );
    }
    const expected: { slug: string }[] = await t.dataSource.query(
      'SELECT slug FROM articles WHERE slug = ANY($1) ORDER BY created_at DESC, id DESC',
      [slugs],
    );
    for (const limit of [1, 2, 4]) {
      expect(await walk(`/api/v1/articles?tag=${tieTag}&limit=${limit}`)).toEqual(expected.map((row) => row.slug));
    }
  });

  it('filters as /api/articles does: author, favorited, combined, unknown names', async () => {
    await t.request({ method: 'POST', url: `/api/articles/${tagged[1]}/favorite`, token: reader.token });
    await t.request({ method: 'POST', url: `/api/articles/${tagged[2]}/favorite`, token: reader.token });
    const v1 = (query: string) => walk(`/api/v1/articles?${query}&limit=2`, reader.token);
    const api = async (query: string) =>
      (
        await t.request({ method: 'GET', url: `/api/articles?${query}&limit=100`, token: reader.token })
      ).body.articles.map((article: { slug: string }) => article.slug);
    for (const query of [
      `author=${bob.username}`,
      `favorited=${reader.username}`,
      `tag=${tag}&author=${alice.username}`,
      `tag=${tag}&favorited=${reader.username}&author=${bob.username}`,
    ]) {
      expect(await v1(query)).toEqual(await api(query));
    }
    const favorited = await t.request({
      method: 'GET',
      url: `/api/v1/articles?favorited=${reader.username}`,
      token: reader.token,
    });
    expect((favorited.body as Page).articles.every((article) => article.favorited)).toBe(true);
    for (const query of ['tag=nope-never-used', 'author=nobody_here_x', 'favorited=nobody_here_x']) {
      const response = await t.request({ method: 'GET', url: `/api/v1/articles?${query}` });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ articles: [], nextCursor: null });
    }
  });

  it('rejects invalid cursors and limits with a problem+json field error', async () => {
    const forged = Buffer.from('2026-02-30T00:00:00.000000Z~0b7e6a4c-2f1d-4c3b-9a8e-1d2c3b4a5f60').toString(
      'base64url',
    );
    for (const cursor of ['not*a*cursor', 'bm9wZQ', forged]) {
      const response = await t.request({ method: 'GET', url: `/api/v1/articles?cursor=${cursor}` });
      expect(response.status).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({
        status: 422,
        code: 'INVALID_CURSOR',
        errors: [{ field: 'cursor', message: expect.any(String) }],
      });
      const feed = await t.request({
        method: 'GET',
        url: `/api/v1/articles/feed?cursor=${cursor}`,
        token: reader.token,
      });
      expect(feed.status).toBe(422);
      expect(feed.body.code).toBe('INVALID_CURSOR');
    }
    for (const query of ['limit=0', 'limit=101', 'limit=x', 'offset=2']) {
      const response = await t.request({ method: 'GET', url: `/api/v1/articles?${query}` });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('requires a token for the feed, and answers an empty feed for a caller who follows nobody', async () => {
    expect((await t.request({ method: 'GET', url: '/api/v1/articles/feed' })).status).toBe(401);
    const loner = await registerUser(t);
    const response = await t.request({ method: 'GET', url: '/api/v1/articles/feed', token: loner.token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ articles: [], nextCursor: null });
  });

  it('is documented in the v1 OpenAPI document', async () => {
    const document = JSON.parse(JSON.stringify(await buildOpenApiDocument(t.app)));
    for (const path of ['/api/v1/articles', '/api/v1/articles/feed']) {
      const operation = document.paths[path].get;
      expect(operation.tags).toEqual(['articles']);
      expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['limit', 'cursor']),
      );
      expect(operation.responses['200'].content['application/json'].schema.$ref).toBe(
        '#/components/schemas/ArticlePageDto',
      );
      expect(operation.responses['422']).toBeDefined();
    }
    const page = document.components.schemas.ArticlePageDto;
    expect(page.required).toEqual(expect.arrayContaining(['articles', 'nextCursor']));
    expect(page.properties.nextCursor.description).toContain('null');
    const v1 = await t.request({ method: 'GET', url: '/docs/v1-json' });
    expect(Object.keys(v1.body.paths)).toEqual(expect.arrayContaining(['/api/v1/articles', '/api/v1/articles/feed']));
  });
});
