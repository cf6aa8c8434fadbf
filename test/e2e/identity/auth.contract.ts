// The v1 auth operations (login, refresh, logout, sessions, password reset, email change) and the admin user
// operations (role, suspension) in the contract suites (docs/testing-contract.md). Identity's RealWorld routes
// (`/api/users`, `/api/user`) stay in SCENARIOS (test/support/contract/replay-scenarios.ts).
//
// One exception to "state through the API": password-reset and email-change tokens only ever reach users by
// mail, and the contract app runs no worker to send it. The fixtures mint one the way the worker does (a random
// secret, stored as its SHA-256 hex in `account_tokens`), into the live app's database (DATABASE_URL, set by
// startLiveApp / scripts/fuzz.ts), always for an account registered for the purpose: confirming a reset ends
// every session of the account, so it must never be a shared one.
//
// Scenarios that end sessions (logout, a reset, a suspension, a role change) do it to accounts of their own,
// never to the replay world's author, reader or admin.
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { expect } from 'vitest';
import { sessionIdOf, userIdOf } from '../../factories/users.js';
import { call, newUser, registerAccount, SetupError, type Account } from '../../support/contract/fixtures.js';
import type { HttpClient } from '../../support/contract/http.js';
import type { ModuleContract } from '../../support/contract/modules.js';

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
}

/** A v1 login: a new session of `account`'s (its access token names it in `sid`). */
async function v1Login(client: HttpClient, account: Account): Promise<TokenPair> {
  const body = { email: account.email, password: account.password };
  return (await call(client, 'POST', '/api/v1/auth/login', { body, expect: 200 })).json as TokenPair;
}

/** The claims of a token the API issued (read, not verified). */
function claimsOf(token: string): { sub: string; sid?: string; role: string } {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    sub: string;
    sid?: string;
    role: string;
  };
}

/**
 * A mailed token of `account`'s, as the worker issues it: only its SHA-256 (hex) is stored, valid for an hour.
 * Returns the secret the mail would carry.
 */
async function mintAccountToken(
  account: Account,
  purpose: 'password-reset' | 'email-change',
  newEmail: string | null = null,
): Promise<string> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new SetupError(`a ${purpose} token needs DATABASE_URL: only the worker issues them`);
  const secret = randomBytes(32).toString('base64url');
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO account_tokens (token_hash, user_id, purpose, new_email, expires_at)
       VALUES ($1, $2, $3, $4, now() + interval '1 hour')`,
      [createHash('sha256').update(secret).digest('hex'), userIdOf(account), purpose, newEmail],
    );
  } finally {
    await db.end();
  }
  return secret;
}

/** The answer `GET /api/user` gives `token`, when it must be refused: its status and code. */
async function expectRefused(client: HttpClient, token: string, status: number, code: string): Promise<void> {
  const response = await call(client, 'GET', '/api/user', { token });
  expect(response.status, response.text).toBe(status);
  expect((response.json as { code?: string }).code).toBe(code);
}

async function expectAccepted(client: HttpClient, token: string, account: Account): Promise<void> {
  const response = await call(client, 'GET', '/api/user', { token, expect: 200 });
  expect((response.json as { user: { username: string } }).user.username).toBe(account.username);
}

/** RealWorld login with these credentials: its status, and its token when it worked. */
async function realWorldLogin(client: HttpClient, email: string, password: string) {
  const response = await call(client, 'POST', '/api/users/login', { body: { user: { email, password } } });
  return { status: response.status, code: (response.json as { code?: string }).code, json: response.json as any };
}

function expectTokenPair(json: TokenPair, account: Account): void {
  expect(json).toEqual({
    accessToken: expect.any(String),
    refreshToken: expect.stringMatching(/^[\w-]{43}$/),
    tokenType: 'Bearer',
    expiresIn: expect.any(Number),
  });
  expect(json.expiresIn).toBeGreaterThan(0);
  const claims = claimsOf(json.accessToken);
  expect(claims.sub).toBe(userIdOf(account));
  expect(claims.sid).toEqual(expect.any(String));
}

export const contract: ModuleContract = {
  scenarios: {
    'POST /api/v1/auth/login': async ({ client }) => {
      const account = await registerAccount(client, 'login');
      return {
        body: { email: account.email, password: account.password },
        verify: async (json) => {
          expectTokenPair(json, account);
          // A session of its own, beside the registration's.
          expect(claimsOf(json.accessToken).sid).not.toBe(sessionIdOf(account));
          await expectAccepted(client, json.accessToken, account);
        },
      };
    },
    'POST /api/v1/auth/refresh': async ({ client }) => {
      const account = await registerAccount(client, 'refresh');
      const login = await v1Login(client, account);
      return {
        body: { refreshToken: login.refreshToken },
        verify: async (json) => {
          expectTokenPair(json, account);
          expect(json.refreshToken).not.toBe(login.refreshToken);
          expect(claimsOf(json.accessToken).sid).toBe(claimsOf(login.accessToken).sid);
          await expectAccepted(client, json.accessToken, account);
          // Single use: the old token again is a theft signal, and ends the session.
          const again = await call(client, 'POST', '/api/v1/auth/refresh', {
            body: { refreshToken: login.refreshToken },
          });
          expect(again.status, again.text).toBe(401);
          expect((again.json as { code: string }).code).toBe('REFRESH_TOKEN_REUSED');
          await expectRefused(client, json.accessToken, 401, 'TOKEN_REVOKED');
        },
      };
    },
    'POST /api/v1/auth/logout': async ({ client }) => {
      const account = await registerAccount(client, 'logout');
      const elsewhere = await v1Login(client, account);
      return {
        as: account,
        verify: async (json) => {
          expect(json).toBeUndefined();
          await expectRefused(client, account.token, 401, 'TOKEN_REVOKED');
          // Only this session: the account's other one still works.
          await expectAccepted(client, elsewhere.accessToken, account);
        },
      };
    },
    'POST /api/v1/auth/logout-all': async ({ client }) => {
      const account = await registerAccount(client, 'logoutall');
      const elsewhere = await v1Login(client, account);
      return {
        as: account,
        verify: async (json) => {
          expect(json).toBeUndefined();
          await expectRefused(client, account.token, 401, 'TOKEN_REVOKED');
          await expectRefused(client, elsewhere.accessToken, 401, 'TOKEN_REVOKED');
          const refresh = await call(client, 'POST', '/api/v1/auth/refresh', {
            body: { refreshToken: elsewhere.refreshToken },
          });
          expect(refresh.status, refresh.text).toBe(401);
        },
      };
    },
    'GET /api/v1/auth/sessions': async ({ client }) => {
      const account = await registerAccount(client, 'devices');
      const login = await v1Login(client, account);
      return {
        as: account,
        verify: (json) => {
          const sessions = json.sessions as { id: string; kind: string; current: boolean }[];
          expect(sessions.map((s) => s.id).sort()).toEqual(
            [sessionIdOf(account), claimsOf(login.accessToken).sid].sort(),
          );
          expect(sessions.filter((s) => s.current).map((s) => s.id)).toEqual([sessionIdOf(account)]);
          expect(sessions.find((s) => s.id === sessionIdOf(account))?.kind).toBe('realworld');
          expect(sessions.find((s) => s.id === claimsOf(login.accessToken).sid)?.kind).toBe('refresh');
        },
      };
    },
    'DELETE /api/v1/auth/sessions/{id}': async ({ client }) => {
      const account = await registerAccount(client, 'revoker');
      const lost = await v1Login(client, account);
      return {
        as: account,
        params: { id: claimsOf(lost.accessToken).sid! },
        verify: async (json) => {
          expect(json).toBeUndefined();
          await expectRefused(client, lost.accessToken, 401, 'TOKEN_REVOKED');
          const refresh = await call(client, 'POST', '/api/v1/auth/refresh', {
            body: { refreshToken: lost.refreshToken },
          });
          expect(refresh.status, refresh.text).toBe(401);
          // The caller's own session goes on.
          await expectAccepted(client, account.token, account);
        },
      };
    },
    'POST /api/v1/auth/password-reset': async ({ client }) => {
      const account = await registerAccount(client, 'forgot');
      return {
        body: { email: account.email },
        verify: (json) => expect(json).toEqual({ message: expect.stringMatching(/\S/) }),
      };
    },
    'POST /api/v1/auth/password-reset/confirm': async ({ client }) => {
      const account = await registerAccount(client, 'reset');
      const token = await mintAccountToken(account, 'password-reset');
      const password = `pw-${randomBytes(5).toString('hex')}-new`;
      return {
        body: { token, password },
        verify: async (json) => {
          expect(json).toBeUndefined();
          // Every session ended; the new password works, the old one no longer does.
          await expectRefused(client, account.token, 401, 'TOKEN_REVOKED');
          expect((await realWorldLogin(client, account.email, password)).status).toBe(200);
          expect(await realWorldLogin(client, account.email, account.password)).toMatchObject({
            status: 401,
            code: 'INVALID_CREDENTIALS',
          });
          // The link works once.
          const again = await call(client, 'POST', '/api/v1/auth/password-reset/confirm', {
            body: { token, password },
          });
          expect(again.status, again.text).toBe(400);
          expect((again.json as { code: string }).code).toBe('ACCOUNT_TOKEN_INVALID');
        },
      };
    },
    'POST /api/v1/auth/email-change/confirm': async ({ client }) => {
      const account = await registerAccount(client, 'mover');
      const { email } = newUser('moved');
      const token = await mintAccountToken(account, 'email-change', email);
      return {
        body: { token },
        verify: async (json) => {
          expect(json).toBeUndefined();
          const me = await call(client, 'GET', '/api/user', { token: account.token, expect: 200 });
          expect((me.json as { user: { email: string } }).user.email).toBe(email);
          expect((await realWorldLogin(client, email, account.password)).status).toBe(200);
          const again = await call(client, 'POST', '/api/v1/auth/email-change/confirm', { body: { token } });
          expect(again.status, again.text).toBe(400);
          expect((again.json as { code: string }).code).toBe('ACCOUNT_TOKEN_INVALID');
        },
      };
    },
    'GET /api/v1/admin/users/{username}': async ({ client, admin }) => {
      const account = await registerAccount(client, 'managed');
      return {
        as: admin,
        params: { username: account.username },
        verify: (json) =>
          expect(json.user).toEqual({
            id: userIdOf(account),
            username: account.username,
            email: account.email,
            role: 'user',
            suspendedAt: null,
            suspensionReason: null,
            createdAt: expect.any(String),
          }),
      };
    },
    'PUT /api/v1/admin/users/{username}/role': async ({ client, admin }) => {
      const account = await registerAccount(client, 'promoted');
      return {
        as: admin,
        params: { username: account.username },
        body: { role: 'moderator', reason: 'Trusted reviewer' },
        verify: async (json) => {
          expect(json.user).toMatchObject({ username: account.username, role: 'moderator' });
          // Its sessions ended: the role lives in the token, so the next login carries the new one.
          await expectRefused(client, account.token, 401, 'TOKEN_REVOKED');
          const login = await realWorldLogin(client, account.email, account.password);
          expect(login.status).toBe(200);
          expect(claimsOf(login.json.user.token).role).toBe('moderator');
        },
      };
    },
    'POST /api/v1/admin/users/{username}/suspend': async ({ client, admin }) => {
      const account = await registerAccount(client, 'suspended');
      return {
        as: admin,
        params: { username: account.username },
        body: { reason: 'Spam' },
        verify: async (json) => {
          expect(json.user).toMatchObject({ username: account.username, suspensionReason: 'Spam' });
          expect(Date.parse(json.user.suspendedAt)).not.toBeNaN();
          await expectRefused(client, account.token, 403, 'ACCOUNT_SUSPENDED');
          expect(await realWorldLogin(client, account.email, account.password)).toMatchObject({
            status: 403,
            code: 'ACCOUNT_SUSPENDED',
          });
        },
      };
    },
    'POST /api/v1/admin/users/{username}/unsuspend': async ({ client, admin }) => {
      const account = await registerAccount(client, 'pardoned');
      await call(client, 'POST', `/api/v1/admin/users/${account.username}/suspend`, {
        token: admin.token,
        body: { reason: 'Spam' },
        expect: 200,
      });
      return {
        as: admin,
        params: { username: account.username },
        body: { reason: 'Appeal accepted' },
        verify: async (json) => {
          expect(json.user).toMatchObject({ username: account.username, suspendedAt: null, suspensionReason: null });
          expect((await realWorldLogin(client, account.email, account.password)).status).toBe(200);
          // The sessions the suspension ended stay ended.
          await expectRefused(client, account.token, 401, 'TOKEN_REVOKED');
        },
      };
    },
  },
  pathParameters: {
    // A new session of the owner's, never the one the owner's shared token names.
    'sessions/{id}': async ({ client, owner }) => {
      const sid = claimsOf((await v1Login(client, owner)).accessToken).sid;
      if (!sid) throw new SetupError('POST /api/v1/auth/login issued an access token without `sid`');
      return sid;
    },
    'users/{username}': async ({ client }) => (await registerAccount(client, 'managed')).username,
  },
  bodyFixtures: {
    // Single use: a valid refresh needs a token no case has used, from a new session of the owner's.
    'POST /api/v1/auth/refresh': {
      refreshToken: async ({ client, owner }) => (await v1Login(client, owner)).refreshToken,
    },
    // A reset ends every session of the account: one registered for the case.
    'POST /api/v1/auth/password-reset/confirm': {
      token: async ({ client }) => mintAccountToken(await registerAccount(client, 'reset'), 'password-reset'),
    },
    'POST /api/v1/auth/email-change/confirm': {
      token: async ({ client }) =>
        mintAccountToken(await registerAccount(client, 'mover'), 'email-change', newUser('moved').email),
    },
  },
};
