import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFolioClient, type FolioClient } from '../../../clients/ts/index.js';
import { GENERATE_COMMAND, generateSchema, SCHEMA_PATH } from '../../../clients/ts/generate.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

describe('clients/ts/schema.d.ts', () => {
  it('is what openapi-typescript generates from the committed openapi/openapi.json', async () => {
    const committed = await readFile(SCHEMA_PATH, 'utf8').catch(() => '');
    const fresh = await generateSchema();
    expect(committed === fresh, `clients/ts/schema.d.ts is stale: run \`${GENERATE_COMMAND}\``).toBe(true);
  });
});

/**
 * The contract from the consumer's side: the generated typed client (clients/ts) against the app on a
 * real port. Every call below is type-checked against the document by `tsc --noEmit` in `npm run lint`,
 * so a renamed field or path fails to compile before it fails here.
 */
describe('the typed client against the API on a real port', () => {
  let t: TestApp;
  let baseUrl: string;
  let anonymous: FolioClient;
  let authed: FolioClient;
  const suffix = randomBytes(3).toString('hex');
  const user = { username: `typed_${suffix}`, email: `typed_${suffix}@example.com`, password: 'typed-password' };
  const tag = `typed-${suffix}`;
  let slug = '';

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = await t.app.getUrl();
    anonymous = createFolioClient(baseUrl);
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers and logs in, and the token authenticates the client', async () => {
    const registered = await anonymous.POST('/api/users', { body: { user } });
    expect(registered.response.status).toBe(201);
    expect(registered.data?.user).toMatchObject({ username: user.username, email: user.email });

    const login = await anonymous.POST('/api/users/login', {
      body: { user: { email: user.email, password: user.password } },
    });
    expect(login.response.status).toBe(200);
    const token = login.data?.user.token ?? '';
    expect(token).not.toBe('');
    authed = createFolioClient(baseUrl, { token });

    const current = await authed.GET('/api/user');
    expect(current.response.status).toBe(200);
    expect(current.data?.user.username).toBe(user.username);
  });

  it('answers a typed error body for a wrong password and for a missing token', async () => {
    const wrong = await anonymous.POST('/api/users/login', {
      body: { user: { email: user.email, password: 'not-the-password' } },
    });
    expect(wrong.response.status).toBe(401);
    expect(wrong.data).toBeUndefined();
    expect(wrong.error?.errors.body.length).toBeGreaterThan(0);
    expect(wrong.error?.requestId).toBe(wrong.response.headers.get('x-request-id'));

    const noToken = await anonymous.GET('/api/user');
    expect(noToken.response.status).toBe(401);
    expect(typeof noToken.error?.code).toBe('string');
  });

  it('creates an article and finds it in the list filtered by its tag', async () => {
    const created = await authed.POST('/api/articles', {
      body: {
        article: { title: `Typed ${suffix}`, description: 'From the typed client', body: 'Body.', tagList: [tag, 'b'] },
      },
    });
    expect(created.response.status).toBe(201);
    const article = created.data?.article;
    expect(article).toMatchObject({ title: `Typed ${suffix}`, favorited: false, favoritesCount: 0 });
    expect(article?.tagList).toEqual(['b', tag]);
    expect(article?.author.username).toBe(user.username);
    slug = article?.slug ?? '';

    const listed = await anonymous.GET('/api/articles', { params: { query: { tag, limit: 10 } } });
    expect(listed.response.status).toBe(200);
    expect(listed.data?.articlesCount).toBe(1);
    expect(listed.data?.articles.map((a) => a.slug)).toEqual([slug]);
    // List items are summaries: RealWorld leaves the body out of lists.
    expect(listed.data?.articles[0]).not.toHaveProperty('body');
  });

  it('favorites the article, and the author filter and favorited filter see it', async () => {
    const favorited = await authed.POST('/api/articles/{slug}/favorite', { params: { path: { slug } } });
    expect(favorited.response.status).toBe(200);
    expect(favorited.data?.article).toMatchObject({ slug, favorited: true, favoritesCount: 1 });

    const mine = await authed.GET('/api/articles', { params: { query: { favorited: user.username } } });
    expect(mine.response.status).toBe(200);
    expect(mine.data?.articles.map((a) => a.slug)).toEqual([slug]);
    expect(mine.data?.articles[0]?.favorited).toBe(true);

    const unfavorited = await authed.DELETE('/api/articles/{slug}/favorite', { params: { path: { slug } } });
    expect(unfavorited.response.status).toBe(200);
    expect(unfavorited.data?.article).toMatchObject({ favorited: false, favoritesCount: 0 });
  });

  it('comments on the article, lists and deletes the comment', async () => {
    const commented = await authed.POST('/api/articles/{slug}/comments', {
      params: { path: { slug } },
      body: { comment: { body: 'Typed comment.' } },
    });
    expect(commented.response.status).toBe(200);
    const comment = commented.data?.comment;
    expect(comment).toMatchObject({ body: 'Typed comment.', author: { username: user.username } });

    const listed = await anonymous.GET('/api/articles/{slug}/comments', { params: { path: { slug } } });
    expect(listed.response.status).toBe(200);
    expect(listed.data?.comments.map((c) => c.id)).toEqual([comment?.id]);

    const deleted = await authed.DELETE('/api/articles/{slug}/comments/{id}', {
      params: { path: { slug, id: comment?.id ?? 0 } },
    });
    expect(deleted.response.status).toBe(200);
    const after = await anonymous.GET('/api/articles/{slug}/comments', { params: { path: { slug } } });
    expect(after.data?.comments).toEqual([]);
  });

  it('answers 404 in the typed error shape for an article that does not exist', async () => {
    const missing = await anonymous.GET('/api/articles/{slug}', { params: { path: { slug: `missing-${suffix}` } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.errors.body.length).toBeGreaterThan(0);
  });
});
