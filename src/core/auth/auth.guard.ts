import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthenticationRequiredError, RoleRequiredError } from './auth.errors.js';
import { AUTH_KEY, PUBLIC_KEY, type AuthenticatedOptions, type PublicOptions } from './auth.decorators.js';
import type { AuthUser } from './auth.types.js';
import { extractToken, TokenService } from './token.service.js';

/** Global guard: every route needs a valid token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const token = extractToken(request.headers.authorization);

    const publicOptions = this.reflector.getAllAndOverride<PublicOptions | undefined>(PUBLIC_KEY, targets);
    if (publicOptions) {
      if (publicOptions.optionalAuth && token) {
        try {
          request.user = this.tokens.verify(token);
        } catch {
          // Optional auth: a stale token reads as anonymous rather than breaking a public page.
        }
      }
      return true;
    }

    const options = this.reflector.getAllAndOverride<AuthenticatedOptions | undefined>(AUTH_KEY, targets) ?? {};
    if (!token) throw new AuthenticationRequiredError();
    const user = this.tokens.verify(token);
    if (options.role && user.role !== options.role && user.role !== 'admin') throw new RoleRequiredError(options.role);
    request.user = user;
    return true;
  }
}
