import { JwtService } from '@nestjs/jwt';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildOpenApiDocument } from '../../../src/core/http/openapi.js';
import { createArticle } from '../../factories/articles.js';
import { promote, registerUser, userIdOf, type RegisteredUser } from '../../factories/users.js';
import {
  createTestApp,
  listenOnSocket,
  type RequestOptions,
  type TestApp,
  type TestResponse,
} from '../../setup/test-app.js';
import { applyEnvironment, useOwnJobsEnvironment } from '../../support/jobs.js';
import { controllerRoutes } from '../../support/routes.js';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtp.js';
import { notificationsQueue } from '../notifications/mail-helpers.js';

/**
 * One named test per item of the OWASP API Security Top 10 (2023), each proving from the outside what Folio does
 * about that class of attack (docs/security.md maps every item to these tests and to the deeper suites).
 */
const SECRET = () => process.env.JWT_SECRET!;
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('OWASP API Security Top 10 (2023)', () => {
  let t: TestApp;
  let send: (options: RequestOptions) => Promise<TestResponse>;
  let drop: () => Promise<void>;
  let smtp: TestSmtpServer;
  let alice: RegisteredUser;
  let bob: RegisteredUser;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    ({ drop } = await useOwnJobsEnvironment('owasp', { backend: 'redis' }));
    applyEnvironment({ SMTP_URL: smtp.url });
    t = await createTestApp();
    send = await listenOnSocket(t);
    [alice, bob] = [await registerUser(t), await registerUser(t)];
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
    await drop?.();
  });

  it("API1:2023 Broken Object Level Authorization — nobody reaches another user's article, comment, report, notification or session", async () => {
    const article = await createArticle(t, alice.token);
    const slug = article.slug as string;
    const edit = await send({
      method: 'PUT',
      url: `/api/articles/${slug}`,
      token: bob.token,
      body: { article: { title: 'pwned' } },
    });
    expect(edit.status).toBe(403);
    expect((await send({ method: 'DELETE', url: `/api/articles/${slug}`, token: bob.token })).status).toBe(403);

    const comment = await send({
      method: 'POST',
      url: `/api/articles/${slug}/comments`,
      token: alice.token,
      body: { comment: { body: 'mine' } },
    });
    const deleteComment = await send({
      method: 'DELETE',
      url: `/api/articles/${slug}/comments/${comment.body.comment.id}`,
      token: bob.token,
    });
    expect(deleteComment.status).toBe(403);

    const report = await send({ method: 'POST', url: '/api/v1/reports', token: alice.token, body: { format: 'csv' } });
    expect(report.status).toBe(202);
    for (const url of [
      `/api/v1/reports/${report.body.report.id}`,
      `/api/v1/reports/${report.body.report.id}/download`,
    ]) {
      const foreign = await send({ method: 'GET', url, token: bob.token });
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('REPORT_NOT_FOUND');
    }
    expect((await send({ method: 'GET', url: '/api/v1/reports', token: bob.token })).body.reports).toEqual([]);

    // Bob follows Alice: Alice gets an in-app notification (through the outbox and the worker).
    await send({ method: 'POST', url: `/api/profiles/${alice.username}/follow`, token: bob.token });
    let notificationId = '';
    await vi.waitFor(
      async () => {
        const list = await send({ method: 'GET', url: '/api/v1/notifications', token: alice.token });
        expect(list.body.notifications.length).toBeGreaterThan(0);
        notificationId = String(list.body.notifications[0].id);
      },
      { timeout: 15_000, interval: 100 },
    );
    const readForeign = await send({
      method: 'POST',
      url: `/api/v1/notifications/${notificationId}/read`,
      token: bob.token,
    });
    expect(readForeign.status).toBe(404);
    expect((await send({ method: 'GET', url: '/api/v1/notifications', token: bob.token })).body.notifications).toEqual(
      [],
    );

    const aliceSession = claimsOf(alice.token).sid as string;
    const endForeign = await send({ method: 'DELETE', url: `/api/v1/auth/sessions/${aliceSession}`, token: bob.token });
    expect(endForeign.status).toBe(404);
    const bobSessions = await send({ method: 'GET', url: '/api/v1/auth/sessions', token: bob.token });
    expect(bobSessions.body.sessions.map((session: { id: string }) => session.id)).not.toContain(aliceSession);

    const abuse = await send({
      method: 'POST',
      url: '/api/v1/abuse-reports',
      token: bob.token,
      body: { targetType: 'article', targetId: slug, reason: 'spam' },
    });
    expect(abuse.status).toBe(201);
    const aliceReports = await send({ method: 'GET', url: '/api/v1/abuse-reports', token: alice.token });
    expect(aliceReports.body.reports.map((r: { id: string }) => r.id)).not.toContain(abuse.body.report.id);

    // Nothing changed.
    const [row] = await t.dataSource.query('SELECT title FROM articles WHERE slug = $1', [slug]);
    expect(row.title).not.toBe('pwned');
  });

  it('API2:2023 Broken Authentication — expired, tampered, alg:none, foreign-signed, reused-refresh and suspended credentials all fail', async () => {
    const { iat: _iat, exp: _exp, ...claims } = claimsOf(alice.token);
    const jwt = new JwtService();
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, { secret: SECRET() });
    const [header, , signature] = alice.token.split('.');
    const tampered = `${header}.${base64url({ ...claims, role: 'admin' })}.${signature}`;
    const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, role: 'admin' })}.`;
    const foreign = jwt.sign(claims, { secret: 'another-secret-of-enough-length' });
    const cases: Array<[string, string]> = [
      [expired, 'TOKEN_EXPIRED'],
      [tampered, 'TOKEN_INVALID'],
      [none, 'TOKEN_INVALID'],
      [foreign, 'TOKEN_INVALID'],
    ];
    for (const [token, code] of cases) {
      const response = await send({
        method: 'GET',
        url: '/api/v1/auth/sessions',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status, code).toBe(401);
      expect(response.body.code).toBe(code);
    }

    const user = await registerUser(t);
    const login = await send({
      method: 'POST',
      url: '/api/v1/auth/login',
      body: { email: user.email, password: user.password },
    });
    const first = login.body.refreshToken as string;
    expect((await send({ method: 'POST', url: '/api/v1/auth/refresh', body: { refreshToken: first } })).status).toBe(
      200,
    );
    const reuse = await send({ method: 'POST', url: '/api/v1/auth/refresh', body: { refreshToken: first } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');

    const admin = await registerUser(t);
    const adminJwt = await promote(t, admin, 'admin');
    const victim = await registerUser(t);
    await send({
      method: 'POST',
      url: `/api/v1/admin/users/${victim.username}/suspend`,
      token: adminJwt,
      body: { reason: 'abuse' },
    });
    const suspended = await send({ method: 'GET', url: '/api/user', token: victim.token });
    expect(suspended.status).toBe(403);
    expect(suspended.body.code).toBe('ACCOUNT_SUSPENDED');

    const unknown = await send({
      method: 'POST',
      url: '/api/v1/auth/login',
      body: { email: `x_${user.email}`, password: 'wrong-password' },
    });
    const wrong = await send({
      method: 'POST',
      url: '/api/v1/auth/login',
      body: { email: user.email, password: 'wrong-password' },
    });
    expect([unknown.status, unknown.body.code]).toEqual([wrong.status, wrong.body.code]);
  });

  it('API3:2023 Broken Object Property Level Authorization — role, counts, author and hidden cannot be mass-assigned, and no private field leaves', async () => {
    const mallory = await registerUser(t);
    const withRole = await send({
      method: 'PUT',
      url: '/api/user',
      token: mallory.token,
      body: { user: { bio: 'hi', role: 'admin' } },
    });
    expect(withRole.status).toBe(422);
    const register = await send({
      method: 'POST',
      url: '/api/users',
      body: {
        user: {
          username: `m_${Date.now()}`,
          email: `m_${Date.now()}@example.com`,
          password: 'long-enough-password',
          role: 'admin',
        },
      },
    });
    expect(register.status).toBe(422);
    const [me] = await t.dataSource.query('SELECT role FROM users WHERE id = $1', [userIdOf(mallory)]);
    expect(me.role).toBe('user');

    for (const extra of [
      { favoritesCount: 1000 },
      { author: { username: alice.username } },
      { hidden: true },
      { slug: 'chosen' },
    ]) {
      const created = await send({
        method: 'POST',
        url: '/api/articles',
        token: mallory.token,
        body: {
          article: { title: `Mass ${Object.keys(extra)[0]} ${Date.now()}`, description: 'd', body: 'b', ...extra },
        },
      });
      expect(created.status, JSON.stringify(extra)).toBe(422);
    }
    expect(
      (await t.dataSource.query('SELECT count(*)::int AS n FROM articles WHERE author_id = $1', [userIdOf(mallory)]))[0]
        .n,
    ).toBe(0);

    const article = await createArticle(t, alice.token);
    const answers = [
      await send({ method: 'GET', url: `/api/profiles/${alice.username}` }),
      await send({ method: 'GET', url: `/api/articles/${article.slug}`, token: bob.token }),
      await send({ method: 'GET', url: `/api/articles?author=${alice.username}` }),
      await send({ method: 'GET', url: '/api/user', token: alice.token }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toMatch(
        /password|passwordHash|password_hash|"role"|suspend|"hidden"|authorId|author_id|"id":"[0-9a-f-]{36}"/,
      );
    }
    // Another user's email never appears.
    expect(
      answers
        .slice(0, 3)
        .map((answer) => answer.text)
        .join(''),
    ).not.toContain(alice.email);
  });

  it('API4:2023 Unrestricted Resource Consumption — huge limits, bodies, nesting, tag lists and strings are refused before any work', async () => {
    const limit = await send({ method: 'GET', url: '/api/articles?limit=100000' });
    expect(limit.status).toBe(422);
    const big = await send({
      method: 'POST',
      url: '/api/articles',
      token: alice.token,
      payload: JSON.stringify({ article: { body: 'x'.repeat(2_000_000) } }),
    });
    expect(big.status).toBe(413);
    const nested = await send({
      method: 'POST',
      url: '/api/articles',
      token: alice.token,
      payload: `${'['.repeat(100)}${']'.repeat(100)}`,
    });
    expect(nested.status).toBe(400);
    expect(nested.body.code).toBe('JSON_TOO_DEEP');
    const tags = await send({
      method: 'POST',
      url: '/api/articles',
      token: alice.token,
      body: {
        article: {
          title: 'Many tags',
          description: 'd',
          body: 'b',
          tagList: Array.from({ length: 500 }, (_, i) => `t${i}`),
        },
      },
    });
    expect(tags.status).toBe(422);
    const long = await send({
      method: 'POST',
      url: '/api/articles',
      token: alice.token,
      body: { article: { title: 'x'.repeat(10_000), description: 'd', body: 'b' } },
    });
    expect(long.status).toBe(422);
    const url = await send({ method: 'GET', url: `/api/articles?tag=${'a'.repeat(10_000)}` });
    expect(url.status).toBe(414);
    // A number past the id column's range names nothing: 404, not a database error.
    const hugeId = await send({
      method: 'POST',
      url: '/api/v1/abuse-reports',
      token: alice.token,
      body: { targetType: 'comment', targetId: '9999999999', reason: 'spam' },
    });
    expect(hugeId.status).toBe(404);
    const before = await t.dataSource.query('SELECT count(*)::int AS n FROM articles WHERE title = $1', ['Many tags']);
    expect(before[0].n).toBe(0);
  });

  it('API5:2023 Broken Function Level Authorization — a user token is refused by every moderator and admin operation in the document', async () => {
    const document = JSON.parse(JSON.stringify(await buildOpenApiDocument(t.app))) as {
      paths: Record<string, Record<string, any>>;
    };
    const moderator = await registerUser(t);
    const moderatorJwt = await promote(t, moderator, 'moderator');
    let checked = 0;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const role = operation['x-required-role'] as string | undefined;
        if (!role) continue;
        const url = path.replace(/\{[^}]+\}/g, (name) => (/id/i.test(name) ? '1' : 'someone'));
        const callers = role === 'admin' ? [bob.token, moderatorJwt] : [bob.token];
        for (const token of callers) {
          const verb = method.toUpperCase() as RequestOptions['method'];
          const response = await send({ method: verb, url, token, ...(verb === 'GET' ? {} : { body: {} }) });
          expect(response.status, `${method.toUpperCase()} ${path} (${role})`).toBe(403);
          expect(response.body.code).toBe('ROLE_REQUIRED');
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
    const dashboard = await send({ method: 'GET', url: '/admin/queues', token: bob.token });
    expect(dashboard.status).toBe(403);
  });

  it('API7:2023 Server Side Request Forgery — image URLs are stored and echoed, never fetched by the server', async () => {
    let connections = 0;
    const trap: Server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const { port } = trap.address() as { port: number };
    try {
      const image = `http://127.0.0.1:${port}/avatar.png`;
      const updated = await send({ method: 'PUT', url: '/api/user', token: alice.token, body: { user: { image } } });
      expect(updated.status).toBe(200);
      expect(updated.body.user.image).toBe(image);
      const profile = await send({ method: 'GET', url: `/api/profiles/${alice.username}` });
      expect(profile.body.profile.image).toBe(image);
      await createArticle(t, alice.token);
      await send({ method: 'GET', url: '/api/articles?limit=5' });
      const internal = await send({
        method: 'PUT',
        url: '/api/user',
        token: alice.token,
        body: { user: { image: 'file:///etc/passwd' } },
      });
      expect(internal.status).toBe(422);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(connections).toBe(0);
    } finally {
      await new Promise<void>((resolve) => trap.close(() => resolve()));
    }
  });

  it('API8:2023 Security Misconfiguration — security headers, a CORS allowlist, and no debug routes or stack traces', async () => {
    const answer = await send({ method: 'GET', url: '/api/tags' });
    expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['x-powered-by']).toBeUndefined();
    const foreign = await send({ method: 'GET', url: '/api/tags', headers: { origin: 'https://evil.example' } });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    for (const url of ['/debug', '/.env', '/actuator', '/api/debug', '/server-status', '/graphql']) {
      const probe = await send({ method: 'GET', url });
      expect(probe.status, url).toBe(404);
    }
    const trace = await send({ method: 'GET', url: '/api/articles/does-not-exist' });
    expect(trace.text).not.toMatch(/at \w+ \(|node_modules|\/src\//);
  });

  it('API9:2023 Improper Inventory Management — every route is in the OpenAPI document, and the document names nothing that does not exist', async () => {
    const document = JSON.parse(JSON.stringify(await buildOpenApiDocument(t.app))) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const served = new Set(
      controllerRoutes(t.app)
        .filter(({ handler }) => !Reflect.getMetadata('swagger/apiExcludeEndpoint', handler))
        .map(({ method, documentedPath }) => `${method} ${documentedPath}`),
    );
    const undocumented = [...served].filter((route) => !documented.has(route) && !route.startsWith('GET /health'));
    expect(undocumented).toEqual([]);
    expect([...documented].filter((route) => !served.has(route))).toEqual([]);
    // Versions that do not exist answer 404, not an older behaviour.
    expect((await send({ method: 'GET', url: '/api/v2/articles' })).status).toBe(404);
    expect((await send({ method: 'GET', url: '/api/v0/articles' })).status).toBe(404);
  });

  it('API10:2023 Unsafe Consumption of APIs — an SMTP server that refuses or talks garbage fails the mail job, never the user’s write', async () => {
    // A "mail server" that answers something other than SMTP.
    const garbage: Server = createServer((socket) => socket.end('HTTP/1.1 200 OK\r\n\r\n<html>hello</html>\r\n'));
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    const { port } = garbage.address() as { port: number };
    const { drop: dropOwn } = await useOwnJobsEnvironment('owasp_api10', { backend: 'redis' });
    applyEnvironment({ SMTP_URL: `smtp://127.0.0.1:${port}`, JOB_ATTEMPTS: '2', MAIL_BREAKER_RESET_MS: '200' });
    const app = await createTestApp();
    try {
      const user = await registerUser(app);
      expect(user.token).toEqual(expect.any(String));
      const [row] = await app.dataSource.query('SELECT count(*)::int AS n FROM users WHERE id = $1', [userIdOf(user)]);
      expect(row.n).toBe(1);
      const queue = notificationsQueue(app);
      const jobId = `identity.user-registered.${userIdOf(user)}`;
      // The answer is not taken for an acceptance: no delivery is recorded while the server talks garbage.
      await vi.waitFor(
        async () => {
          const job = await queue.getJob(jobId);
          expect(job).toBeDefined();
          expect(job!.attemptsMade + ((await job!.getState()) === 'delayed' ? 1 : 0)).toBeGreaterThan(0);
        },
        { timeout: 15_000, interval: 100 },
      );
      const deliveries = await app.dataSource.query('SELECT count(*)::int AS n FROM mail_deliveries');
      expect(deliveries[0].n).toBe(0);
    } finally {
      await app.close();
      await new Promise<void>((resolve) => garbage.close(() => resolve()));
      await dropOwn();
      applyEnvironment({ SMTP_URL: smtp.url }, ['JOB_ATTEMPTS', 'MAIL_BREAKER_RESET_MS']);
    }
  });
});

describe('OWASP API6:2023 Unrestricted Access to Sensitive Business Flows', () => {
  let t: TestApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ drop } = await useOwnJobsEnvironment('owasp_api6', { backend: 'redis' }));
    applyEnvironment({ RATE_LIMIT_SOCIAL_LIMIT: '3', RATE_LIMIT_ACCOUNT_LIMIT: '3', TRUST_PROXY: 'true' });
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
    await drop?.();
    applyEnvironment({}, ['RATE_LIMIT_SOCIAL_LIMIT', 'RATE_LIMIT_ACCOUNT_LIMIT', 'TRUST_PROXY']);
  });

  it('API6:2023 throttles follow and favorite spam per user, and password-reset mail bombing per account', async () => {
    const spammer = await registerUser(t);
    const targets = await Promise.all([1, 2, 3, 4].map(() => registerUser(t)));
    const follows = [];
    for (const target of targets) {
      follows.push(
        (await t.request({ method: 'POST', url: `/api/profiles/${target.username}/follow`, token: spammer.token }))
          .status,
      );
    }
    expect(follows).toEqual([200, 200, 200, 429]);
    const favorite = await t.request({ method: 'POST', url: '/api/articles/any/favorite', token: spammer.token });
    expect(favorite.status).toBe(429);
    const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM follows WHERE follower_id = $1', [
      userIdOf(spammer),
    ]);
    expect(n).toBe(3);
    // Someone else is not affected.
    const other = await registerUser(t);
    expect(
      (await t.request({ method: 'POST', url: `/api/profiles/${targets[0]!.username}/follow`, token: other.token }))
        .status,
    ).toBe(200);

    const victim = await registerUser(t);
    const resets = [];
    for (let i = 1; i <= 4; i += 1) {
      const response = await t.request({
        method: 'POST',
        url: '/api/v1/auth/password-reset',
        headers: { 'x-forwarded-for': `203.0.113.${i}` },
        body: { email: victim.email },
      });
      resets.push(response.status);
    }
    expect(resets).toEqual([202, 202, 202, 429]);
  });
});
