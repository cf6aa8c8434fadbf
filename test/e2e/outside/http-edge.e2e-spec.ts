import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArticle } from '../../factories/articles.js';
import { registerUser, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: any;
}

/** Writes bytes to a fresh TCP connection and reads the one response the server sends before closing. */
function rawExchange(port: number, bytes: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => [
          line.slice(0, line.indexOf(':')).toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      );
      const body = rest.join('\r\n\r\n');
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: body ? JSON.parse(body) : undefined });
    });
  });
}

describe('HTTP edge over a real socket', () => {
  let t: TestApp;
  let port: number;
  let author: RegisteredUser;
  let reader: RegisteredUser;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(await t.app.getUrl()).port);
    author = await registerUser(t);
    reader = await registerUser(t);
  });
  afterAll(async () => {
    agent.destroy();
    await t.close();
  });

  /** One request through a keep-alive agent limited to one socket, so consecutive calls share it. */
  function send(method: string, path: string, headers: Record<string, string>, body?: string) {
    return new Promise<{ status: number; body: any; socketReused: boolean }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            body: text ? JSON.parse(text) : undefined,
            socketReused: req.reusedSocket,
          });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('serves bodyless writes the way browsers and RealWorld clients send them, on one keep-alive socket', async () => {
    const article = await createArticle(t, author.token);
    const client = {
      'content-type': 'application/json',
      'x-requested-with': 'XMLHttpRequest',
      accept: 'application/json, text/plain, */*',
      authorization: `Token ${reader.token}`,
    };
    const follow = await send('POST', `/api/profiles/${author.username}/follow`, { ...client, 'content-length': '0' });
    expect(follow).toMatchObject({ status: 200, body: { profile: { following: true } } });
    // An empty chunked body (what some fetch polyfills send) is no body too.
    const favorite = await send('POST', `/api/articles/${article.slug}/favorite`, {
      ...client,
      'transfer-encoding': 'chunked',
    });
    expect(favorite).toMatchObject({ status: 200, body: { article: { favorited: true } }, socketReused: true });
    const unfollow = await send('DELETE', `/api/profiles/${author.username}/follow`, client, '');
    expect(unfollow).toMatchObject({ status: 200, body: { profile: { following: false } }, socketReused: true });
    const missing = await send('POST', '/api/nothing-here', { ...client, 'content-length': '0' });
    expect(missing).toMatchObject({ status: 404, body: { code: 'ROUTE_NOT_FOUND' }, socketReused: true });
  });

  it('answers a browser preflight for a JSON write with the headers clients send', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/api/articles/any/favorite`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:4200',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-requested-with',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:4200');
    expect(response.headers.get('access-control-allow-headers')).toContain('x-requested-with');
    for (const method of ['PUT', 'DELETE']) {
      const preflight = await fetch(`http://127.0.0.1:${port}/api/articles/any`, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:4200', 'access-control-request-method': method },
      });
      expect(preflight.headers.get('access-control-allow-methods')).toContain(method);
    }
  });

  it('answers bad percent-encoding and over-long segments in the RealWorld shape', async () => {
    for (const path of ['/api/profiles/%E0%A4%A', '/api/profiles/%']) {
      const response = await rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        errors: { body: ['The URL is not validly percent-encoded UTF-8'] },
        code: 'MALFORMED_URL',
        requestId: response.headers['x-request-id'],
      });
    }
    const long = await rawExchange(
      port,
      `GET /api/articles/${'a'.repeat(600)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    expect(long.status).toBe(414);
    expect(long.body.code).toBe('URI_TOO_LONG');
  });

  it("answers requests Node's HTTP parser rejects in the one error shape", async () => {
    const garbage = await rawExchange(port, 'NOT-A-METHOD /api/tags HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(garbage.status).toBe(400);
    expect(garbage.body).toEqual({
      errors: { body: ['The HTTP request is malformed'] },
      code: 'MALFORMED_REQUEST',
      requestId: garbage.headers['x-request-id'],
    });
    const hugeHeaders = await rawExchange(
      port,
      `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(hugeHeaders.status).toBe(431);
    expect(hugeHeaders.headers['content-type']).toContain('application/problem+json');
    expect(hugeHeaders.body).toMatchObject({ status: 431, code: 'HEADER_TOO_LARGE' });
  });

  it('answers a declared body over the limit with 413 before reading it', async () => {
    const response = await rawExchange(
      port,
      'POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\nConnection: close\r\n\r\n{',
    );
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', errors: { body: [expect.any(String)] } });
  });
});
