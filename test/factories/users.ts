import { randomBytes } from 'node:crypto';
import type { Role } from '../../src/core/auth/auth.types.js';
import { TokenService } from '../../src/core/auth/token.service.js';
import type { TestApp } from '../setup/test-app.js';

export interface NewUser {
  username: string;
  email: string;
  password: string;
}

export function buildUser(overrides: Partial<NewUser> = {}): NewUser {
  const suffix = randomBytes(4).toString('hex');
  return {
    username: `user_${suffix}`,
    email: `user_${suffix}@example.com`,
    password: 'correct-horse-battery',
    ...overrides,
  };
}

export interface RegisteredUser extends NewUser {
  token: string;
}

export async function registerUser(app: TestApp, overrides: Partial<NewUser> = {}): Promise<RegisteredUser> {
  const user = buildUser(overrides);
  const response = await app.request({ method: 'POST', url: '/api/users', body: { user } });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${response.text}`);
  return { ...user, token: response.body.user.token };
}

/** The user id a token names (its `sub` claim): read, not verified. */
export function userIdOf(holder: { token: string }): string {
  return (JSON.parse(Buffer.from(holder.token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;
}

/** The session a token belongs to (its `sid` claim): read, not verified. */
export function sessionIdOf(holder: { token: string }): string {
  return (JSON.parse(Buffer.from(holder.token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;
}

/**
 * A token with the admin (or another) role for a registered user, in the user's registration session. Roles
 * are read from the token's claims; `promote()` also writes the role, as an admin's role change does.
 */
export function adminToken(app: TestApp, user: RegisteredUser, role: Role = 'admin'): string {
  return app.app
    .get(TokenService)
    .sign({ id: userIdOf(user), username: user.username, role, sessionId: sessionIdOf(user) });
}

/** Gives the user `role` in the database and answers a token carrying it (a fresh login's, as after a role change). */
export async function promote(app: TestApp, user: RegisteredUser, role: Role): Promise<string> {
  await app.dataSource.query('UPDATE users SET role = $2 WHERE id = $1', [userIdOf(user), role]);
  return adminToken(app, user, role);
}

/** A token with the moderator role for a registered user (hide/unhide, abuse reports; not the audit log). */
export function moderatorToken(app: TestApp, user: RegisteredUser): string {
  return app.app.get(TokenService).sign({ id: userIdOf(user), username: user.username, role: 'moderator' });
}
