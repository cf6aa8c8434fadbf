/** Roles in ascending order of power: each one may do everything the ones before it may. */
export const ROLES = ['user', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` is `required` or above it (an admin may do what a moderator may). */
export function hasRole(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/** Who is calling, as established by the access token. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  /** The session the token was issued for (src/modules/identity sessions); absent on tokens from before sessions. */
  sessionId?: string;
  /** When the token expires (seconds since the epoch, its `exp`): set on verified tokens. */
  expiresAt?: number;
}

export interface AccessTokenClaims {
  sub: string;
  username: string;
  role: Role;
  /** Session id. */
  sid?: string;
  exp?: number;
}
