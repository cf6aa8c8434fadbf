import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArticle } from '../../factories/articles.js';
import { registerUser, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

interface WireResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
}

/** One request with exactly the given headers; the body as it came over the wire (still compressed). */
function onTheWire(port: number, path: string, headers: Record<string, string>): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'GET', path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP caching over a real socket', () => {
  let t: TestApp;
  let base: string;
  let port: number;
  let author: RegisteredUser;
  let slug: string;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = await t.app.getUrl();
    port = Number(new URL(base).port);
    author = await registerUser(t);
    slug = (await createArticle(t, author.token)).slug;
    for (let i = 0; i < 6; i += 1) {
      await t.request({
        method: 'POST',
        url: `/api/articles/${slug}/comments`,
        token: author.token,
        body: { comment: { body: `a long enough comment, number ${i}. `.repeat(20) } },
      });
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends gzip to a client that accepts it, and identity to one that does not', async () => {
    const gzipped = await onTheWire(port, `/api/articles/${slug}/comments`, { 'accept-encoding': 'gzip' });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    const plain = await onTheWire(port, `/api/articles/${slug}/comments`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(gzipped.bytes).toString('utf8')).toBe(plain.bytes.toString('utf8'));
    expect(gzipped.bytes.length).toBeLessThan(plain.bytes.length);
    expect(gzipped.headers.etag).not.toBe(plain.headers.etag);
    expect(String(gzipped.headers.vary).toLowerCase()).toContain('accept-encoding');
  });

  it('prefers brotli when the client accepts it as well as gzip', async () => {
    const response = await onTheWire(port, `/api/articles/${slug}/comments`, {
      'accept-encoding': 'gzip, deflate, br',
    });
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers.etag).toMatch(/^"[\w-]+-br"$/);
    const plain = await onTheWire(port, `/api/articles/${slug}/comments`, {});
    expect(brotliDecompressSync(response.bytes).toString('utf8')).toBe(plain.bytes.toString('utf8'));
  });

  it('round-trips If-None-Match with fetch: 304, no body, then 200 after a change', async () => {
    const url = `${base}/api/articles/${slug}/comments`;
    // fetch (undici) sends its own Accept-Encoding and decodes the body, as a browser does.
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toMatch(/^(miss|hit)$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=5');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const comments = (await first.json()) as { comments: unknown[] };
    expect(comments.comments).toHaveLength(6);

    const revalidated = await fetch(url, { headers: { 'if-none-match': etag! } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    expect(revalidated.headers.get('etag')).toBe(etag);

    await fetch(`${base}/api/articles/${slug}/comments`, {
      method: 'POST',
      headers: { authorization: `Token ${author.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ comment: { body: 'one more' } }),
    });
    const changed = await fetch(url, { headers: { 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { comments: unknown[] }).comments).toHaveLength(7);
  });

  it('answers a browser-like authenticated read as private, with the CORS Vary kept', async () => {
    const response = await fetch(`${base}/api/user`, {
      headers: { authorization: `Token ${author.token}`, origin: 'https://conduit.example' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    const vary = (response.headers.get('vary') ?? '').toLowerCase();
    for (const name of ['origin', 'authorization', 'accept-encoding']) expect(vary).toContain(name);
  });
});
