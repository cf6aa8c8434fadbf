import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArticleSummaries } from '../../../src/modules/articles/index.js';
import { createArticle, uniqueTag } from '../../factories/articles.js';
import { moderatorToken, registerUser, userIdOf, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

type Summary = { slug: string };
const slugs = (body: { articles: Summary[] }) => body.articles.map((article) => article.slug);

describe('hidden articles', () => {
  let t: TestApp;
  let author: RegisteredUser;
  let reader: RegisteredUser;
  let moderator: string;
  let shared: string;
  let only: string;
  let hidden: { slug: string };
  let kept: { slug: string };

  const get = (url: string, token?: string) => t.request({ method: 'GET', url, token });
  const hide = (slug: string, token = moderator, body: unknown = { reason: 'spam links' }) =>
    t.request({ method: 'POST', url: `/api/v1/admin/articles/${slug}/hide`, token, body });
  const unhide = (slug: string, token = moderator) =>
    t.request({ method: 'POST', url: `/api/v1/admin/articles/${slug}/unhide`, token, body: { reason: 'appeal' } });

  /** Every maintained counter the lists read agrees with a recount of visible rows, in one snapshot. */
  async function expectCountersExact(): Promise<void> {
    const authorId = userIdOf(author);
    const readerId = userIdOf(reader);
    const [row] = await t.dataSource.query(
      `SELECT
         (SELECT COALESCE(sum(count), 0)::int FROM article_counts WHERE scope = 'all') AS "all",
         (SELECT count(*)::int FROM articles WHERE hidden_at IS NULL) AS "allVisible",
         (SELECT COALESCE(sum(count), 0)::int FROM article_counts WHERE scope = 'author' AND owner_id = $1) AS "author",
         (SELECT count(*)::int FROM articles WHERE author_id = $1 AND hidden_at IS NULL) AS "authorVisible",
         (SELECT COALESCE(sum(count), 0)::int FROM article_counts WHERE scope = 'favorited' AND owner_id = $2) AS "favorited",
         (SELECT count(*)::int FROM favorites f JOIN articles a ON a.id = f.article_id
            WHERE f.user_id = $2 AND a.hidden_at IS NULL) AS "favoritedVisible",
         (SELECT COALESCE(json_object_agg(name, articles_count), '{}') FROM tags WHERE name = ANY($3)) AS "tags",
         (SELECT COALESCE(json_object_agg(name, n), '{}') FROM (
            SELECT t.name, count(*)::int AS n FROM tags t JOIN article_tags at ON at.tag_id = t.id
            JOIN articles a ON a.id = at.article_id WHERE t.name = ANY($3) AND a.hidden_at IS NULL GROUP BY t.name
          ) x) AS "tagsVisible"`,
      [authorId, readerId, [shared, only]],
    );
    expect(row.all).toBe(row.allVisible);
    expect(row.author).toBe(row.authorVisible);
    expect(row.favorited).toBe(row.favoritedVisible);
    expect({ [shared]: 0, [only]: 0, ...row.tags }).toEqual({ [shared]: 0, [only]: 0, ...row.tagsVisible });
  }

  beforeAll(async () => {
    t = await createTestApp();
    author = await registerUser(t);
    reader = await registerUser(t);
    moderator = moderatorToken(t, await registerUser(t));
    shared = uniqueTag('shared');
    only = uniqueTag('only');
    kept = await createArticle(t, author.token, { tagList: [shared] });
    hidden = await createArticle(t, author.token, { tagList: [shared, only] });
    await t.request({ method: 'POST', url: `/api/profiles/${author.username}/follow`, token: reader.token });
    for (const slug of [hidden.slug, kept.slug]) {
      const favorited = await t.request({ method: 'POST', url: `/api/articles/${slug}/favorite`, token: reader.token });
      expect(favorited.status).toBe(200);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses users (403), a missing reason (422) and unknown slugs (404)', async () => {
    const asUser = await hide(hidden.slug, reader.token);
    expect(asUser.status).toBe(403);
    expect(asUser.headers['content-type']).toContain('application/problem+json');
    const noReason = await hide(hidden.slug, moderator, {});
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'reason' })]));
    const blank = await hide(hidden.slug, moderator, { reason: '   ' });
    expect(blank.status).toBe(422);
    expect((await hide('no-such-article-anywhere')).status).toBe(404);
    expect((await get(`/api/articles/${hidden.slug}`)).status).toBe(200);
  });

  it('takes the article out of cached lists, feeds, tags, counts and single reads at once, audited', async () => {
    // Prime the anonymous read cache.
    const primed = [
      `/api/articles?tag=${shared}`,
      `/api/articles?author=${author.username}`,
      `/api/v1/articles?tag=${only}`,
      `/api/articles/${hidden.slug}`,
      `/api/articles/${hidden.slug}/comments`,
      '/api/tags',
    ];
    for (const url of primed) expect((await get(url)).status).toBe(200);
    expect((await get(`/api/articles?tag=${shared}`)).headers['x-cache']).toBe('hit');
    expect((await get('/api/tags')).body.tags).toContain(only);

    const response = await hide(hidden.slug);
    expect(response.status).toBe(200);
    expect(response.body.article).toMatchObject({ slug: hidden.slug, hidden: true, tagList: [only, shared].sort() });
    const requestId = response.headers['x-request-id'];
    const audit = await t.dataSource.query('SELECT * FROM audit_log WHERE request_id = $1', [requestId]);
    expect(audit).toHaveLength(1);
    const [articleRow] = await t.dataSource.query('SELECT id, hidden_at, hidden_by FROM articles WHERE slug = $1', [
      hidden.slug,
    ]);
    expect(articleRow.hidden_at).toBeInstanceOf(Date);
    expect(audit[0]).toMatchObject({
      action: 'article.hidden',
      target_type: 'article',
      target_id: articleRow.id,
      reason: 'spam links',
      details: { slug: hidden.slug, authorId: userIdOf(author) },
      actor_id: articleRow.hidden_by,
    });

    for (const token of [undefined, reader.token]) {
      for (const query of [`tag=${shared}`, `author=${author.username}`, `favorited=${reader.username}`]) {
        const list = await get(`/api/articles?${query}`, token);
        expect(list.status).toBe(200);
        expect(slugs(list.body)).toEqual([kept.slug]);
        expect(list.body.articlesCount).toBe(1);
        const page = await get(`/api/v1/articles?${query}`, token);
        expect(slugs(page.body)).toEqual([kept.slug]);
      }
      // Several filters: counted over the smallest set, hidden rows left out there too.
      const combined = await get(`/api/articles?tag=${shared}&author=${author.username}`, token);
      expect(slugs(combined.body)).toEqual([kept.slug]);
      expect(combined.body.articlesCount).toBe(1);
      const onlyTag = await get(`/api/articles?tag=${only}`, token);
      expect(onlyTag.body).toEqual({ articles: [], articlesCount: 0 });
      const single = await get(`/api/articles/${hidden.slug}`, token);
      expect(single.status).toBe(404);
      expect(single.body.code).toBe('ARTICLE_NOT_FOUND');
      expect((await get(`/api/articles/${hidden.slug}/comments`, token)).status).toBe(404);
    }
    expect((await get('/api/tags')).body.tags).not.toContain(only);
    const feed = await get('/api/articles/feed', reader.token);
    expect(slugs(feed.body)).toEqual([kept.slug]);
    expect(feed.body.articlesCount).toBe(1);
    expect(slugs((await get('/api/v1/articles/feed', reader.token)).body)).toEqual([kept.slug]);
    // Nor in the followers' digest mail.
    const digest = await t.app.get(ArticleSummaries).newByAuthorsSince([userIdOf(author)], new Date(0), 10);
    expect(digest.map((article) => article.slug)).toEqual([kept.slug]);
    await expectCountersExact();
  });

  it('stays readable by its author, with hidden: true, and nowhere else', async () => {
    const own = await get(`/api/articles/${hidden.slug}`, author.token);
    expect(own.status).toBe(200);
    expect(own.body.article).toMatchObject({ slug: hidden.slug, hidden: true });
    expect((await get(`/api/articles/${hidden.slug}/comments`, author.token)).status).toBe(200);
    const ownList = await get(`/api/articles?author=${author.username}`, author.token);
    expect(slugs(ownList.body)).toEqual([kept.slug]);
    const visible = await get(`/api/articles/${kept.slug}`, author.token);
    expect(visible.body.article).not.toHaveProperty('hidden');
  });

  it('accepts no favorite or comment from others (404), and answers 409 to a second hide', async () => {
    for (const method of ['POST', 'DELETE'] as const) {
      const favorite = await t.request({ method, url: `/api/articles/${hidden.slug}/favorite`, token: reader.token });
      expect(favorite.status).toBe(404);
    }
    const comment = await t.request({
      method: 'POST',
      url: `/api/articles/${hidden.slug}/comments`,
      token: reader.token,
      body: { comment: { body: 'hello?' } },
    });
    expect(comment.status).toBe(404);
    expect(comment.body.code).toBe('ARTICLE_NOT_FOUND');
    const edit = await t.request({
      method: 'PUT',
      url: `/api/articles/${hidden.slug}`,
      token: reader.token,
      body: { article: { body: 'defaced' } },
    });
    expect(edit.status).toBe(404);
    const again = await hide(hidden.slug);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ARTICLE_ALREADY_HIDDEN');
    const audit = await t.dataSource.query('SELECT 1 FROM audit_log WHERE request_id = $1', [
      again.headers['x-request-id'],
    ]);
    expect(audit).toHaveLength(0);
    await expectCountersExact();
  });

  it('keeps the counters exact while the author edits the hidden article’s tags', async () => {
    const extra = uniqueTag('extra');
    const edited = await t.request({
      method: 'PUT',
      url: `/api/articles/${hidden.slug}`,
      token: author.token,
      body: { article: { tagList: [shared, extra] } },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.article).toMatchObject({ hidden: true, tagList: [extra, shared].sort() });
    expect((await get(`/api/articles?tag=${extra}`)).body).toEqual({ articles: [], articlesCount: 0 });
    await expectCountersExact();
    const restored = await t.request({
      method: 'PUT',
      url: `/api/articles/${hidden.slug}`,
      token: author.token,
      body: { article: { tagList: [shared, only] } },
    });
    expect(restored.status).toBe(200);
    await expectCountersExact();
  });

  it('ignores a client-sent hidden field on create and update', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/articles',
      token: reader.token,
      body: { article: { title: `Sneaky ${shared}`, description: 'd', body: 'b', hidden: true } },
    });
    const update = await t.request({
      method: 'PUT',
      url: `/api/articles/${kept.slug}`,
      token: author.token,
      body: { article: { hidden: true } },
    });
    // Unknown fields are refused (the global pipe's whitelist), so nothing is hidden by a client.
    for (const response of [created, update]) {
      expect(response.status).toBe(422);
      expect(response.body.errors.body.join(' ')).toMatch(/hidden/);
    }
    const [row] = await t.dataSource.query('SELECT hidden_at FROM articles WHERE slug = $1', [kept.slug]);
    expect(row.hidden_at).toBeNull();
    const [sneaky] = await t.dataSource.query('SELECT count(*)::int AS n FROM articles WHERE title = $1', [
      `Sneaky ${shared}`,
    ]);
    expect(sneaky.n).toBe(0);
  });

  it('unhides: back in every list, feed, tag and count, audited', async () => {
    await get(`/api/articles?tag=${shared}`);
    expect((await get(`/api/articles?tag=${shared}`)).headers['x-cache']).toBe('hit');
    const response = await unhide(hidden.slug);
    expect(response.status).toBe(200);
    expect(response.body.article).not.toHaveProperty('hidden');
    const [audit] = await t.dataSource.query('SELECT action, reason FROM audit_log WHERE request_id = $1', [
      response.headers['x-request-id'],
    ]);
    expect(audit).toEqual({ action: 'article.unhidden', reason: 'appeal' });

    const list = await get(`/api/articles?tag=${shared}`);
    expect(slugs(list.body)).toEqual([hidden.slug, kept.slug]);
    expect(list.body.articlesCount).toBe(2);
    expect((await get(`/api/articles?favorited=${reader.username}`)).body.articlesCount).toBe(2);
    expect((await get('/api/articles/feed', reader.token)).body.articlesCount).toBe(2);
    expect((await get('/api/tags')).body.tags).toContain(only);
    const single = await get(`/api/articles/${hidden.slug}`, reader.token);
    expect(single.status).toBe(200);
    expect(single.body.article).toMatchObject({ favorited: true, favoritesCount: 1 });
    expect((await unhide(hidden.slug)).body.code).toBe('ARTICLE_NOT_HIDDEN');
    await expectCountersExact();
  });

  it('keeps the counters exact when favorites race with hiding and unhiding', async () => {
    const target = await createArticle(t, author.token, { tagList: [uniqueTag('race')] });
    const fans = await Promise.all(Array.from({ length: 6 }, () => registerUser(t)));
    const fanIds = fans.map(userIdOf);
    const favorite = (fan: RegisteredUser, method: 'POST' | 'DELETE') =>
      t.request({ method, url: `/api/articles/${target.slug}/favorite`, token: fan.token });
    /** Each fan's `favorited` counter against a recount of their favorites of visible articles, in one snapshot. */
    const expectFansExact = async () => {
      const [row] = await t.dataSource.query(
        `SELECT
           (SELECT COALESCE(json_object_agg(owner_id, count), '{}') FROM article_counts
              WHERE scope = 'favorited' AND owner_id = ANY($1::uuid[]) AND count <> 0) AS "counted",
           (SELECT COALESCE(json_object_agg(user_id, n), '{}') FROM (
              SELECT f.user_id, count(*)::int AS n FROM favorites f JOIN articles a ON a.id = f.article_id
              WHERE f.user_id = ANY($1::uuid[]) AND a.hidden_at IS NULL GROUP BY f.user_id) x) AS "visible",
           (SELECT favorites_count FROM articles WHERE slug = $2) AS "favoritesCount",
           (SELECT count(*)::int FROM favorites f JOIN articles a ON a.id = f.article_id WHERE a.slug = $2) AS "favorites"`,
        [fanIds, target.slug],
      );
      expect(row.counted).toEqual(row.visible);
      expect(row.favoritesCount).toBe(row.favorites);
    };

    await Promise.all(fans.slice(0, 3).map((fan) => favorite(fan, 'POST')));
    const answers = await Promise.all([
      ...fans.map((fan) => favorite(fan, 'POST')),
      hide(target.slug),
      ...fans.slice(0, 2).map((fan) => favorite(fan, 'DELETE')),
      new Promise((resolve) => setTimeout(resolve, 5)).then(() => unhide(target.slug)),
    ]);
    // Each answer is a success, "hidden" (404) or, for the unhide, "not hidden yet" (409): never a 500.
    for (const answer of answers) expect([200, 404, 409]).toContain(answer.status);
    await expectFansExact();
    await expectCountersExact();
    const [state] = await t.dataSource.query('SELECT hidden_at FROM articles WHERE slug = $1', [target.slug]);
    if (state.hidden_at) expect((await unhide(target.slug)).status).toBe(200);
    await expectFansExact();
    await expectCountersExact();
  });

  it('keeps the counters exact when the author deletes a hidden article', async () => {
    const doomed = await createArticle(t, author.token, { tagList: [shared] });
    expect(
      (await t.request({ method: 'POST', url: `/api/articles/${doomed.slug}/favorite`, token: reader.token })).status,
    ).toBe(200);
    expect((await hide(doomed.slug)).status).toBe(200);
    await expectCountersExact();
    const deleted = await t.request({ method: 'DELETE', url: `/api/articles/${doomed.slug}`, token: author.token });
    expect(deleted.status).toBe(200);
    await expectCountersExact();
    expect((await get(`/api/articles?tag=${shared}`)).body.articlesCount).toBe(2);
  });
});

describe('hidden comments', () => {
  let t: TestApp;
  let author: RegisteredUser;
  let commenter: RegisteredUser;
  let moderator: string;
  let article: { slug: string };

  const comments = (token?: string) =>
    t.request({ method: 'GET', url: `/api/articles/${article.slug}/comments`, token });
  const ids = (body: { comments: Array<{ id: number }> }) => body.comments.map((comment) => comment.id);

  beforeAll(async () => {
    t = await createTestApp();
    author = await registerUser(t);
    commenter = await registerUser(t);
    moderator = moderatorToken(t, await registerUser(t));
    article = await createArticle(t, author.token);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function comment(token: string, body: string): Promise<number> {
    const response = await t.request({
      method: 'POST',
      url: `/api/articles/${article.slug}/comments`,
      token,
      body: { comment: { body } },
    });
    expect(response.status).toBe(200);
    return response.body.comment.id;
  }

  it('hides a comment from everyone but its author, cached list included; unhides it', async () => {
    const rude = await comment(commenter.token, 'rude words');
    const fine = await comment(author.token, 'thanks');
    expect(ids((await comments()).body)).toEqual([rude, fine]);
    expect((await comments()).headers['x-cache']).toBe('hit');

    const forbidden = await t.request({
      method: 'POST',
      url: `/api/v1/admin/comments/${rude}/hide`,
      token: commenter.token,
      body: { reason: 'x' },
    });
    expect(forbidden.status).toBe(403);
    const hidden = await t.request({
      method: 'POST',
      url: `/api/v1/admin/comments/${rude}/hide`,
      token: moderator,
      body: { reason: 'insults' },
    });
    expect(hidden.status).toBe(200);
    expect(hidden.body.comment).toMatchObject({ id: rude, body: 'rude words', hidden: true });
    const audit = await t.dataSource.query('SELECT * FROM audit_log WHERE request_id = $1', [
      hidden.headers['x-request-id'],
    ]);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'comment.hidden',
      target_type: 'comment',
      target_id: String(rude),
      reason: 'insults',
      details: { authorId: userIdOf(commenter) },
    });

    const anonymous = await comments();
    expect(anonymous.headers['x-cache']).toBe('miss');
    expect(ids(anonymous.body)).toEqual([fine]);
    expect(ids((await comments(author.token)).body)).toEqual([fine]);
    const own = await comments(commenter.token);
    expect(own.body.comments).toEqual([
      expect.objectContaining({ id: rude, hidden: true }),
      expect.not.objectContaining({ hidden: expect.anything() }),
    ]);
    // Not even the article's author can delete what they cannot see.
    const deleteByOther = await t.request({
      method: 'DELETE',
      url: `/api/articles/${article.slug}/comments/${rude}`,
      token: author.token,
    });
    expect(deleteByOther.status).toBe(404);

    const again = await t.request({
      method: 'POST',
      url: `/api/v1/admin/comments/${rude}/hide`,
      token: moderator,
      body: { reason: 'insults' },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('COMMENT_ALREADY_HIDDEN');

    const bodyless = await t.request({
      method: 'POST',
      url: `/api/v1/admin/comments/${rude}/unhide`,
      token: moderator,
    });
    expect(bodyless.status).toBe(422);
    const unhidden = await t.request({
      method: 'POST',
      url: `/api/v1/admin/comments/${rude}/unhide`,
      token: moderator,
      body: { reason: 'context: a quote' },
    });
    expect(unhidden.status).toBe(200);
    expect(unhidden.body.comment).not.toHaveProperty('hidden');
    const [unhideAudit] = await t.dataSource.query('SELECT action, reason FROM audit_log WHERE request_id = $1', [
      unhidden.headers['x-request-id'],
    ]);
    expect(unhideAudit).toEqual({ action: 'comment.unhidden', reason: 'context: a quote' });
    expect(ids((await comments()).body)).toEqual([rude, fine]);
  });

  it('answers 404 for an unknown comment and 422 for a malformed id', async () => {
    const unknown = await t.request({
      method: 'POST',
      url: '/api/v1/admin/comments/2147483000/hide',
      token: moderator,
      body: { reason: 'x' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('COMMENT_NOT_FOUND');
    const malformed = await t.request({
      method: 'POST',
      url: '/api/v1/admin/comments/abc/hide',
      token: moderator,
      body: { reason: 'x' },
    });
    expect(malformed.status).toBe(422);
  });
});
