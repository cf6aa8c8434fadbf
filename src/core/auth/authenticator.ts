import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  AccountSuspendedError,
  AuthenticationRequiredError,
  RoleRequiredError,
  TokenRevokedError,
  TokenSubjectGoneError,
} from './auth.errors.js';
import { hasRole, type AuthUser, type Role } from './auth.types.js';
import { TokenSubjects } from './token-subjects.js';
import { extractToken, TokenService } from './token.service.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthenticateOptions {
  /** The role the caller must hold (or one above it). */
  role?: Role;
}

/**
 * Establishes the caller from an `Authorization` header: signature and expiry, then revocation (logout,
 * suspension) and role. The global guard uses it for Nest routes; plain Fastify routes (the queue dashboard)
 * call it from a hook, so every door checks a token the same way.
 */
@Injectable()
export class Authenticator implements OnModuleInit {
  private subjects!: TokenSubjects;

  constructor(
    private readonly tokens: TokenService,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // Provided by the module that owns users; the kernel cannot import it, so it is looked up app-wide.
    this.subjects = this.moduleRef.get(TokenSubjects, { strict: false });
  }

  /** The caller, or throws the 401/403 that says why not. `request` keys the per-request verification memo. */
  async authenticate(
    request: { method: string; headers: { authorization?: string } },
    options: AuthenticateOptions = {},
  ): Promise<AuthUser> {
    const token = extractToken(request.headers.authorization);
    if (!token) throw new AuthenticationRequiredError();
    return this.admit(request, this.tokens.verifyForRequest(request, token), options);
  }

  /**
   * The checks after the signature, for a caller whose credential was verified elsewhere (the queue dashboard's
   * cookie, src/core/jobs/queue-dashboard.ts): revocation, suspension, role, and on writes that the account exists.
   */
  async admit(request: { method: string }, user: AuthUser, options: AuthenticateOptions = {}): Promise<AuthUser> {
    const revocation = await this.subjects.revocation(user);
    if (revocation === 'account-suspended') throw new AccountSuspendedError();
    if (revocation === 'session-revoked') throw new TokenRevokedError();
    if (options.role && !hasRole(user.role, options.role)) throw new RoleRequiredError(options.role);
    // One primary-key read per write; reads by a vanished account only ever see public data.
    if (!SAFE_METHODS.has(request.method) && !(await this.subjects.exists(user.id))) {
      throw new TokenSubjectGoneError();
    }
    return user;
  }

  /** RealWorld "optional auth": the caller when a valid, unrevoked token is sent; anonymous otherwise. */
  async identify(request: { method: string; headers: { authorization?: string } }): Promise<AuthUser | undefined> {
    const token = extractToken(request.headers.authorization);
    if (!token) return undefined;
    try {
      const user = this.tokens.verifyForRequest(request, token);
      return (await this.subjects.revocation(user)) ? undefined : user;
    } catch {
      // A stale token reads as anonymous rather than breaking a public page.
      return undefined;
    }
  }
}
