import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../../../src/core/auth/token.service.js';
import { createArticle, uniqueTag } from '../../factories/articles.js';
import { buildUser, registerUser, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, type TestApp, type TestResponse } from '../../setup/test-app.js';

const JSON_TYPE = { 'content-type': 'application/json' };

function expectRealWorldError(response: TestResponse, status: number, code: string, message?: string | RegExp): void {
  expect(response.status, response.text).toBe(status);
  expect(response.headers['content-type']).toContain('application/json');
  expect(response.body).toEqual({
    errors: { body: message === undefined ? expect.any(Array) : [message] },
    code,
    requestId: expect.any(String),
  });
}

describe('HTTP edge: every request is treated the same way, whatever the route', () => {
  let t: TestApp;
  let author: RegisteredUser;
  let reader: RegisteredUser;
  beforeAll(async () => {
    t = await createTestApp();
    author = await registerUser(t);
    reader = await registerUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const bodyless = (method: 'POST' | 'DELETE', url: string, token?: string) =>
    t.request({ method, url, token, payload: '', headers: JSON_TYPE });

  describe('an empty body with a JSON content-type is no body', () => {
    it('lets RealWorld clients follow, favorite, unfavorite, unfollow and delete', async () => {
      const article = await createArticle(t, author.token);
      const comment = await t.request({
        method: 'POST',
        url: `/api/articles/${article.slug}/comments`,
        token: reader.token,
        body: { comment: { body: 'first' } },
      });
      const calls: Array<['POST' | 'DELETE', string]> = [
        ['POST', `/api/profiles/${author.username}/follow`],
        ['POST', `/api/articles/${article.slug}/favorite`],
        ['DELETE', `/api/articles/${article.slug}/favorite`],
        ['DELETE', `/api/profiles/${author.username}/follow`],
        ['DELETE', `/api/articles/${article.slug}/comments/${comment.body.comment.id}`],
      ];
      for (const [method, url] of calls) {
        const response = await bodyless(method, url, reader.token);
        expect(response.status, `${method} ${url}: ${response.text}`).toBe(200);
      }
      const deleted = await bodyless('DELETE', `/api/articles/${article.slug}`, author.token);
      expect(deleted.status).toBe(200);
    });

    it('answers 422 with the field errors on routes that need a body, exactly as for {}', async () => {
      const empty = await bodyless('POST', '/api/users');
      const braces = await t.request({ method: 'POST', url: '/api/users', body: {} });
      expectRealWorldError(empty, 422, 'VALIDATION_FAILED', 'user is required');
      expect(empty.body.errors).toEqual(braces.body.errors);
      const whitespace = await t.request({ method: 'POST', url: '/api/users', payload: ' \r\n', headers: JSON_TYPE });
      expectRealWorldError(whitespace, 422, 'VALIDATION_FAILED', 'user is required');
    });

    it('ignores the charset and encoding headers of an empty body', async () => {
      const response = await t.request({
        method: 'POST',
        url: `/api/profiles/${author.username}/follow`,
        token: reader.token,
        payload: '',
        headers: { 'content-type': 'application/json; charset=utf-16', 'content-encoding': 'gzip' },
      });
      expect(response.status).toBe(200);
    });

    it('treats an empty body of any other content-type as no body too (jQuery labels it a form)', async () => {
      const response = await t.request({
        method: 'POST',
        url: `/api/profiles/${author.username}/follow`,
        token: reader.token,
        payload: '',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      });
      expect(response.status).toBe(200);
    });

    it('answers an unknown route 404, not a body error', async () => {
      expectRealWorldError(await bodyless('POST', '/api/nothing-here'), 404, 'ROUTE_NOT_FOUND');
    });
  });

  describe('text PostgreSQL cannot store is a validation error, wherever it is sent', () => {
    it('rejects NUL in a body field and stores nothing', async () => {
      const user = buildUser();
      const response = await t.request({
        method: 'POST',
        url: '/api/users',
        body: { user: { ...user, username: `${user.username}\u0000x` } },
      });
      expectRealWorldError(response, 422, 'VALIDATION_FAILED', 'user.username must not contain NUL characters');
      const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM users WHERE email = $1', [
        user.email,
      ]);
      expect(count).toBe(0);
    });

    it('rejects NUL in login, in a tag, in a query value and in a path parameter', async () => {
      const login = await t.request({
        method: 'POST',
        url: '/api/users/login',
        body: { user: { email: 'a\u0000@example.com', password: 'whatever-password' } },
      });
      expectRealWorldError(login, 422, 'VALIDATION_FAILED', 'user.email must not contain NUL characters');
      const tag = await t.request({
        method: 'POST',
        url: '/api/articles',
        token: author.token,
        body: { article: { title: 't', description: 'd', body: 'b', tagList: ['ok', 'bad\u0000tag'] } },
      });
      expectRealWorldError(tag, 422, 'VALIDATION_FAILED', 'article.tagList[1] must not contain NUL characters');
      const query = await t.request({ method: 'GET', url: '/api/articles?tag=a%00b' });
      expectRealWorldError(query, 422, 'VALIDATION_FAILED', 'tag must not contain NUL characters');
      const path = await t.request({ method: 'GET', url: '/api/profiles/%00' });
      expectRealWorldError(path, 422, 'VALIDATION_FAILED', 'username must not contain NUL characters');
    });

    it('rejects a lone surrogate, which would be stored as U+FFFD', async () => {
      const response = await t.request({
        method: 'PUT',
        url: '/api/user',
        token: author.token,
        payload: '{"user":{"bio":"broken \\ud800 text"}}',
        headers: JSON_TYPE,
      });
      expectRealWorldError(response, 422, 'VALIDATION_FAILED', 'user.bio must be well-formed Unicode text');
    });

    it('keeps awkward but valid unicode intact', async () => {
      const bio = 'מימין לשמאל, e\u0301, 🐉, \uffff';
      const response = await t.request({
        method: 'PUT',
        url: '/api/user',
        token: author.token,
        body: { user: { bio } },
      });
      expect(response.status).toBe(200);
      expect(response.body.user.bio).toBe(bio);
    });
  });

  describe('JSON bodies', () => {
    it('answers a body nested 20,000 levels deep inside a field with 400 JSON_TOO_DEEP', async () => {
      const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
      const response = await t.request({
        method: 'POST',
        url: '/api/users/login',
        payload: `{"user":{"email":${deep},"password":"x"}}`,
        headers: JSON_TYPE,
      });
      expectRealWorldError(response, 400, 'JSON_TOO_DEEP');
    });

    it('still validates a body nested within the limit', async () => {
      const nested = `${'{"a":'.repeat(30)}1${'}'.repeat(30)}`;
      const response = await t.request({
        method: 'POST',
        url: '/api/users/login',
        payload: `{"user":{"email":${nested},"password":"x"}}`,
        headers: JSON_TYPE,
      });
      expectRealWorldError(response, 422, 'VALIDATION_FAILED');
    });

    it('ignores brackets inside strings when measuring depth', async () => {
      const response = await t.request({
        method: 'PUT',
        url: '/api/user',
        token: author.token,
        body: { user: { bio: `${'[{'.repeat(100)} "\\" ${'}]'.repeat(100)}` } },
      });
      expect(response.status).toBe(200);
    });

    it('answers invalid UTF-8, prototype keys and non-object JSON clearly', async () => {
      const invalidUtf8 = await t.request({
        method: 'POST',
        url: '/api/users/login',
        payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) as never,
        headers: JSON_TYPE,
      });
      expectRealWorldError(invalidUtf8, 400, 'MALFORMED_JSON', 'The request body is not valid UTF-8');
      const proto = await t.request({
        method: 'POST',
        url: '/api/users/login',
        payload: '{"__proto__":{"admin":true}}',
        headers: JSON_TYPE,
      });
      expectRealWorldError(proto, 400, 'MALFORMED_JSON');
      for (const payload of ['[]', '42', 'null', '"user"']) {
        const response = await t.request({ method: 'POST', url: '/api/users/login', payload, headers: JSON_TYPE });
        expectRealWorldError(response, 422, 'VALIDATION_FAILED');
      }
    });

    it('answers 415 for other media types, charsets and compressed bodies', async () => {
      const cases: Record<string, string>[] = [
        { 'content-type': 'text/plain' },
        { 'content-type': 'application/x-www-form-urlencoded' },
        { 'content-type': 'application/xml' },
        { 'content-type': 'application/json; charset=latin1' },
        { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      ];
      for (const headers of cases) {
        const response = await t.request({ method: 'POST', url: '/api/users/login', payload: '{}', headers });
        expectRealWorldError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
      const utf8 = await t.request({
        method: 'POST',
        url: '/api/users/login',
        payload: '{}',
        headers: { 'content-type': 'application/json; charset=UTF-8' },
      });
      expect(utf8.status).toBe(422);
    });
  });

  describe("the router's own errors leave in the one shape", () => {
    it('answers bad percent-encoding with 400 MALFORMED_URL, in the path or the query', async () => {
      for (const url of ['/api/profiles/%E0%A4%A', '/api/profiles/%', '/api/articles?tag=%ED%A0%80', '/api/tags?%']) {
        const response = await t.request({ method: 'GET', url });
        expectRealWorldError(response, 400, 'MALFORMED_URL');
        expect(response.headers['x-request-id']).toBe(response.body.requestId);
      }
    });

    it('accepts the longest slug a title can give, and answers 414 past the router limit', async () => {
      // A 100-character slug base, taken: the second article's slug carries the 9-character suffix.
      const title = `${uniqueTag()}-${'x'.repeat(100)}`;
      await createArticle(t, author.token, { title });
      const article = await createArticle(t, author.token, { title });
      expect(article.slug.length).toBe(109);
      const read = await t.request({ method: 'GET', url: `/api/articles/${article.slug}` });
      expect(read.status).toBe(200);
      const tooLong = await t.request({ method: 'GET', url: `/api/profiles/${'a'.repeat(600)}` });
      expectRealWorldError(tooLong, 414, 'URI_TOO_LONG');
    });

    it('answers a known path with the wrong method 405 with Allow', async () => {
      const response = await t.request({ method: 'PATCH', url: `/api/profiles/${author.username}` });
      expectRealWorldError(response, 405, 'METHOD_NOT_ALLOWED');
      expect(response.headers.allow).toBe('GET');
      const follow = await t.request({ method: 'PUT', url: `/api/profiles/${author.username}/follow` });
      expect(follow.headers.allow).toBe('POST, DELETE');
    });

    it('answers problem+json outside the RealWorld routes', async () => {
      const response = await t.request({ method: 'POST', url: '/health/live' });
      expect(response.status).toBe(405);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED', title: 'Method not allowed' });
    });
  });

  describe('bodies that break the documented schema are field errors, never 500 or a silent no-op', () => {
    it('rejects an envelope that is an array or a scalar', async () => {
      const cases: Array<['POST' | 'PUT', string, string]> = [
        ['POST', '/api/users', '{"user":[]}'],
        ['POST', '/api/users/login', '{"user":"x"}'],
        ['PUT', '/api/user', '{"user":[]}'],
        ['POST', '/api/articles', '{"article":[]}'],
      ];
      for (const [method, url, payload] of cases) {
        const response = await t.request({ method, url, token: author.token, payload, headers: JSON_TYPE });
        const name = JSON.parse(payload) as Record<string, unknown>;
        expectRealWorldError(response, 422, 'VALIDATION_FAILED', `${Object.keys(name)[0]} must be an object`);
      }
    });

    it('rejects null in fields that cannot be null, and still lets bio and image be cleared', async () => {
      const article = await createArticle(t, author.token);
      for (const field of ['title', 'body', 'tagList']) {
        const response = await t.request({
          method: 'PUT',
          url: `/api/articles/${article.slug}`,
          token: author.token,
          body: { article: { [field]: null } },
        });
        expect(response.status, field).toBe(422);
      }
      for (const field of ['password', 'username', 'email']) {
        const response = await t.request({
          method: 'PUT',
          url: '/api/user',
          token: author.token,
          body: { user: { [field]: null } },
        });
        expect(response.status, field).toBe(422);
      }
      const cleared = await t.request({
        method: 'PUT',
        url: '/api/user',
        token: author.token,
        body: { user: { bio: null, image: null } },
      });
      expect(cleared.status).toBe(200);
      expect(cleared.body.user).toMatchObject({ bio: null, image: null });
    });
  });

  describe('a token whose account is gone', () => {
    it('writes nothing and reads no account (401 TOKEN_SUBJECT_GONE)', async () => {
      const ghost = t.app.get(TokenService).sign({ id: randomUUID(), username: 'ghost', role: 'user' });
      const write = await t.request({
        method: 'POST',
        url: '/api/articles',
        token: ghost,
        body: { article: { title: 'Nobody wrote this', description: 'd', body: 'b' } },
      });
      expectRealWorldError(write, 401, 'TOKEN_SUBJECT_GONE');
      const [{ count }] = await t.dataSource.query(
        "SELECT count(*)::int AS count FROM articles WHERE title = 'Nobody wrote this'",
      );
      expect(count).toBe(0);
      expectRealWorldError(
        await t.request({ method: 'GET', url: '/api/user', token: ghost }),
        401,
        'TOKEN_SUBJECT_GONE',
      );
      const follow = await bodyless('POST', `/api/profiles/${author.username}/follow`, ghost);
      expectRealWorldError(follow, 401, 'TOKEN_SUBJECT_GONE');
    });
  });

  describe('numbers the database cannot hold are validation errors', () => {
    it('rejects fractional and out-of-range paging and ids', async () => {
      for (const query of ['limit=7.5', 'offset=1e20', 'limit=-1', 'offset=abc']) {
        const response = await t.request({ method: 'GET', url: `/api/articles?${query}` });
        expectRealWorldError(response, 422, 'VALIDATION_FAILED');
      }
      for (const id of ['99999999999999', '0', '-1', '1.5', '1e3']) {
        const response = await t.request({
          method: 'DELETE',
          url: `/api/articles/some-slug/comments/${id}`,
          token: author.token,
        });
        expectRealWorldError(response, 422, 'VALIDATION_FAILED', 'id must be an integer from 1 to 2147483647');
      }
    });
  });
});
