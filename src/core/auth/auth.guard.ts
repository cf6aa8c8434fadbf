import { Injectable, type CanActivate, type ExecutionContext, type OnModuleInit } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthenticationRequiredError, RoleRequiredError, TokenSubjectGoneError } from './auth.errors.js';
import { AUTH_KEY, PUBLIC_KEY, type AuthenticatedOptions, type PublicOptions } from './auth.decorators.js';
import type { AuthUser } from './auth.types.js';
import { TokenSubjects } from './token-subjects.js';
import { extractToken, TokenService } from './token.service.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Global guard: every route needs a valid token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate, OnModuleInit {
  private subjects!: TokenSubjects;

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // Provided by the module that owns users; the kernel cannot import it, so it is looked up app-wide.
    this.subjects = this.moduleRef.get(TokenSubjects, { strict: false });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const token = extractToken(request.headers.authorization);

    const publicOptions = this.reflector.getAllAndOverride<PublicOptions | undefined>(PUBLIC_KEY, targets);
    if (publicOptions) {
      if (publicOptions.optionalAuth && token) {
        try {
          request.user = this.tokens.verifyForRequest(request, token);
        } catch {
          // Optional auth: a stale token reads as anonymous rather than breaking a public page.
        }
      }
      return true;
    }

    const options = this.reflector.getAllAndOverride<AuthenticatedOptions | undefined>(AUTH_KEY, targets) ?? {};
    if (!token) throw new AuthenticationRequiredError();
    const user = this.tokens.verifyForRequest(request, token);
    if (options.role && user.role !== options.role && user.role !== 'admin') throw new RoleRequiredError(options.role);
    // One primary-key read per write; reads by a vanished account only ever see public data.
    if (!SAFE_METHODS.has(request.method) && !(await this.subjects.exists(user.id))) {
      throw new TokenSubjectGoneError();
    }
    request.user = user;
    return true;
  }
}
