import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArticle } from '../../factories/articles.js';
import { registerUser, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

describe('comments: RealWorld comments API', () => {
  let t: TestApp;
  let author: RegisteredUser;
  let commenter: RegisteredUser;
  let slug: string;
  beforeAll(async () => {
    t = await createTestApp();
    [author, commenter] = [await registerUser(t), await registerUser(t)];
    slug = (await createArticle(t, author.token)).slug;
  });
  afterAll(async () => {
    await t.close();
  });

  const comment = (token: string | undefined, body: unknown, articleSlug = slug) =>
    t.request({ method: 'POST', url: `/api/articles/${articleSlug}/comments`, token, body });

  it('adds a comment with the RealWorld shape', async () => {
    const response = await comment(commenter.token, { comment: { body: 'Thank you so much!' } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      comment: {
        id: expect.any(Number),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        body: 'Thank you so much!',
        author: { username: commenter.username, bio: null, image: null, following: false },
      },
    });
    const [row] = await t.dataSource.query('SELECT body FROM comments WHERE id = $1', [response.body.comment.id]);
    expect(row.body).toBe('Thank you so much!');
  });

  it('lists comments oldest first, with following from the caller’s view', async () => {
    const other = await createArticle(t, author.token);
    const first = await comment(commenter.token, { comment: { body: 'one' } }, other.slug);
    const second = await comment(author.token, { comment: { body: 'two' } }, other.slug);
    await t.request({ method: 'POST', url: `/api/profiles/${commenter.username}/follow`, token: author.token });

    const anonymous = await t.request({ method: 'GET', url: `/api/articles/${other.slug}/comments` });
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.comments.map((c: { id: number }) => c.id)).toEqual([
      first.body.comment.id,
      second.body.comment.id,
    ]);
    const asAuthor = await t.request({
      method: 'GET',
      url: `/api/articles/${other.slug}/comments`,
      token: author.token,
    });
    expect(asAuthor.body.comments[0].author).toMatchObject({ username: commenter.username, following: true });
  });

  it('validates, requires a token and a real article', async () => {
    const blank = await comment(commenter.token, { comment: { body: '' } });
    expect(blank.status).toBe(422);
    expect(blank.body.errors.body).toEqual(["body can't be blank"]);
    expect((await comment(undefined, { comment: { body: 'x' } })).status).toBe(401);
    const missing = await comment(commenter.token, { comment: { body: 'x' } }, 'no-such-article');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('ARTICLE_NOT_FOUND');
    expect((await t.request({ method: 'GET', url: '/api/articles/no-such-article/comments' })).status).toBe(404);
  });

  it('lets only the comment author delete it', async () => {
    const created = await comment(commenter.token, { comment: { body: 'mine' } });
    const url = `/api/articles/${slug}/comments/${created.body.comment.id}`;
    const forbidden = await t.request({ method: 'DELETE', url, token: author.token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ code: 'NOT_COMMENT_AUTHOR' });

    const deleted = await t.request({ method: 'DELETE', url, token: commenter.token });
    expect(deleted.status).toBe(200);
    const rows = await t.dataSource.query('SELECT 1 FROM comments WHERE id = $1', [created.body.comment.id]);
    expect(rows).toHaveLength(0);
    expect((await t.request({ method: 'DELETE', url, token: commenter.token })).status).toBe(404);
  });

  it('answers 404 for a comment of another article and 422 for a non-numeric id', async () => {
    const other = await createArticle(t, author.token);
    const created = await comment(commenter.token, { comment: { body: 'elsewhere' } }, other.slug);
    const wrongArticle = await t.request({
      method: 'DELETE',
      url: `/api/articles/${slug}/comments/${created.body.comment.id}`,
      token: commenter.token,
    });
    expect(wrongArticle.status).toBe(404);
    expect(wrongArticle.body.code).toBe('COMMENT_NOT_FOUND');
    const notNumber = await t.request({
      method: 'DELETE',
      url: `/api/articles/${slug}/comments/abc`,
      token: commenter.token,
    });
    expect(notNumber.status).toBe(422);
  });

  it('leaves no orphan comment when comments race the article’s deletion', async () => {
    const doomed = await createArticle(t, author.token);
    const [{ id }] = await t.dataSource.query('SELECT id FROM articles WHERE slug = $1', [doomed.slug]);
    const writes = Array.from({ length: 10 }, (_, i) =>
      comment(commenter.token, { comment: { body: `c${i}` } }, doomed.slug),
    );
    const deletion = t.request({ method: 'DELETE', url: `/api/articles/${doomed.slug}`, token: author.token });
    const [deleted, ...responses] = await Promise.all([deletion, ...writes]);
    expect(deleted.status).toBe(200);
    for (const response of responses) expect([200, 404]).toContain(response.status);
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM comments WHERE article_id = $1', [
      id,
    ]);
    expect(count).toBe(0);
  });
});
