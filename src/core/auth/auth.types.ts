export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as established by the access token. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
}

export interface AccessTokenClaims {
  sub: string;
  username: string;
  role: Role;
}
