import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArticle, uniqueTag } from '../../factories/articles.js';
import { registerUser, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

/**
 * Every maintained counter against a recount of its rows, in one statement (one snapshot): the counters
 * move in the same transaction as the rows, so they agree in any snapshot, even while other files write.
 * Hidden articles (docs/moderation.md) count nowhere: the totals and tag counts are of visible ones.
 */
const MISMATCHES = `SELECT
  (SELECT count(*)::int FROM
     (SELECT owner_id, sum(count) AS n FROM article_counts WHERE scope = 'author' GROUP BY owner_id) k
     FULL JOIN (SELECT author_id, count(*) AS n FROM articles WHERE hidden_at IS NULL GROUP BY author_id) r
       ON r.author_id = k.owner_id
     WHERE coalesce(k.n, 0) <> coalesce(r.n, 0)) AS authors,
  (SELECT count(*)::int FROM
     (SELECT owner_id, sum(count) AS n FROM article_counts WHERE scope = 'favorited' GROUP BY owner_id) k
     FULL JOIN (SELECT f.user_id, count(*) AS n FROM favorites f JOIN articles a ON a.id = f.article_id
                WHERE a.hidden_at IS NULL GROUP BY f.user_id) r ON r.user_id = k.owner_id
     WHERE coalesce(k.n, 0) <> coalesce(r.n, 0)) AS favoriters,
  ((SELECT coalesce(sum(count), 0) FROM article_counts WHERE scope = 'all')
    - (SELECT count(*) FROM articles WHERE hidden_at IS NULL))::int AS overall,
  (SELECT count(*)::int FROM tags t LEFT JOIN (SELECT at.tag_id, count(*) AS n FROM article_tags at
       JOIN articles a ON a.id = at.article_id WHERE a.hidden_at IS NULL GROUP BY at.tag_id) c
     ON c.tag_id = t.id WHERE t.articles_count <> coalesce(c.n, 0)) AS tags,
  (SELECT count(*)::int FROM articles a LEFT JOIN (SELECT article_id, count(*) AS n FROM favorites GROUP BY article_id) c
     ON c.article_id = a.id WHERE a.favorites_count <> coalesce(c.n, 0)) AS favorites,
  (SELECT count(*)::int FROM article_tags at JOIN articles a ON a.id = at.article_id
     WHERE at.created_at <> a.created_at) AS tag_times,
  (SELECT count(*)::int FROM favorites f JOIN articles a ON a.id = f.article_id
     WHERE f.article_created_at <> a.created_at) AS favorite_times`;

describe('articles: maintained counts', () => {
  let t: TestApp;
  let authors: RegisteredUser[];
  let fans: RegisteredUser[];
  let reader: RegisteredUser;
  const tags = [uniqueTag('count-a'), uniqueTag('count-b'), uniqueTag('count-c')];

  const mismatches = async () => (await t.dataSource.query(MISMATCHES))[0];
  const total = async (url: string, token?: string) => {
    const response = await t.request({ method: 'GET', url, token });
    expect(response.status).toBe(200);
    return response.body.articlesCount as number;
  };

  beforeAll(async () => {
    t = await createTestApp();
    authors = await Promise.all(Array.from({ length: 3 }, () => registerUser(t)));
    fans = await Promise.all(Array.from({ length: 4 }, () => registerUser(t)));
    reader = await registerUser(t);
    for (const author of authors) {
      await t.request({ method: 'POST', url: `/api/profiles/${author.username}/follow`, token: reader.token });
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps every counter exact under concurrent creates, deletes, favorites and unfavorites', async () => {
    const existing = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        createArticle(t, authors[i % 3].token, { tagList: [tags[i % 3], tags[(i + 1) % 3]] }),
      ),
    );
    const owner = (i: number) => authors[i % 3];
    const favorite = (fan: RegisteredUser, slug: string, method: 'POST' | 'DELETE') =>
      t.request({ method, url: `/api/articles/${slug}/favorite`, token: fan.token });
    // Favorite everything first, so that deletions cascade to favorites while others are added and removed.
    await Promise.all(existing.flatMap((article) => fans.map((fan) => favorite(fan, article.slug, 'POST'))));

    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 12; i += 1) {
      writes.push(createArticle(t, authors[i % 3].token, { tagList: [tags[(i + 2) % 3], tags[i % 3]] }));
    }
    existing.forEach((article, i) => {
      if (i % 2 === 0) {
        writes.push(t.request({ method: 'DELETE', url: `/api/articles/${article.slug}`, token: owner(i).token }));
      }
      for (const [j, fan] of fans.entries()) {
        writes.push(favorite(fan, article.slug, (i + j) % 3 === 0 ? 'DELETE' : 'POST'));
      }
    });
    const results = await Promise.all(writes);
    for (const result of results) {
      if (result && typeof result === 'object' && 'status' in result) expect([200, 201, 404]).toContain(result.status);
    }

    expect(await mismatches()).toEqual({
      authors: 0,
      favoriters: 0,
      overall: 0,
      tags: 0,
      favorites: 0,
      tag_times: 0,
      favorite_times: 0,
    });

    // What the API answers for this file's filters is the recount.
    const recount = async (sql: string, params: unknown[]) => (await t.dataSource.query(sql, params))[0].n as number;
    for (const author of authors) {
      const n = await recount(
        'SELECT count(*)::int AS n FROM articles a JOIN users u ON u.id = a.author_id WHERE u.username = $1',
        [author.username],
      );
      expect(n).toBe(6); // 4 created, 2 of them deleted, 4 created concurrently
      expect(await total(`/api/articles?author=${author.username}`)).toBe(n);
    }
    for (const fan of fans) {
      const n = await recount(
        'SELECT count(*)::int AS n FROM favorites f JOIN users u ON u.id = f.user_id WHERE u.username = $1',
        [fan.username],
      );
      expect(await total(`/api/articles?favorited=${fan.username}`)).toBe(n);
    }
    for (const tag of tags) {
      const n = await recount(
        'SELECT count(*)::int AS n FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = $1',
        [tag],
      );
      expect(n).toBeGreaterThan(0);
      expect(await total(`/api/articles?tag=${tag}`)).toBe(n);
    }
    const feed = await recount(
      'SELECT count(*)::int AS n FROM articles a JOIN users u ON u.id = a.author_id WHERE u.username = ANY($1)',
      [authors.map((author) => author.username)],
    );
    expect(feed).toBe(18);
    expect(await total('/api/articles/feed', reader.token)).toBe(feed);
    // Combined filters are counted over the smallest set: the same answer as the recount.
    const combined = await recount(
      `SELECT count(*)::int AS n FROM articles a JOIN users u ON u.id = a.author_id
       JOIN article_tags at ON at.article_id = a.id JOIN tags t ON t.id = at.tag_id
       JOIN favorites f ON f.article_id = a.id JOIN users v ON v.id = f.user_id
       WHERE u.username = $1 AND t.name = $2 AND v.username = $3`,
      [authors[0].username, tags[0], fans[1].username],
    );
    expect(
      await total(`/api/articles?author=${authors[0].username}&tag=${tags[0]}&favorited=${fans[1].username}`),
    ).toBe(combined);
  });

  it('counts the whole table from striped rows, summed on read', async () => {
    await Promise.all(Array.from({ length: 4 }, () => createArticle(t, authors[0].token)));
    // Concurrent inserts spread over the stripes instead of queueing on one row; their sum stays exact.
    const stripes = await t.dataSource.query(`SELECT count(*)::int AS n FROM article_counts WHERE scope = 'all'`);
    expect(stripes[0].n).toBeGreaterThan(1);
    expect((await mismatches()).overall).toBe(0);
    expect(await total('/api/articles?limit=0')).toBeGreaterThanOrEqual(22);
  });
});
