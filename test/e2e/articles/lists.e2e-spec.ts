import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArticle, uniqueTag } from '../../factories/articles.js';
import { registerUser, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

describe('articles: lists, filters, pagination, feed and tags', () => {
  let t: TestApp;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  let reader: RegisteredUser;
  const tag = uniqueTag('list');
  const otherTag = uniqueTag('other');
  let aliceSlugs: string[] = [];
  let bobSlugs: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    [alice, bob, reader] = [await registerUser(t), await registerUser(t), await registerUser(t)];
    // Created one after the other: creation order is the expected newest-first order reversed.
    for (let i = 0; i < 3; i += 1) aliceSlugs.push((await createArticle(t, alice.token, { tagList: [tag] })).slug);
    for (let i = 0; i < 2; i += 1)
      bobSlugs.push((await createArticle(t, bob.token, { tagList: [tag, otherTag] })).slug);
    aliceSlugs = aliceSlugs.reverse();
    bobSlugs = bobSlugs.reverse();
  });
  afterAll(async () => {
    await t.close();
  });

  const list = (query: string, token?: string) => t.request({ method: 'GET', url: `/api/articles${query}`, token });

  it('lists newest first, without bodies, with the total for the filter', async () => {
    const response = await list(`?tag=${tag}`);
    expect(response.status).toBe(200);
    expect(response.body.articlesCount).toBe(5);
    expect(response.body.articles.map((a: { slug: string }) => a.slug)).toEqual([...bobSlugs, ...aliceSlugs]);
    for (const article of response.body.articles) {
      expect(Object.keys(article).sort()).toEqual(
        [
          'author',
          'createdAt',
          'description',
          'favorited',
          'favoritesCount',
          'slug',
          'tagList',
          'title',
          'updatedAt',
        ].sort(),
      );
    }
  });

  it('orders the unfiltered list newest first', async () => {
    const response = await list('?limit=50');
    expect(response.status).toBe(200);
    const dates = response.body.articles.map((a: { createdAt: string }) => a.createdAt);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(response.body.articlesCount).toBeGreaterThanOrEqual(5);
  });

  it('filters by author, by favoriting user and by tag, combined', async () => {
    await t.request({ method: 'POST', url: `/api/articles/${aliceSlugs[0]}/favorite`, token: reader.token });
    await t.request({ method: 'POST', url: `/api/articles/${bobSlugs[1]}/favorite`, token: reader.token });

    const byAuthor = await list(`?author=${bob.username}`);
    expect(byAuthor.body).toMatchObject({ articlesCount: 2 });
    expect(byAuthor.body.articles.map((a: { slug: string }) => a.slug)).toEqual(bobSlugs);

    const favorited = await list(`?favorited=${reader.username}`);
    expect(favorited.body.articles.map((a: { slug: string }) => a.slug)).toEqual([bobSlugs[1], aliceSlugs[0]]);

    const combined = await list(`?tag=${otherTag}&favorited=${reader.username}&author=${bob.username}`);
    expect(combined.body).toMatchObject({ articlesCount: 1, articles: [{ slug: bobSlugs[1] }] });

    const none = await list(`?tag=${otherTag}&author=${alice.username}`);
    expect(none.body).toEqual({ articles: [], articlesCount: 0 });
    expect((await list('?author=nobody-at-all')).body).toEqual({ articles: [], articlesCount: 0 });
    expect((await list(`?tag=${uniqueTag('unused')}`)).body).toEqual({ articles: [], articlesCount: 0 });
  });

  it('shows favorited and following from the caller’s point of view', async () => {
    await t.request({ method: 'POST', url: `/api/profiles/${alice.username}/follow`, token: reader.token });
    await t.request({ method: 'POST', url: `/api/articles/${aliceSlugs[1]}/favorite`, token: reader.token });
    const mine = await list(`?author=${alice.username}`, reader.token);
    expect(mine.body.articles.map((a: { favorited: boolean }) => a.favorited)).toEqual([true, true, false]);
    expect(mine.body.articles.every((a: { author: { following: boolean } }) => a.author.following)).toBe(true);
    const anonymous = await list(`?author=${alice.username}`);
    expect(anonymous.body.articles.some((a: { favorited: boolean }) => a.favorited)).toBe(false);
    expect(anonymous.body.articles[0].favoritesCount).toBe(1);
  });

  it('paginates with limit and offset, including the edges', async () => {
    const page = await list(`?tag=${tag}&limit=2&offset=1`);
    expect(page.body.articles.map((a: { slug: string }) => a.slug)).toEqual([bobSlugs[1], aliceSlugs[0]]);
    expect(page.body.articlesCount).toBe(5);

    expect((await list(`?tag=${tag}&limit=0`)).body).toEqual({ articles: [], articlesCount: 5 });
    expect((await list(`?tag=${tag}&offset=500`)).body).toEqual({ articles: [], articlesCount: 5 });
    expect((await list(`?tag=${tag}&limit=100`)).body.articles).toHaveLength(5);

    for (const [query, message] of [
      ['limit=-1', 'limit must not be less than 0'],
      ['limit=1000', 'limit must not be greater than 100'],
      ['offset=-5', 'offset must not be less than 0'],
      ['limit=abc', 'limit must be an integer number'],
    ]) {
      const response = await list(`?${query}`);
      expect(response.status, query).toBe(422);
      expect(response.body.errors.body, query).toContain(message);
    }
    expect((await list('?unknown=1')).status).toBe(422);
  });

  it('serves the feed: articles of followed authors only, newest first', async () => {
    const follower = await registerUser(t);
    expect((await t.request({ method: 'GET', url: '/api/articles/feed', token: follower.token })).body).toEqual({
      articles: [],
      articlesCount: 0,
    });
    await t.request({ method: 'POST', url: `/api/profiles/${bob.username}/follow`, token: follower.token });
    const feed = await t.request({ method: 'GET', url: '/api/articles/feed', token: follower.token });
    expect(feed.status).toBe(200);
    expect(feed.body.articlesCount).toBe(2);
    expect(feed.body.articles.map((a: { slug: string }) => a.slug)).toEqual(bobSlugs);
    expect(feed.body.articles[0].author).toMatchObject({ username: bob.username, following: true });

    const fresh = await createArticle(t, bob.token);
    const again = await t.request({ method: 'GET', url: '/api/articles/feed?limit=1', token: follower.token });
    expect(again.body).toMatchObject({ articlesCount: 3, articles: [{ slug: fresh.slug }] });
    expect((await t.request({ method: 'GET', url: '/api/articles/feed' })).status).toBe(401);
  });

  it('lists tags in use, most used first, and drops tags no article carries any more', async () => {
    const gone = uniqueTag('gone');
    const article = await createArticle(t, alice.token, { tagList: [gone] });
    let tags: string[] = (await t.request({ method: 'GET', url: '/api/tags' })).body.tags;
    expect(tags).toEqual(expect.arrayContaining([tag, otherTag, gone]));
    expect(new Set(tags).size).toBe(tags.length);
    // 5 articles carry `tag`, 2 `otherTag`, 1 `gone`. (Other files change other tags' counts concurrently,
    // so only the order of this file's tags is asserted.)
    expect(tags.indexOf(tag)).toBeLessThan(tags.indexOf(otherTag));
    expect(tags.indexOf(otherTag)).toBeLessThan(tags.indexOf(gone));

    await t.request({ method: 'DELETE', url: `/api/articles/${article.slug}`, token: alice.token });
    tags = (await t.request({ method: 'GET', url: '/api/tags' })).body.tags;
    expect(tags).not.toContain(gone);
    expect(tags).toContain(tag);
  });
});
