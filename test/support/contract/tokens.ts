// Access tokens of every kind a client can hold, made with node:crypto the way jsonwebtoken makes them
// (HS256, base64url), so the suites need neither the app's TokenService nor its secret handling.
import { createHmac, randomUUID } from 'node:crypto';

/** The JWT_SECRET of the test environment (test/setup/env.ts); scripts/fuzz.ts starts its app with it too. */
export const TEST_JWT_SECRET = 'folio-test-secret-0123456789abcdef';
const OTHER_SECRET = 'some-other-deployment-secret-0123456789';

export type TokenKind =
  /** The caller the case is about: author of the fixture article and comment. */
  | 'owner'
  /** A second valid user: not the author, and the profile the owner follows. */
  | 'other'
  | 'none'
  | 'garbage'
  | 'wrong-scheme'
  | 'empty'
  | 'expired'
  | 'wrong-secret'
  | 'alg-none'
  /** Valid signature and claims, for a user id that does not exist (a database reset under a client). */
  | 'unknown-user';

export const INVALID_TOKEN_KINDS = ['none', 'garbage', 'wrong-scheme', 'empty', 'expired', 'wrong-secret', 'alg-none'];

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export function signHs256(claims: Record<string, unknown>, secret: string, alg = 'HS256'): string {
  const head = `${base64url(JSON.stringify({ alg, typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  if (alg === 'none') return `${head}.`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

export interface TokenSubject {
  id?: string;
  username: string;
  token: string;
}

/**
 * The `Authorization` header value for each kind (undefined: no header), built around a real user's token.
 * `role` is the role claim of the tokens made here (expired, wrong secret, unknown user…): that of `subject`,
 * so that for a role-restricted operation only the broken part of the token is wrong, never its role.
 */
export function authorizationHeaders(
  subject: TokenSubject,
  other: TokenSubject,
  secret = TEST_JWT_SECRET,
  role = 'user',
): Record<TokenKind, string | undefined> {
  const now = Math.floor(Date.now() / 1000);
  const claims = (sub: string) => ({ sub, username: subject.username, role });
  const sub = subject.id ?? readSubject(subject.token);
  return {
    owner: `Token ${subject.token}`,
    other: `Token ${other.token}`,
    none: undefined,
    garbage: 'Token not.a-jwt_at~all',
    'wrong-scheme': `Basic ${Buffer.from(`${subject.username}:password`).toString('base64')}`,
    empty: 'Token ',
    expired: `Token ${signHs256({ ...claims(sub), iat: now - 7200, exp: now - 3600 }, secret)}`,
    'wrong-secret': `Token ${signHs256({ ...claims(sub), iat: now, exp: now + 3600 }, OTHER_SECRET)}`,
    'alg-none': `Token ${signHs256({ ...claims(sub), iat: now, exp: now + 3600 }, '', 'none')}`,
    'unknown-user': `Token ${signHs256({ ...claims(randomUUID()), iat: now, exp: now + 3600 }, secret)}`,
  };
}

function readClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function readSubject(token: string): string {
  const { sub } = readClaims(token);
  if (typeof sub !== 'string') throw new Error('the API issued a token without a string `sub`');
  return sub;
}

/**
 * A token the API issued, re-signed with another `role` claim and nothing else changed (same `sub`,
 * `username`, `sid`, `iat`, `exp`): how the suites hold an admin token, which the public API never issues. Its
 * session stays the one the API opened, so logout and revocation apply to it as to any token.
 */
export function withRole(token: string, role: string, secret = TEST_JWT_SECRET): string {
  const claims = readClaims(token);
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') {
    throw new Error('the API issued a token without a string `sub` and a numeric `exp`');
  }
  return signHs256({ ...claims, role }, secret);
}
