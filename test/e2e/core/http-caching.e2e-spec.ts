import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArticle } from '../../factories/articles.js';
import { registerUser, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

const varyOf = (headers: Record<string, unknown>) =>
  String(headers.vary ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase());

describe('HTTP caching: ETag, Cache-Control, Vary, compression', () => {
  let t: TestApp;
  let alice: RegisteredUser;
  let slug: string;
  beforeAll(async () => {
    t = await createTestApp();
    alice = await registerUser(t);
    slug = (await createArticle(t, alice.token)).slug;
    // Enough comments for the list to pass the compression threshold.
    for (let i = 0; i < 6; i += 1) {
      await t.request({
        method: 'POST',
        url: `/api/articles/${slug}/comments`,
        token: alice.token,
        body: { comment: { body: `comment ${i} `.repeat(30) } },
      });
    }
  });
  afterAll(async () => {
    await t.close();
  });

  describe('Cache-Control per route', () => {
    it('anonymous cached reads may be kept by a shared cache for s-maxage', async () => {
      const response = await t.request({ method: 'GET', url: `/api/profiles/${alice.username}` });
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('public, max-age=0, s-maxage=5');
    });

    it('the same read with a token is private and revalidated', async () => {
      const response = await t.request({ method: 'GET', url: `/api/profiles/${alice.username}`, token: alice.token });
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('private, no-cache');
    });

    it('an authenticated-only read is private', async () => {
      const response = await t.request({ method: 'GET', url: '/api/user', token: alice.token });
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('private, no-cache');
    });

    it('other anonymous reads are revalidated every time', async () => {
      const response = await t.request({ method: 'GET', url: '/health/live' });
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers.etag).toMatch(/^"[\w-]+"$/);
    });

    it('writes are never stored, and carry no ETag', async () => {
      const response = await t.request({
        method: 'POST',
        url: `/api/profiles/${alice.username}/follow`,
        token: (await registerUser(t)).token,
      });
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.etag).toBeUndefined();
    });

    it('errors are never stored, even on a cacheable route', async () => {
      const response = await t.request({ method: 'GET', url: '/api/profiles/nobody-at-all-here' });
      expect(response.status).toBe(404);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.etag).toBeUndefined();
    });
  });

  describe('Vary', () => {
    it('names Authorization and Accept-Encoding, beside the Origin CORS adds', async () => {
      const response = await t.request({
        method: 'GET',
        url: `/api/profiles/${alice.username}`,
        headers: { origin: 'https://conduit.example' },
      });
      expect(varyOf(response.headers)).toEqual(expect.arrayContaining(['origin', 'authorization', 'accept-encoding']));
      expect(new Set(varyOf(response.headers)).size).toBe(varyOf(response.headers).length);
    });
  });

  describe('ETag and If-None-Match', () => {
    it('answers 304 with no body for a matching strong ETag, keeping the caching headers', async () => {
      const first = await t.request({ method: 'GET', url: `/api/profiles/${alice.username}` });
      expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
      const again = await t.request({
        method: 'GET',
        url: `/api/profiles/${alice.username}`,
        headers: { 'if-none-match': String(first.headers.etag) },
      });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.headers['cache-control']).toBe('public, max-age=0, s-maxage=5');
    });

    it('matches within a list and in weak form; a different tag gets the full answer', async () => {
      const first = await t.request({ method: 'GET', url: '/api/user', token: alice.token });
      const etag = String(first.headers.etag);
      const listed = await t.request({
        method: 'GET',
        url: '/api/user',
        token: alice.token,
        headers: { 'if-none-match': `"other", W/${etag}` },
      });
      expect(listed.status).toBe(304);
      const stale = await t.request({
        method: 'GET',
        url: '/api/user',
        token: alice.token,
        headers: { 'if-none-match': '"not-this-one"' },
      });
      expect(stale.status).toBe(200);
      expect(stale.body.user.username).toBe(alice.username);
    });

    it('changes when the content changes', async () => {
      const user = await registerUser(t);
      const before = await t.request({ method: 'GET', url: `/api/profiles/${user.username}` });
      await t.request({ method: 'PUT', url: '/api/user', token: user.token, body: { user: { bio: 'changed' } } });
      const after = await t.request({
        method: 'GET',
        url: `/api/profiles/${user.username}`,
        headers: { 'if-none-match': String(before.headers.etag) },
      });
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(before.headers.etag);
      expect(after.body.profile.bio).toBe('changed');
    });
  });

  describe('compression', () => {
    it('gzips a large answer, with a strong ETag of its own that revalidates to 304', async () => {
      const plain = await t.request({ method: 'GET', url: `/api/articles/${slug}/comments` });
      expect(plain.headers['content-encoding']).toBeUndefined();
      const gzipped = await t.app
        .getHttpAdapter()
        .getInstance()
        .inject({ method: 'GET', url: `/api/articles/${slug}/comments`, headers: { 'accept-encoding': 'gzip' } });
      expect(gzipped.statusCode).toBe(200);
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzipped.rawPayload).toString('utf8')).toBe(plain.text);
      expect(gzipped.headers.etag).toBe(`${String(plain.headers.etag).slice(0, -1)}-gzip"`);

      const revalidated = await t.request({
        method: 'GET',
        url: `/api/articles/${slug}/comments`,
        headers: { 'accept-encoding': 'gzip', 'if-none-match': String(gzipped.headers.etag) },
      });
      expect(revalidated.status).toBe(304);
      expect(revalidated.headers.etag).toBe(gzipped.headers.etag);
    });

    it('leaves answers under the threshold uncompressed', async () => {
      const response = await t.request({
        method: 'GET',
        url: `/api/profiles/${alice.username}`,
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(response.status).toBe(200);
      expect(response.headers['content-encoding']).toBeUndefined();
    });
  });

  it('keeps the health and documentation routes working', async () => {
    expect((await t.request({ method: 'GET', url: '/health/ready' })).status).toBe(200);
    const docs = await t.request({ method: 'GET', url: '/docs-json', headers: { 'accept-encoding': 'gzip' } });
    expect(docs.status).toBe(200);
    expect(docs.headers['content-encoding']).toBe('gzip');
    const ui = await t.request({ method: 'GET', url: '/docs' });
    expect(ui.status).toBeLessThan(400);
  });

  it('documents x-cache on the cached reads, beside their response body', async () => {
    const { paths } = (await t.request({ method: 'GET', url: '/docs-json' })).body;
    for (const path of ['/api/profiles/{username}', '/api/articles/{slug}/comments', '/api/tags']) {
      const ok = paths[path].get.responses['200'];
      expect(ok.headers['x-cache'].schema.enum).toEqual(['hit', 'miss', 'bypass']);
      expect(ok.content['application/json'].schema).toBeDefined();
    }
    expect(paths['/api/user'].get.responses['200'].headers?.['x-cache']).toBeUndefined();
  });
});
