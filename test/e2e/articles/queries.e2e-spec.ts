import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArticle, uniqueTag } from '../../factories/articles.js';
import { registerUser, type RegisteredUser } from '../../factories/users.js';
import { captureQueries } from '../../setup/query-capture.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

/**
 * The read endpoints run a fixed number of queries whatever the page size (no N+1), and their SQL is
 * snapshotted (as immich does in src/queries) so that a change to it shows in review.
 */
describe('articles: queries per read endpoint', () => {
  let t: TestApp;
  let reader: RegisteredUser;
  let slug: string;
  let authorName: string;
  const tag = uniqueTag('q');

  beforeAll(async () => {
    t = await createTestApp();
    reader = await registerUser(t);
    const authors = await Promise.all(Array.from({ length: 4 }, () => registerUser(t)));
    authorName = authors[0].username;
    for (const author of authors) {
      await t.request({ method: 'POST', url: `/api/profiles/${author.username}/follow`, token: reader.token });
      for (let i = 0; i < 6; i += 1) {
        const article = await createArticle(t, author.token, { tagList: [tag, `${tag}-${i}`] });
        slug = article.slug;
        if (i % 2 === 0)
          await t.request({ method: 'POST', url: `/api/articles/${slug}/favorite`, token: reader.token });
        await t.request({
          method: 'POST',
          url: `/api/articles/${slug}/comments`,
          token: author.token,
          body: { comment: { body: 'c' } },
        });
      }
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const endpoints: Array<[name: string, url: (limit: number) => string, auth: boolean]> = [
    ['list (anonymous)', (limit) => `/api/articles?limit=${limit}`, false],
    ['list (authenticated)', (limit) => `/api/articles?limit=${limit}`, true],
    ['list by tag', (limit) => `/api/articles?tag=${tag}&limit=${limit}`, true],
    ['feed', (limit) => `/api/articles/feed?limit=${limit}`, true],
  ];

  it.each(endpoints)('%s runs the same queries for 1 and 20 rows', async (_name, url, auth) => {
    const run = (limit: number) =>
      captureQueries(async () => {
        const response = await t.request({ method: 'GET', url: url(limit), token: auth ? reader.token : undefined });
        expect(response.status).toBe(200);
        expect(response.body.articles.length).toBe(Math.min(limit, response.body.articlesCount));
      });
    const [one, twenty] = [await run(1), await run(20)];
    expect(twenty.length).toBe(one.length);
    expect(twenty.length).toBeLessThanOrEqual(5);
  });

  it('snapshots the SQL of every read endpoint', async () => {
    const sections: string[] = [];
    const record = async (name: string, url: string, token?: string) => {
      const queries = await captureQueries(async () => {
        expect((await t.request({ method: 'GET', url, token })).status).toBe(200);
      });
      // Independent queries run in parallel on the pool, so their order is not fixed: sort them.
      sections.push(`-- ${name}: ${queries.length} queries\n${[...queries].sort().join(';\n')};\n`);
    };
    await record('GET /api/articles (anonymous)', '/api/articles');
    await record('GET /api/articles (authenticated)', '/api/articles', reader.token);
    await record('GET /api/articles?tag (count from the tag counter)', `/api/articles?tag=${tag}`, reader.token);
    await record(
      'GET /api/articles?tag&author&favorited',
      `/api/articles?tag=${tag}&author=${reader.username}&favorited=${reader.username}`,
      reader.token,
    );
    await record('GET /api/articles?author (count from the author counter)', `/api/articles?author=${authorName}`);
    await record(
      'GET /api/articles?favorited (count from the user counter)',
      `/api/articles?favorited=${reader.username}`,
    );
    await record('GET /api/articles/feed', '/api/articles/feed', reader.token);
    await record('GET /api/v1/articles?tag', `/api/v1/articles?tag=${tag}&limit=2`, reader.token);
    const first = await t.request({ method: 'GET', url: '/api/v1/articles/feed?limit=2', token: reader.token });
    await record(
      'GET /api/v1/articles/feed?cursor',
      `/api/v1/articles/feed?limit=2&cursor=${first.body.nextCursor}`,
      reader.token,
    );
    await record('GET /api/articles/:slug', `/api/articles/${slug}`, reader.token);
    await record('GET /api/articles/:slug/comments', `/api/articles/${slug}/comments`, reader.token);
    await record('GET /api/profiles/:username', `/api/profiles/${reader.username}`, reader.token);
    await record('GET /api/tags', '/api/tags');
    await expect(sections.join('\n')).toMatchFileSnapshot('./__snapshots__/read-queries.sql');
  });
});
