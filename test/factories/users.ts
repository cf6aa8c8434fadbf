import { randomBytes } from 'node:crypto';
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

/** A token with the admin role for a registered user (roles are read from the token's claims). */
export function adminToken(app: TestApp, user: RegisteredUser): string {
  return app.app.get(TokenService).sign({ id: userIdOf(user), username: user.username, role: 'admin' });
}
