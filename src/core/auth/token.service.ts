import { Inject, Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { authConfig, type AuthConfig } from '../config/app.config.js';
import { ExpiredTokenError, InvalidTokenError } from './auth.errors.js';
import { ROLES, type AccessTokenClaims, type AuthUser } from './auth.types.js';

/** Signs and verifies access tokens (HS256 JWT). Revocation is the Authenticator's concern (authenticator.ts). */
@Injectable()
export class TokenService {
  private readonly verified = new WeakMap<object, { token: string; user: AuthUser }>();

  constructor(
    private readonly jwt: JwtService,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /**
   * An access token for `user`'s session, living `ttl` (default: JWT_TTL, the RealWorld token's lifetime), or
   * expiring at `until` (seconds since the epoch) when given: a fresh copy that lives no longer than the old one.
   */
  sign(user: AuthUser, ttl: string = this.config.jwtTtl, until?: number): string {
    const claims: AccessTokenClaims = { sub: user.id, username: user.username, role: user.role };
    if (user.sessionId) claims.sid = user.sessionId;
    // The key and algorithm come from JwtModule's options (auth.module.ts).
    if (until !== undefined) return this.jwt.sign({ ...claims, exp: until });
    return this.jwt.sign(claims, { expiresIn: ttl as `${number}h` });
  }

  /**
   * `verify()` once per request: the rate-limit guard and the auth guard both need the caller, and the second
   * asks for the same token on the same request. A failure is not remembered (it throws again).
   */
  verifyForRequest(request: object, token: string): AuthUser {
    const known = this.verified.get(request);
    if (known?.token === token) return known.user;
    const user = this.verify(token);
    this.verified.set(request, { token, user });
    return user;
  }

  verify(token: string): AuthUser {
    let claims: Partial<AccessTokenClaims>;
    try {
      claims = this.jwt.verify<AccessTokenClaims>(token);
    } catch (error) {
      throw error instanceof TokenExpiredError ? new ExpiredTokenError() : new InvalidTokenError();
    }
    if (
      typeof claims.sub !== 'string' ||
      typeof claims.username !== 'string' ||
      !ROLES.includes(claims.role as AuthUser['role']) ||
      (claims.sid !== undefined && typeof claims.sid !== 'string')
    ) {
      throw new InvalidTokenError();
    }
    const user: AuthUser = { id: claims.sub, username: claims.username, role: claims.role as AuthUser['role'] };
    if (claims.sid) user.sessionId = claims.sid;
    if (typeof claims.exp === 'number') user.expiresAt = claims.exp;
    return user;
  }
}

/** Accepts the RealWorld form `Token <jwt>` and the standard `Bearer <jwt>`. */
export function extractToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(?:Token|Bearer)\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
