import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AUTH_KEY, PUBLIC_KEY, type AuthenticatedOptions, type PublicOptions } from './auth.decorators.js';
import type { AuthUser } from './auth.types.js';
import { Authenticator } from './authenticator.js';

/** Global guard: every route needs a valid token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();

    const publicOptions = this.reflector.getAllAndOverride<PublicOptions | undefined>(PUBLIC_KEY, targets);
    if (publicOptions) {
      if (publicOptions.optionalAuth) request.user = await this.authenticator.identify(request);
      return true;
    }
    const options = this.reflector.getAllAndOverride<AuthenticatedOptions | undefined>(AUTH_KEY, targets) ?? {};
    request.user = await this.authenticator.authenticate(request, options);
    return true;
  }
}
