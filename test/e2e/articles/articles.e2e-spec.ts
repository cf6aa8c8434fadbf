import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArticle, createArticle, uniqueTag } from '../../factories/articles.js';
import { registerUser, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

const isoDate = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

describe('articles: create, read, update, delete', () => {
  let t: TestApp;
  let author: RegisteredUser;
  let other: RegisteredUser;
  beforeAll(async () => {
    t = await createTestApp();
    author = await registerUser(t);
    other = await registerUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates an article with the RealWorld shape and stores its tags', async () => {
    const tag = uniqueTag();
    const input = buildArticle({ title: 'How to train your dragon', tagList: [tag, 'dragons', tag, ' '] });
    const response = await t.request({
      method: 'POST',
      url: '/api/articles',
      token: author.token,
      body: { article: input },
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      article: {
        slug: expect.stringMatching(/^how-to-train-your-dragon(-[0-9a-f]{8})?$/),
        title: input.title,
        description: input.description,
        body: input.body,
        tagList: [tag, 'dragons'].sort(),
        createdAt: isoDate,
        updatedAt: isoDate,
        favorited: false,
        favoritesCount: 0,
        author: { username: author.username, bio: null, image: null, following: false },
      },
    });
    const rows = await t.dataSource.query(
      `SELECT t.name, t.articles_count FROM article_tags at JOIN tags t ON t.id = at.tag_id
       JOIN articles a ON a.id = at.article_id WHERE a.slug = $1 ORDER BY at.position`,
      [response.body.article.slug],
    );
    expect(rows.map((r: { name: string }) => r.name)).toEqual([tag, 'dragons']);
    expect(rows[0].articles_count).toBe(1);
  });

  it('answers tagList in alphabetical order, as the official RealWorld suite expects', async () => {
    const suffix = uniqueTag();
    const tagList = [`training-${suffix}`, `dragons-${suffix}`, `Zebra-${suffix}`];
    const created = await createArticle(t, author.token, { tagList });
    const expected = [`Zebra-${suffix}`, `dragons-${suffix}`, `training-${suffix}`];
    expect(created.tagList).toEqual(expected);
    const read = await t.request({ method: 'GET', url: `/api/articles/${created.slug}` });
    expect(read.body.article.tagList).toEqual(expected);
    const listed = await t.request({ method: 'GET', url: `/api/articles?tag=${encodeURIComponent(tagList[0])}` });
    expect(listed.body.articles[0].tagList).toEqual(expected);
  });

  it('gives colliding titles distinct slugs and makes unicode titles URL-safe', async () => {
    const title = `Same title ${uniqueTag()}`;
    const first = await createArticle(t, author.token, { title });
    const second = await createArticle(t, author.token, { title });
    expect(first.slug).toBe(title.toLowerCase().replaceAll(' ', '-'));
    expect(second.slug).toMatch(new RegExp(`^${first.slug}-[0-9a-f]{8}$`));

    const unicode = await createArticle(t, author.token, { title: 'Ünïcödé Çafé: Привет мир!' });
    expect(unicode.slug).toMatch(/^unicode-cafe-privet-mir(-[0-9a-f]{8})?$/);
    const cjk = await createArticle(t, author.token, { title: '日本語のタイトル 🔥' });
    expect(cjk.slug).toMatch(/^article(-[0-9a-f]{8})?$/);
    for (const slug of [unicode.slug, cjk.slug]) {
      const fetched = await t.request({ method: 'GET', url: `/api/articles/${slug}` });
      expect(fetched.status).toBe(200);
    }
  });

  it('keeps slugs unique when the same title is created concurrently', async () => {
    const title = `Race ${uniqueTag()}`;
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.request({
          method: 'POST',
          url: '/api/articles',
          token: author.token,
          body: { article: buildArticle({ title }) },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const slugs = responses.map((r) => r.body.article.slug);
    expect(new Set(slugs).size).toBe(5);
  });

  it('answers 422 with field messages for an invalid article and stores nothing', async () => {
    const tag = uniqueTag();
    const response = await t.request({
      method: 'POST',
      url: '/api/articles',
      token: author.token,
      body: { article: { title: '  ', description: '', body: 'x', tagList: [tag, 42] } },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors.body).toEqual(
      expect.arrayContaining(["title can't be blank", "description can't be blank"]),
    );
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM tags WHERE name = $1', [tag]);
    expect(count).toBe(0);
  });

  it('requires a token to create', async () => {
    const response = await t.request({ method: 'POST', url: '/api/articles', body: { article: buildArticle() } });
    expect(response.status).toBe(401);
  });

  it('reads one article anonymously and answers 404 for an unknown slug', async () => {
    const created = await createArticle(t, author.token);
    const response = await t.request({ method: 'GET', url: `/api/articles/${created.slug}` });
    expect(response.status).toBe(200);
    expect(response.body.article).toMatchObject({ slug: created.slug, favorited: false, body: expect.any(String) });
    const missing = await t.request({ method: 'GET', url: '/api/articles/no-such-article' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'ARTICLE_NOT_FOUND', errors: { body: ['article not found'] } });
  });

  it('lets only the author update; a new title gives a new slug', async () => {
    const tag = uniqueTag();
    const created = await createArticle(t, author.token, { tagList: [tag] });
    const forbidden = await t.request({
      method: 'PUT',
      url: `/api/articles/${created.slug}`,
      token: other.token,
      body: { article: { body: 'hijacked' } },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({
      code: 'NOT_ARTICLE_AUTHOR',
      errors: { body: ['only the author can edit this article'] },
    });

    const newTitle = `Renamed ${uniqueTag()}`;
    const newTag = uniqueTag();
    const updated = await t.request({
      method: 'PUT',
      url: `/api/articles/${created.slug}`,
      token: author.token,
      body: { article: { title: newTitle, body: 'new body', tagList: [newTag] } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.article).toMatchObject({
      slug: newTitle.toLowerCase().replaceAll(' ', '-'),
      title: newTitle,
      body: 'new body',
      description: expect.any(String),
      tagList: [newTag],
    });
    expect((await t.request({ method: 'GET', url: `/api/articles/${created.slug}` })).status).toBe(404);
    const counts = await t.dataSource.query(
      'SELECT name, articles_count FROM tags WHERE name = ANY($1) ORDER BY name',
      [[tag, newTag].sort()],
    );
    expect(
      Object.fromEntries(counts.map((r: { name: string; articles_count: number }) => [r.name, r.articles_count])),
    ).toEqual({
      [tag]: 0,
      [newTag]: 1,
    });
  });

  it('keeps the slug when the update does not change the title, and validates', async () => {
    const created = await createArticle(t, author.token);
    const same = await t.request({
      method: 'PUT',
      url: `/api/articles/${created.slug}`,
      token: author.token,
      body: { article: { title: created.title, description: 'changed' } },
    });
    expect(same.status).toBe(200);
    expect(same.body.article.slug).toBe(created.slug);
    const invalid = await t.request({
      method: 'PUT',
      url: `/api/articles/${created.slug}`,
      token: author.token,
      body: { article: { title: '' } },
    });
    expect(invalid.status).toBe(422);
    const missing = await t.request({
      method: 'PUT',
      url: '/api/articles/no-such-article',
      token: author.token,
      body: { article: { body: 'x' } },
    });
    expect(missing.status).toBe(404);
  });

  it('deletes (author only) with its comments, favorites and tag counts', async () => {
    const tag = uniqueTag();
    const created = await createArticle(t, author.token, { tagList: [tag] });
    await t.request({ method: 'POST', url: `/api/articles/${created.slug}/favorite`, token: other.token });
    await t.request({
      method: 'POST',
      url: `/api/articles/${created.slug}/comments`,
      token: other.token,
      body: { comment: { body: 'first!' } },
    });
    const [{ id }] = await t.dataSource.query('SELECT id FROM articles WHERE slug = $1', [created.slug]);

    const forbidden = await t.request({ method: 'DELETE', url: `/api/articles/${created.slug}`, token: other.token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.errors.body).toEqual(['only the author can delete this article']);

    const deleted = await t.request({ method: 'DELETE', url: `/api/articles/${created.slug}`, token: author.token });
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe('');
    const [left] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM articles WHERE id = $1) AS articles,
              (SELECT count(*)::int FROM comments WHERE article_id = $1) AS comments,
              (SELECT count(*)::int FROM favorites WHERE article_id = $1) AS favorites,
              (SELECT count(*)::int FROM article_tags WHERE article_id = $1) AS links,
              (SELECT articles_count FROM tags WHERE name = $2) AS "tagCount"`,
      [id, tag],
    );
    expect(left).toEqual({ articles: 0, comments: 0, favorites: 0, links: 0, tagCount: 0 });
    expect((await t.request({ method: 'GET', url: `/api/articles/${created.slug}` })).status).toBe(404);
    expect(
      (await t.request({ method: 'DELETE', url: `/api/articles/${created.slug}`, token: author.token })).status,
    ).toBe(404);
  });

  it('favorites and unfavorites idempotently, keeping favoritesCount exact', async () => {
    const created = await createArticle(t, author.token);
    const url = `/api/articles/${created.slug}/favorite`;
    for (let i = 0; i < 2; i += 1) {
      const response = await t.request({ method: 'POST', url, token: other.token });
      expect(response.status).toBe(200);
      expect(response.body.article).toMatchObject({ favorited: true, favoritesCount: 1 });
    }
    const asAuthor = await t.request({ method: 'GET', url: `/api/articles/${created.slug}`, token: author.token });
    expect(asAuthor.body.article).toMatchObject({ favorited: false, favoritesCount: 1 });
    for (let i = 0; i < 2; i += 1) {
      const response = await t.request({ method: 'DELETE', url, token: other.token });
      expect(response.status).toBe(200);
      expect(response.body.article).toMatchObject({ favorited: false, favoritesCount: 0 });
    }
    expect((await t.request({ method: 'POST', url })).status).toBe(401);
    expect((await t.request({ method: 'POST', url: '/api/articles/nope/favorite', token: other.token })).status).toBe(
      404,
    );
  });

  it('counts concurrent favorites exactly', async () => {
    const created = await createArticle(t, author.token);
    const fans = await Promise.all(Array.from({ length: 8 }, () => registerUser(t)));
    const url = `/api/articles/${created.slug}/favorite`;
    // Every fan twice, all at once: 16 requests, 8 distinct favorites.
    const responses = await Promise.all(
      [...fans, ...fans].map((fan) => t.request({ method: 'POST', url, token: fan.token })),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const [row] = await t.dataSource.query(
      `SELECT a.favorites_count AS counter, (SELECT count(*)::int FROM favorites f WHERE f.article_id = a.id) AS rows
       FROM articles a WHERE a.slug = $1`,
      [created.slug],
    );
    expect(row).toEqual({ counter: 8, rows: 8 });
    const removals = await Promise.all(fans.map((fan) => t.request({ method: 'DELETE', url, token: fan.token })));
    expect(removals.every((r) => r.status === 200)).toBe(true);
    const [{ favorites_count }] = await t.dataSource.query('SELECT favorites_count FROM articles WHERE slug = $1', [
      created.slug,
    ]);
    expect(favorites_count).toBe(0);
  });
});
