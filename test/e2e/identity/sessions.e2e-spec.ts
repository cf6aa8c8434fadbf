import { Redis } from 'ioredis';
import { TokenService } from '../../../src/core/auth/token.service.js';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { promote, registerUser, sessionIdOf, userIdOf, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, listenOnSocket, type TestApp, type TestResponse } from '../../setup/test-app.js';
import { applyEnvironment, useOwnJobsEnvironment } from '../../support/jobs.js';
import { startSmtpServer, to, type TestSmtpServer } from '../../support/smtp.js';
import { startRelay } from '../../support/tcp-relay.js';

const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());

async function v1Login(t: TestApp, user: RegisteredUser, headers: Record<string, string> = {}): Promise<TestResponse> {
  return t.request({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers,
    body: { email: user.email, password: user.password },
  });
}

/** A bodyless request with a v1 access token (`Authorization: Bearer`). */
function asBearer(t: TestApp, accessToken: string, method: 'GET' | 'POST', url: string): Promise<TestResponse> {
  return t.request({ method, url, headers: bearer(accessToken) });
}

/** Sessions, refresh tokens, logout, suspension and role changes, on each revocation-list backend. */
describe.each([
  { backend: 'redis' as const, label: 'sessions_redis' },
  { backend: 'postgres' as const, label: 'sessions_embedded' },
])('sessions and refresh tokens (revocation list on $backend)', ({ backend, label }) => {
  let t: TestApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ drop } = await useOwnJobsEnvironment(label, { backend }));
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('logs in with a short-lived access token and a refresh token, rotated on every use', async () => {
    const user = await registerUser(t);
    const login = await v1Login(t, user, { 'user-agent': 'FolioTest/1.0' });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    const claims = JSON.parse(Buffer.from(login.body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(900);
    const me = await t.request({ method: 'GET', url: '/api/user', headers: bearer(login.body.accessToken) });
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe(user.username);

    const refreshed = await t.request({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      body: { refreshToken: login.body.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    const next = await t.request({ method: 'GET', url: '/api/user', headers: bearer(refreshed.body.accessToken) });
    expect(next.status).toBe(200);
    // Only hashes are stored.
    const rows = await t.dataSource.query('SELECT token_hash, used_at FROM refresh_tokens ORDER BY created_at');
    expect(JSON.stringify(rows)).not.toContain(login.body.refreshToken);
  });

  it('ends the whole session when a rotated refresh token comes back (theft), at once', async () => {
    const user = await registerUser(t);
    const login = await v1Login(t, user);
    const first = login.body.refreshToken as string;
    const rotated = await t.request({ method: 'POST', url: '/api/v1/auth/refresh', body: { refreshToken: first } });
    expect(rotated.status).toBe(200);

    const reused = await t.request({ method: 'POST', url: '/api/v1/auth/refresh', body: { refreshToken: first } });
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({ code: 'REFRESH_TOKEN_REUSED', status: 401 });
    // The thief's copy and the legitimate client's newer pair are both dead.
    const legit = await t.request({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      body: { refreshToken: rotated.body.refreshToken },
    });
    expect(legit.status).toBe(401);
    expect(legit.body.code).toBe('REFRESH_TOKEN_INVALID');
    const access = await t.request({ method: 'GET', url: '/api/user', headers: bearer(rotated.body.accessToken) });
    expect(access.status).toBe(401);
    expect(access.body.errors).toBeDefined();
    const [session] = await t.dataSource.query('SELECT end_reason FROM sessions WHERE user_id = $1 AND kind = $2', [
      userIdOf(user),
      'refresh',
    ]);
    expect(session.end_reason).toBe('refresh-reuse');
  });

  it('lets exactly one of two concurrent refreshes with one token win', async () => {
    const user = await registerUser(t);
    const login = await v1Login(t, user);
    const answers = await Promise.all(
      [1, 2].map(() =>
        t.request({ method: 'POST', url: '/api/v1/auth/refresh', body: { refreshToken: login.body.refreshToken } }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
  });

  it('refuses unknown and blank refresh tokens with the one error shape', async () => {
    const unknown = await t.request({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      body: { refreshToken: 'x'.repeat(43) },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    const blank = await t.request({ method: 'POST', url: '/api/v1/auth/refresh', body: {} });
    expect(blank.status).toBe(422);
  });

  it('logs out: the access token stops at once and the refresh token no longer works', async () => {
    const user = await registerUser(t);
    const login = await v1Login(t, user);
    const out = await asBearer(t, login.body.accessToken, 'POST', '/api/v1/auth/logout');
    expect(out.status).toBe(204);
    const after = await asBearer(t, login.body.accessToken, 'GET', '/api/v1/auth/sessions');
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('TOKEN_REVOKED');
    const refresh = await t.request({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      body: { refreshToken: login.body.refreshToken },
    });
    expect(refresh.status).toBe(401);
    // Other sessions (the registration's RealWorld token) go on.
    expect((await t.request({ method: 'GET', url: '/api/user', token: user.token })).status).toBe(200);
  });

  it('lists the caller’s sessions with device and times, revokes one, and logs out everywhere', async () => {
    const user = await registerUser(t);
    const phone = await v1Login(t, user, { 'user-agent': 'FolioPhone/2.1' });
    const laptop = await v1Login(t, user, { 'user-agent': 'FolioLaptop/3.0' });
    const list = await asBearer(t, laptop.body.accessToken, 'GET', '/api/v1/auth/sessions');
    expect(list.status).toBe(200);
    expect(list.body.sessions).toHaveLength(3);
    const current = list.body.sessions.find((session: { current: boolean }) => session.current);
    expect(current).toMatchObject({ kind: 'refresh', device: 'FolioLaptop/3.0', ip: expect.any(String) });
    expect(Date.parse(current.createdAt)).not.toBeNaN();
    expect(Date.parse(current.lastUsedAt)).not.toBeNaN();
    const phoneSession = list.body.sessions.find((session: { device: string }) => session.device === 'FolioPhone/2.1');

    const revoked = await t.request({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${phoneSession.id}`,
      headers: bearer(laptop.body.accessToken),
    });
    expect(revoked.status).toBe(204);
    expect((await t.request({ method: 'GET', url: '/api/user', headers: bearer(phone.body.accessToken) })).status).toBe(
      401,
    );
    expect(
      (await t.request({ method: 'GET', url: '/api/user', headers: bearer(laptop.body.accessToken) })).status,
    ).toBe(200);

    const everywhere = await t.request({
      method: 'POST',
      url: '/api/v1/auth/logout-all',
      headers: bearer(laptop.body.accessToken),
    });
    expect(everywhere.status).toBe(204);
    expect(
      (await t.request({ method: 'GET', url: '/api/user', headers: bearer(laptop.body.accessToken) })).status,
    ).toBe(401);
    expect((await t.request({ method: 'GET', url: '/api/user', token: user.token })).status).toBe(401);
    const [{ live }] = await t.dataSource.query(
      'SELECT count(*)::int AS live FROM sessions WHERE user_id = $1 AND ended_at IS NULL',
      [userIdOf(user)],
    );
    expect(live).toBe(0);
  });

  it('never ends (or reveals) another user’s session: 404', async () => {
    const [a, b] = [await registerUser(t), await registerUser(t)];
    const response = await t.request({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${sessionIdOf(b)}`,
      token: a.token,
    });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('SESSION_NOT_FOUND');
    expect((await t.request({ method: 'GET', url: '/api/user', token: b.token })).status).toBe(200);
    const malformed = await t.request({ method: 'DELETE', url: '/api/v1/auth/sessions/not-a-uuid', token: a.token });
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
  });

  it('answers an unknown email and a wrong password identically, on both logins', async () => {
    const user = await registerUser(t);
    const wrong = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      body: { email: user.email, password: 'not-the-password' },
    });
    const unknown = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      body: { email: `nobody_${user.email}`, password: 'not-the-password' },
    });
    expect(wrong.status).toBe(401);
    expect({ ...wrong.body, instance: undefined, requestId: undefined }).toEqual({
      ...unknown.body,
      instance: undefined,
      requestId: undefined,
    });
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('suspends an account: its tokens stop on the next request, it cannot log in, the action is audited', async () => {
    const [admin, user] = [await registerUser(t), await registerUser(t)];
    const adminToken = await promote(t, admin, 'admin');
    const login = await v1Login(t, user);
    const suspended = await t.request({
      method: 'POST',
      url: `/api/v1/admin/users/${user.username}/suspend`,
      token: adminToken,
      body: { reason: 'spam campaign' },
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body.user).toMatchObject({ username: user.username, suspensionReason: 'spam campaign' });

    for (const headers of [bearer(login.body.accessToken), { authorization: `Token ${user.token}` }]) {
      const read = await t.request({ method: 'GET', url: '/api/v1/notifications', headers });
      expect(read.status).toBe(403);
      expect(read.body.code).toBe('ACCOUNT_SUSPENDED');
    }
    const relogin = await v1Login(t, user);
    expect(relogin.status).toBe(403);
    expect(relogin.body.code).toBe('ACCOUNT_SUSPENDED');
    const refresh = await t.request({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      body: { refreshToken: login.body.refreshToken },
    });
    expect(refresh.status).toBe(401);

    const [entry] = await t.dataSource.query(
      `SELECT actor_id, action, target_type, target_id, reason, request_id FROM audit_log WHERE target_id = $1`,
      [userIdOf(user)],
    );
    expect(entry).toEqual({
      actor_id: userIdOf(admin),
      action: 'user.suspended',
      target_type: 'user',
      target_id: userIdOf(user),
      reason: 'spam campaign',
      request_id: suspended.headers['x-request-id'],
    });

    const lifted = await t.request({
      method: 'POST',
      url: `/api/v1/admin/users/${user.username}/unsuspend`,
      token: adminToken,
      body: { reason: 'appeal accepted' },
    });
    expect(lifted.status).toBe(200);
    expect(lifted.body.user.suspendedAt).toBeNull();
    // Old sessions stay ended; a new login works.
    expect((await t.request({ method: 'GET', url: '/api/user', headers: bearer(login.body.accessToken) })).status).toBe(
      401,
    );
    expect((await v1Login(t, user)).status).toBe(200);
  });

  it('changes a role: old tokens end, the next login carries the new role; admins cannot re-role themselves', async () => {
    const [admin, user] = [await registerUser(t), await registerUser(t)];
    const adminToken = await promote(t, admin, 'admin');
    const changed = await t.request({
      method: 'PUT',
      url: `/api/v1/admin/users/${user.username}/role`,
      token: adminToken,
      body: { role: 'moderator', reason: 'trusted community member' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.user.role).toBe('moderator');
    expect((await t.request({ method: 'GET', url: '/api/user', token: user.token })).status).toBe(401);
    const login = await v1Login(t, user);
    const claims = JSON.parse(Buffer.from(login.body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.role).toBe('moderator');
    const [entry] = await t.dataSource.query(
      `SELECT details FROM audit_log WHERE action = 'user.role-changed' AND target_id = $1`,
      [userIdOf(user)],
    );
    expect(entry.details).toEqual({ from: 'user', to: 'moderator' });

    const self = await t.request({
      method: 'PUT',
      url: `/api/v1/admin/users/${admin.username}/role`,
      token: adminToken,
      body: { role: 'user', reason: 'oops' },
    });
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('SELF_ADMINISTRATION');
    const byUser = await t.request({
      method: 'POST',
      url: `/api/v1/admin/users/${admin.username}/suspend`,
      token: user.token,
      body: { reason: 'revenge' },
    });
    expect([401, 403]).toContain(byUser.status);
  });

  it('never extends a v1 session through GET /api/user, and gives nothing for an ended one', async () => {
    const user = await registerUser(t);
    const login = await v1Login(t, user);
    const me = await t.request({ method: 'GET', url: '/api/user', headers: bearer(login.body.accessToken) });
    expect(me.status).toBe(200);
    // A fresh copy, expiring when the presented one does: only a refresh (rotation, reuse check) extends it.
    expect(claimsOf(me.body.user.token).exp).toBe(claimsOf(login.body.accessToken).exp);
    expect(claimsOf(me.body.user.token).sid).toBe(claimsOf(login.body.accessToken).sid);
    // A session whose expiry passed (or was deleted) gives no new token, even while the old one verifies.
    await t.dataSource.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      claimsOf(login.body.accessToken).sid,
    ]);
    const expired = await t.request({ method: 'GET', url: '/api/user', headers: bearer(login.body.accessToken) });
    expect(expired.status).toBe(401);
    expect(expired.body.errors).toBeDefined();
  });

  it('moves a token from before sessions (no sid) into a session of its own on GET /api/user', async () => {
    const user = await registerUser(t);
    const legacy = t.app.get(TokenService).sign({ id: userIdOf(user), username: user.username, role: 'user' });
    const me = await t.request({ method: 'GET', url: '/api/user', token: legacy });
    expect(me.status).toBe(200);
    const sid = claimsOf(me.body.user.token).sid as string;
    expect(sid).toEqual(expect.any(String));
    const [session] = await t.dataSource.query('SELECT user_id, kind FROM sessions WHERE id = $1', [sid]);
    expect(session).toEqual({ user_id: userIdOf(user), kind: 'realworld' });
  });

  it('refreshes over a real socket with the headers real clients send', async () => {
    const send = await listenOnSocket(t);
    const user = await registerUser(t);
    const login = await send({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)', connection: 'keep-alive' },
      body: { email: user.email, password: user.password },
    });
    expect(login.status).toBe(200);
    const refreshed = await send({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: { refreshToken: login.body.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    const out = await send({
      method: 'POST',
      url: '/api/v1/auth/logout',
      // A JSON content type on a bodyless POST, as some clients send.
      headers: { ...bearer(refreshed.body.accessToken), 'content-type': 'application/json' },
    });
    expect(out.status).toBe(204);
    const after = await send({ method: 'GET', url: '/api/user', headers: bearer(refreshed.body.accessToken) });
    expect(after.status).toBe(401);
  });
});

describe('password reset and email change by mail (real SMTP server)', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let drop: () => Promise<void>;

  const mailTo = async (email: string, subject: string) => {
    await vi.waitFor(
      () => expect(smtp.messages.some((m) => to(m).includes(email) && m.subject === subject)).toBe(true),
      { timeout: 15_000 },
    );
    return smtp.messages.find((m) => to(m).includes(email) && m.subject === subject)!;
  };
  const tokenIn = (text: string | undefined) => /\?token=([\w-]+)/.exec(text ?? '')![1]!;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    ({ drop } = await useOwnJobsEnvironment('sessions_mail', { backend: 'redis' }));
    applyEnvironment({ SMTP_URL: smtp.url, PUBLIC_URL: 'http://folio.test' });
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
    await drop?.();
  });

  it('answers the same for a known and an unknown address, and mails only the account', async () => {
    const user = await registerUser(t);
    const known = await t.request({ method: 'POST', url: '/api/v1/auth/password-reset', body: { email: user.email } });
    const unknownEmail = `nobody_${user.email}`;
    const unknown = await t.request({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      body: { email: unknownEmail },
    });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.text).toBe(unknown.text);
    const mail = await mailTo(user.email, 'Reset your Folio password');
    expect(mail.text).toContain('http://folio.test/reset-password?token=');
    expect(mail.headers.get('list-unsubscribe')).toBeUndefined();
    // Both requests were handled by the worker by now (FIFO); the unknown address got nothing.
    await vi.waitFor(async () => {
      const [{ pending }] = await t.dataSource.query(
        `SELECT count(*)::int AS pending FROM outbox_messages WHERE topic = 'identity.password-reset-requested' AND sent_at IS NULL`,
      );
      expect(pending).toBe(0);
    });
    expect(smtp.messages.some((m) => to(m).includes(unknownEmail))).toBe(false);
  });

  it('resets the password once with the mailed token, ending every session', async () => {
    const user = await registerUser(t);
    await t.request({ method: 'POST', url: '/api/v1/auth/password-reset', body: { email: user.email } });
    const token = tokenIn((await mailTo(user.email, 'Reset your Folio password')).text);
    const confirm = (password: string) =>
      t.request({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', body: { token, password } });
    expect((await confirm('a-new-secret-password')).status).toBe(204);
    const again = await confirm('another-password');
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('ACCOUNT_TOKEN_INVALID');
    expect((await t.request({ method: 'GET', url: '/api/user', token: user.token })).status).toBe(401);
    const login = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      body: { email: user.email, password: 'a-new-secret-password' },
    });
    expect(login.status).toBe(200);
  });

  it('refuses an expired reset token', async () => {
    const user = await registerUser(t);
    await t.request({ method: 'POST', url: '/api/v1/auth/password-reset', body: { email: user.email } });
    const token = tokenIn((await mailTo(user.email, 'Reset your Folio password')).text);
    await t.dataSource.query(`UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
      userIdOf(user),
    ]);
    const confirm = await t.request({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      body: { token, password: 'a-new-secret-password' },
    });
    expect(confirm.status).toBe(400);
    expect(confirm.body.code).toBe('ACCOUNT_TOKEN_INVALID');
  });

  it('changes the email only once the link sent to the new address is opened', async () => {
    const user = await registerUser(t);
    const newEmail = `moved_${user.email}`;
    const update = await t.request({
      method: 'PUT',
      url: '/api/user',
      token: user.token,
      body: { user: { email: newEmail } },
    });
    expect(update.status).toBe(200);
    expect(update.body.user.email).toBe(user.email);
    const mail = await mailTo(newEmail, 'Confirm your new email address for Folio');
    const token = tokenIn(mail.text);
    const confirm = await t.request({ method: 'POST', url: '/api/v1/auth/email-change/confirm', body: { token } });
    expect(confirm.status).toBe(204);
    const me = await t.request({ method: 'GET', url: '/api/user', token: user.token });
    expect(me.body.user.email).toBe(newEmail);
    const reuse = await t.request({ method: 'POST', url: '/api/v1/auth/email-change/confirm', body: { token } });
    expect(reuse.status).toBe(400);
  });

  it('lets an email change die with the session that asked for it (no takeover by a stolen session)', async () => {
    const user = await registerUser(t);
    const intruder = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      body: { email: user.email, password: user.password },
    });
    const evil = `evil_${user.email}`;
    await t.request({
      method: 'PUT',
      url: '/api/user',
      headers: bearer(intruder.body.accessToken),
      body: { user: { email: evil } },
    });
    const token = tokenIn((await mailTo(evil, 'Confirm your new email address for Folio')).text);
    // The owner notices and logs out everywhere: the intruder's link stops working with its session.
    await t.request({ method: 'POST', url: '/api/v1/auth/logout-all', token: user.token });
    const confirm = await t.request({ method: 'POST', url: '/api/v1/auth/email-change/confirm', body: { token } });
    expect(confirm.status).toBe(400);
    expect(confirm.body.code).toBe('ACCOUNT_TOKEN_INVALID');
    const [row] = await t.dataSource.query('SELECT email FROM users WHERE id = $1', [userIdOf(user)]);
    expect(row.email).toBe(user.email);
  });

  it('sends no confirmation link to an address another account has', async () => {
    const [a, b] = [await registerUser(t), await registerUser(t)];
    const update = await t.request({
      method: 'PUT',
      url: '/api/user',
      token: a.token,
      body: { user: { email: b.email } },
    });
    expect(update.status).toBe(200);
    await vi.waitFor(async () => {
      const [{ pending }] = await t.dataSource.query(
        `SELECT count(*)::int AS pending FROM outbox_messages WHERE topic = 'identity.email-change-requested' AND sent_at IS NULL`,
      );
      expect(pending).toBe(0);
    });
    await vi.waitFor(async () => {
      const [{ active }] = await t.dataSource.query(
        `SELECT count(*)::int AS active FROM account_tokens WHERE user_id = $1`,
        [userIdOf(a)],
      );
      expect(active).toBe(0);
    });
    expect(smtp.messages.some((m) => to(m).includes(b.email) && m.subject?.startsWith('Confirm'))).toBe(false);
  });
});

describe('login throttling per account', () => {
  let t: TestApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ drop } = await useOwnJobsEnvironment('sessions_throttle', { backend: 'redis' }));
    applyEnvironment({ RATE_LIMIT_ACCOUNT_LIMIT: '3', TRUST_PROXY: 'true' });
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
    await drop?.();
    applyEnvironment({}, ['RATE_LIMIT_ACCOUNT_LIMIT', 'TRUST_PROXY']);
  });

  it('limits attempts on one account from many addresses, and leaves other accounts alone', async () => {
    const [victim, bystander] = [await registerUser(t), await registerUser(t)];
    const attempt = (email: string, ip: string) =>
      t.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'x-forwarded-for': ip },
        body: { email, password: 'guess-guess-guess' },
      });
    const statuses = [];
    for (let i = 1; i <= 4; i += 1) statuses.push((await attempt(victim.email.toUpperCase(), `203.0.113.${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const blocked = await attempt(victim.email, '198.51.100.7');
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    expect((await attempt(bystander.email, '203.0.113.1')).status).toBe(401);
    // The RealWorld login shares the account's bucket.
    const realworld = await t.request({
      method: 'POST',
      url: '/api/users/login',
      headers: { 'x-forwarded-for': '192.0.2.9' },
      body: { user: { email: victim.email, password: victim.password } },
    });
    expect(realworld.status).toBe(429);
  });
});

describe('the revocation check while Redis is out', () => {
  it('asks the database instead of letting a revoked token through, and refills Redis when it is back', async () => {
    const { drop } = await useOwnJobsEnvironment('sessions_outage', { backend: 'redis', inProcessWorker: false });
    const relay = await startRelay(new URL(process.env.REDIS_URL!));
    applyEnvironment({ REDIS_URL: relay.url, CACHE_REDIS_TIMEOUT_MS: '100' });
    const t = await createTestApp();
    try {
      const user = await registerUser(t);
      const [kept, ended] = [await v1Login(t, user), await v1Login(t, user)];
      relay.mode('hang');
      // Logged out while Redis does not answer: the database has it, Redis does not.
      const out = await asBearer(t, ended.body.accessToken, 'POST', '/api/v1/auth/logout');
      expect(out.status).toBe(204);
      const refused = await asBearer(t, ended.body.accessToken, 'GET', '/api/v1/auth/sessions');
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('TOKEN_REVOKED');
      const served = await asBearer(t, kept.body.accessToken, 'GET', '/api/v1/auth/sessions');
      expect(served.status).toBe(200);

      relay.mode('refuse');
      relay.mode('pass');
      // On reconnect the list is reloaded from the database: Redis alone now refuses the token.
      const redis = new Redis(process.env.REDIS_URL!);
      try {
        await vi.waitFor(
          async () =>
            expect(await redis.exists(`${process.env.REDIS_KEY_PREFIX}auth:ended-session:${sessionOf(ended)}`)).toBe(1),
          { timeout: 10_000, interval: 100 },
        );
      } finally {
        redis.disconnect();
      }
      const after = await asBearer(t, ended.body.accessToken, 'GET', '/api/v1/auth/sessions');
      expect(after.status).toBe(401);
    } finally {
      await t.close();
      await relay.close();
      await drop();
      applyEnvironment({ REDIS_URL: inject('redisUrl') }, ['CACHE_REDIS_TIMEOUT_MS']);
    }
  });
});

function sessionOf(login: TestResponse): string {
  return sessionIdOf({ token: login.body.accessToken as string });
}
