import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, registerUser, sessionIdOf, userIdOf } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

const realWorldError = { errors: { body: expect.any(Array) }, code: expect.any(String), requestId: expect.any(String) };

describe('identity: RealWorld users API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /api/users (register)', () => {
    it('creates the user, stores an argon2id hash and answers with a working token', async () => {
      const user = buildUser({ email: '  Mixed.Case@Example.COM ' });
      const response = await t.request({ method: 'POST', url: '/api/users', body: { user } });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        user: {
          email: 'mixed.case@example.com',
          token: expect.any(String),
          username: user.username,
          bio: null,
          image: null,
        },
      });
      const [row] = await t.dataSource.query('SELECT email, password_hash, role FROM users WHERE username = $1', [
        user.username,
      ]);
      expect(row.email).toBe('mixed.case@example.com');
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.password_hash).not.toContain(user.password);
      expect(row.role).toBe('user');

      const me = await t.request({ method: 'GET', url: '/api/user', token: response.body.user.token });
      expect(me.status).toBe(200);
      expect(me.body.user.username).toBe(user.username);
    });

    it('rejects a duplicate email regardless of case with 409 and a clear message', async () => {
      const existing = await registerUser(t);
      const response = await t.request({
        method: 'POST',
        url: '/api/users',
        body: { user: buildUser({ email: existing.email.toUpperCase() }) },
      });
      expect(response.status).toBe(409);
      expect(response.body).toEqual({ ...realWorldError, code: 'EMAIL_TAKEN' });
      expect(response.body.errors.body).toEqual(['email has already been taken']);
    });

    it('rejects a duplicate username regardless of case', async () => {
      const existing = await registerUser(t);
      const response = await t.request({
        method: 'POST',
        url: '/api/users',
        body: { user: buildUser({ username: existing.username.toUpperCase() }) },
      });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('USERNAME_TAKEN');
      expect(response.body.errors.body).toEqual(['username has already been taken']);
    });

    it('keeps exactly one row when the same registration races itself', async () => {
      const user = buildUser();
      const responses = await Promise.all(
        Array.from({ length: 4 }, () => t.request({ method: 'POST', url: '/api/users', body: { user } })),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409]);
      for (const r of responses.filter((r) => r.status === 409))
        expect(r.text).not.toMatch(/constraint|duplicate key|UQ_/i);
      const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM users WHERE username = $1', [
        user.username,
      ]);
      expect(count).toBe(1);
    });

    it('answers 422 with field messages for invalid input and stores nothing', async () => {
      const response = await t.request({
        method: 'POST',
        url: '/api/users',
        body: { user: { username: 'has space', email: 'not-an-email', password: 'short' } },
      });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.errors.body).toEqual(
        expect.arrayContaining([
          'email must be an email',
          'password must be at least 8 characters',
          expect.stringContaining('username may contain only'),
        ]),
      );
      const [{ count }] = await t.dataSource.query(
        "SELECT count(*)::int AS count FROM users WHERE email = 'not-an-email'",
      );
      expect(count).toBe(0);
    });

    it('rejects unknown fields instead of silently dropping them', async () => {
      const response = await t.request({
        method: 'POST',
        url: '/api/users',
        body: { user: { ...buildUser(), role: 'admin' } },
      });
      expect(response.status).toBe(422);
      expect(response.body.errors.body).toContain('property role should not exist');
    });

    it('rejects a body without the user envelope', async () => {
      const response = await t.request({ method: 'POST', url: '/api/users', body: buildUser() });
      expect(response.status).toBe(422);
      expect(response.body.errors.body).toContain('user is required');
    });
  });

  describe('POST /api/users/login', () => {
    it('logs in with the right password, whatever the email case', async () => {
      const user = await registerUser(t);
      const response = await t.request({
        method: 'POST',
        url: '/api/users/login',
        body: { user: { email: user.email.toUpperCase(), password: user.password } },
      });
      expect(response.status).toBe(200);
      expect(response.body.user).toEqual({
        email: user.email,
        token: expect.any(String),
        username: user.username,
        bio: null,
        image: null,
      });
    });

    it('answers a wrong password and an unknown email identically', async () => {
      const user = await registerUser(t);
      const wrongPassword = await t.request({
        method: 'POST',
        url: '/api/users/login',
        body: { user: { email: user.email, password: 'wrong-password' } },
      });
      const unknownEmail = await t.request({
        method: 'POST',
        url: '/api/users/login',
        body: { user: { email: 'nobody@example.com', password: 'wrong-password' } },
      });
      for (const response of [wrongPassword, unknownEmail]) {
        expect(response.status).toBe(401);
        expect(response.body.code).toBe('INVALID_CREDENTIALS');
        expect(response.body.errors.body).toEqual(['email or password is invalid']);
      }
    });
  });

  describe('GET and PUT /api/user', () => {
    it('updates bio, image and username, returns a fresh token, and sends a new email for confirmation first', async () => {
      const user = await registerUser(t);
      const changes = {
        bio: 'I write things',
        image: 'https://example.com/me.png',
        username: `${user.username}_new`,
      };
      const newEmail = `new_${user.email}`;
      const response = await t.request({
        method: 'PUT',
        url: '/api/user',
        token: user.token,
        body: { user: { ...changes, email: newEmail } },
      });
      expect(response.status).toBe(200);
      // The address changes only once the link mailed to it is opened (sessions.e2e-spec.ts follows it).
      expect(response.body.user).toEqual({ ...changes, email: user.email, token: expect.any(String) });

      const me = await t.request({ method: 'GET', url: '/api/user', token: response.body.user.token });
      expect(me.body.user).toMatchObject({ ...changes, email: user.email });
      const [row] = await t.dataSource.query('SELECT bio, image FROM users WHERE username = $1', [changes.username]);
      expect(row).toEqual({ bio: changes.bio, image: changes.image });
      const [message] = await t.dataSource.query(
        `SELECT payload FROM outbox_messages WHERE topic = 'identity.email-change-requested' AND payload->>'userId' = $1`,
        [userIdOf(user)],
      );
      expect(message.payload).toEqual({ userId: userIdOf(user), newEmail, sessionId: sessionIdOf(user) });
    });

    it('clears bio and image with null', async () => {
      const user = await registerUser(t);
      await t.request({
        method: 'PUT',
        url: '/api/user',
        token: user.token,
        body: { user: { bio: 'x', image: 'https://a.b/c.png' } },
      });
      const response = await t.request({
        method: 'PUT',
        url: '/api/user',
        token: user.token,
        body: { user: { bio: null, image: null } },
      });
      expect(response.status).toBe(200);
      expect(response.body.user).toMatchObject({ bio: null, image: null });
    });

    it('changes the password: the new one logs in, the old one does not, the other sessions end, this one goes on', async () => {
      const user = await registerUser(t);
      const elsewhere = await t.request({
        method: 'POST',
        url: '/api/users/login',
        body: { user: { email: user.email, password: user.password } },
      });
      const response = await t.request({
        method: 'PUT',
        url: '/api/user',
        token: user.token,
        body: { user: { password: 'a-brand-new-password' } },
      });
      expect(response.status).toBe(200);
      const login = (password: string) =>
        t.request({ method: 'POST', url: '/api/users/login', body: { user: { email: user.email, password } } });
      expect((await login('a-brand-new-password')).status).toBe(200);
      expect((await login(user.password)).status).toBe(401);
      expect((await t.request({ method: 'GET', url: '/api/user', token: user.token })).status).toBe(200);
      const other = await t.request({ method: 'GET', url: '/api/user', token: elsewhere.body.user.token });
      expect(other.status).toBe(401);
      expect(other.body.errors).toBeDefined();
    });

    it('refuses another user’s username, and never tells whether an email is taken', async () => {
      const [a, b] = [await registerUser(t), await registerUser(t)];
      const email = await t.request({
        method: 'PUT',
        url: '/api/user',
        token: a.token,
        body: { user: { email: b.email } },
      });
      // Same answer as for a free address (no enumeration); the address stays, and no link is sent for it.
      expect(email.status).toBe(200);
      expect(email.body.user.email).toBe(a.email);
      const username = await t.request({
        method: 'PUT',
        url: '/api/user',
        token: a.token,
        body: { user: { username: b.username } },
      });
      expect(username.status).toBe(409);
      expect(username.body.code).toBe('USERNAME_TAKEN');
    });

    it('accepts a PUT that repeats the caller’s own email and username', async () => {
      const user = await registerUser(t);
      const response = await t.request({
        method: 'PUT',
        url: '/api/user',
        token: user.token,
        body: { user: { email: user.email, username: user.username } },
      });
      expect(response.status).toBe(200);
    });

    it('validates the update body', async () => {
      const user = await registerUser(t);
      const response = await t.request({
        method: 'PUT',
        url: '/api/user',
        token: user.token,
        body: { user: { image: 'not a url' } },
      });
      expect(response.status).toBe(422);
      expect(response.body.errors.body).toContain('image must be an http(s) URL');
    });
  });
});
