import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArticle } from '../../factories/articles.js';
import { adminToken, moderatorToken, registerUser, userIdOf, type RegisteredUser } from '../../factories/users.js';
import {
  createTestApp,
  listenOnSocket,
  type RequestOptions,
  type TestApp,
  type TestResponse,
} from '../../setup/test-app.js';

const REPORTS = '/api/v1/abuse-reports';
const ADMIN_REPORTS = '/api/v1/admin/abuse-reports';

describe('abuse reports', () => {
  let t: TestApp;
  let socket: (options: RequestOptions) => Promise<TestResponse>;
  let author: RegisteredUser;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  let moderator: string;
  let moderatorId: string;
  let article: { slug: string };
  let commentId: number;

  const report = (token: string, body: unknown) => t.request({ method: 'POST', url: REPORTS, token, body });

  beforeAll(async () => {
    t = await createTestApp();
    socket = await listenOnSocket(t);
    author = await registerUser(t);
    alice = await registerUser(t);
    bob = await registerUser(t);
    const mod = await registerUser(t);
    moderator = moderatorToken(t, mod);
    moderatorId = userIdOf(mod);
    article = await createArticle(t, author.token);
    const comment = await t.request({
      method: 'POST',
      url: `/api/articles/${article.slug}/comments`,
      token: author.token,
      body: { comment: { body: 'buy cheap pills' } },
    });
    commentId = comment.body.comment.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('files a report on an article, a comment and a user (201), stored by id', async () => {
    const onArticle = await report(alice.token, {
      targetType: 'article',
      targetId: article.slug,
      reason: 'spam',
      details: '  links everywhere  ',
    });
    expect(onArticle.status).toBe(201);
    const [row] = await t.dataSource.query('SELECT * FROM abuse_reports WHERE id = $1', [onArticle.body.report.id]);
    const [articleRow] = await t.dataSource.query('SELECT id FROM articles WHERE slug = $1', [article.slug]);
    expect(onArticle.body.report).toEqual({
      id: row.id,
      target: { type: 'article', id: articleRow.id, ref: article.slug },
      reason: 'spam',
      details: 'links everywhere',
      status: 'open',
      createdAt: expect.any(String),
      closedAt: null,
    });
    expect(row).toMatchObject({
      reporter_id: userIdOf(alice),
      target_id: articleRow.id,
      status: 'open',
      closed_by: null,
    });

    const onComment = await report(alice.token, { targetType: 'comment', targetId: String(commentId), reason: 'spam' });
    expect(onComment.status).toBe(201);
    expect(onComment.body.report).toMatchObject({
      target: { type: 'comment', id: String(commentId), ref: String(commentId) },
      details: null,
    });
    const onUser = await report(alice.token, { targetType: 'user', targetId: author.username, reason: 'harassment' });
    expect(onUser.status).toBe(201);
    expect(onUser.body.report.target).toEqual({ type: 'user', id: userIdOf(author), ref: author.username });
  });

  it('validates the body (422, problem+json, field errors)', async () => {
    for (const body of [
      {},
      { targetType: 'tag', targetId: 'x', reason: 'spam' },
      { targetType: 'article', targetId: article.slug, reason: 'boring' },
      { targetType: 'article', targetId: '', reason: 'spam' },
      { targetType: 'article', targetId: article.slug, reason: 'spam', details: 'x'.repeat(2001) },
      { targetType: 'article', targetId: article.slug, reason: 'spam', details: null },
      { targetType: 'article', targetId: article.slug, reason: 'spam', reporterId: userIdOf(bob) },
    ]) {
      const response = await report(bob.token, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 422, code: 'VALIDATION_FAILED', errors: expect.any(Array) });
    }
    expect((await t.request({ method: 'POST', url: REPORTS, body: { targetType: 'user' } })).status).toBe(401);
  });

  it('answers 404 for a target that does not exist or that the reporter cannot see', async () => {
    for (const body of [
      { targetType: 'article', targetId: 'no-such-article-slug', reason: 'spam' },
      { targetType: 'comment', targetId: '2147483000', reason: 'spam' },
      { targetType: 'comment', targetId: 'not-a-number', reason: 'spam' },
      { targetType: 'user', targetId: 'nobody_by_that_name', reason: 'spam' },
    ]) {
      const response = await report(bob.token, body);
      expect(response.status, JSON.stringify(body)).toBe(404);
      expect(response.body.code).toBe('ABUSE_TARGET_NOT_FOUND');
    }
  });

  it('refuses reports on your own content or yourself (422)', async () => {
    for (const body of [
      { targetType: 'article', targetId: article.slug, reason: 'spam' },
      { targetType: 'comment', targetId: String(commentId), reason: 'spam' },
      { targetType: 'user', targetId: author.username, reason: 'other' },
    ]) {
      const response = await report(author.token, body);
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ code: 'CANNOT_REPORT_OWN_CONTENT', errors: [{ field: 'targetId' }] });
    }
  });

  it('keeps one open report per reporter and target (409), even under concurrency', async () => {
    const target = await createArticle(t, author.token);
    const body = { targetType: 'article', targetId: target.slug, reason: 'illegal' };
    const answers = await Promise.all([report(bob.token, body), report(bob.token, body), report(bob.token, body)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    expect(answers.find((a) => a.status === 409)?.body.code).toBe('ABUSE_REPORT_EXISTS');
    // Another reporter is not a duplicate.
    expect((await report(alice.token, body)).status).toBe(201);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM abuse_reports WHERE reporter_id = $1 AND target_id = (SELECT id::text FROM articles WHERE slug = $2)`,
      [userIdOf(bob), target.slug],
    );
    expect(n).toBe(1);
  });

  it('shows reporters their own reports only (no BOLA), by keyset pages', async () => {
    const mine = await t.request({ method: 'GET', url: `${REPORTS}?limit=2`, token: alice.token });
    expect(mine.status).toBe(200);
    expect(mine.body.reports).toHaveLength(2);
    expect(mine.body.nextCursor).toEqual(expect.any(String));
    const rest = await t.request({
      method: 'GET',
      url: `${REPORTS}?limit=2&cursor=${mine.body.nextCursor}`,
      token: alice.token,
    });
    const all = [...mine.body.reports, ...rest.body.reports];
    expect(all).toHaveLength(4);
    for (const item of all) expect(item).not.toHaveProperty('reporterId');
    const aliceIds = new Set(all.map((r: { id: string }) => r.id));

    const bobs = await t.request({ method: 'GET', url: REPORTS, token: bob.token });
    expect(bobs.body.reports).toHaveLength(1);
    expect(aliceIds.has(bobs.body.reports[0].id)).toBe(false);
    // Bob cannot read Alice's list through another user's cursor either: the cursor is a position, not a filter.
    const sneaky = await t.request({
      method: 'GET',
      url: `${REPORTS}?cursor=${mine.body.nextCursor}`,
      token: bob.token,
    });
    expect(sneaky.body.reports.every((r: { id: string }) => !aliceIds.has(r.id))).toBe(true);
    // Nor through the moderators' routes.
    const admin = await t.request({ method: 'GET', url: ADMIN_REPORTS, token: bob.token });
    expect(admin.status).toBe(403);
    expect((await t.request({ method: 'GET', url: `${REPORTS}?cursor=bm9wZQ`, token: bob.token })).body.code).toBe(
      'INVALID_CURSOR',
    );
  });

  it('lets moderators list by status and resolve or dismiss, audited with the request id, over a socket', async () => {
    const open = await socket({ method: 'GET', url: `${ADMIN_REPORTS}?status=open&limit=100`, token: moderator });
    expect(open.status).toBe(200);
    const aliceId = userIdOf(alice);
    const alices = open.body.reports.filter((r: { reporterId: string }) => r.reporterId === aliceId);
    expect(alices).toHaveLength(4);
    expect(alices[0]).toMatchObject({ status: 'open', closedById: null, resolution: null });
    const [first, second] = alices as Array<{ id: string; target: { type: string; ref: string } }>;

    const resolved = await socket({
      method: 'POST',
      url: `${ADMIN_REPORTS}/${first!.id}/resolve`,
      token: moderator,
      body: { reason: 'content hidden' },
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.report).toMatchObject({
      id: first!.id,
      status: 'resolved',
      closedById: moderatorId,
      resolution: 'content hidden',
      closedAt: expect.any(String),
    });
    const requestId = resolved.headers['x-request-id'];
    expect(requestId).toEqual(expect.any(String));
    const audit = await t.dataSource.query('SELECT * FROM audit_log WHERE request_id = $1', [requestId]);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_id: moderatorId,
      action: 'abuse-report.resolved',
      target_type: 'abuse-report',
      target_id: first!.id,
      reason: 'content hidden',
      details: { reporterId: aliceId },
    });

    const dismissed = await socket({
      method: 'POST',
      url: `${ADMIN_REPORTS}/${second!.id}/dismiss`,
      token: moderator,
      body: { reason: 'not abuse' },
    });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body.report.status).toBe('dismissed');
    const [dismissAudit] = await t.dataSource.query('SELECT action FROM audit_log WHERE request_id = $1', [
      dismissed.headers['x-request-id'],
    ]);
    expect(dismissAudit.action).toBe('abuse-report.dismissed');

    const twice = await socket({
      method: 'POST',
      url: `${ADMIN_REPORTS}/${first!.id}/dismiss`,
      token: moderator,
      body: { reason: 'again' },
    });
    expect(twice.status).toBe(409);
    expect(twice.headers['content-type']).toContain('application/problem+json');
    expect(twice.body.code).toBe('ABUSE_REPORT_CLOSED');
    expect(
      await t.dataSource.query('SELECT 1 FROM audit_log WHERE request_id = $1', [twice.headers['x-request-id']]),
    ).toHaveLength(0);

    const noReason = await socket({
      method: 'POST',
      url: `${ADMIN_REPORTS}/${second!.id}/resolve`,
      token: moderator,
      body: {},
    });
    expect(noReason.status).toBe(422);
    const unknown = await socket({
      method: 'POST',
      url: `${ADMIN_REPORTS}/0b7e6a4c-2f1d-4c3b-9a8e-1d2c3b4a5f60/resolve`,
      token: moderator,
      body: { reason: 'x' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ABUSE_REPORT_NOT_FOUND');
    const malformed = await socket({
      method: 'POST',
      url: `${ADMIN_REPORTS}/42/resolve`,
      token: moderator,
      body: { reason: 'x' },
    });
    expect(malformed.status).toBe(422);

    const closed = await socket({ method: 'GET', url: `${ADMIN_REPORTS}?status=resolved&limit=100`, token: moderator });
    expect(closed.body.reports.map((r: { id: string }) => r.id)).toContain(first!.id);
    expect(closed.body.reports.every((r: { status: string }) => r.status === 'resolved')).toBe(true);
    // The reporter sees the outcome, not the moderator's note nor who closed it.
    const mine = await socket({ method: 'GET', url: REPORTS, token: alice.token });
    const seen = mine.body.reports.find((r: { id: string }) => r.id === first!.id);
    expect(seen).toMatchObject({ status: 'resolved', closedAt: expect.any(String) });
    expect(seen).not.toHaveProperty('resolution');
    expect(seen).not.toHaveProperty('closedById');
    // Once closed, the reporter may report the same target again.
    const again = await report(alice.token, {
      targetType: first!.target.type,
      targetId: first!.target.ref,
      reason: 'spam',
    });
    expect(again.status).toBe(201);
  });

  it('keeps the moderator routes for moderators and admins', async () => {
    expect((await t.request({ method: 'GET', url: ADMIN_REPORTS, token: alice.token })).status).toBe(403);
    const admin = adminToken(t, await registerUser(t));
    expect((await t.request({ method: 'GET', url: `${ADMIN_REPORTS}?status=open`, token: admin })).status).toBe(200);
    expect((await t.request({ method: 'GET', url: `${ADMIN_REPORTS}?status=closed`, token: admin })).status).toBe(422);
  });
});
