import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiNotFoundResponse } from '@nestjs/swagger';
import { NotFoundError } from '../http/app-error.js';
import type { AuthUser } from '../auth/auth.types.js';
import type { FeatureFlagName } from './feature-flags.js';
import { FeatureFlagsService } from './feature-flags.service.js';

const FLAG_KEY = 'folio:feature-flag';

/**
 * Serves the endpoint only while the flag is on for the caller; otherwise it answers 404 as if it did not
 * exist. A method guard, so it runs after the global auth guard and sees the caller for a rollout.
 */
export function FeatureFlag(name: FeatureFlagName): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(FLAG_KEY, name),
    UseGuards(FeatureFlagGuard),
    ApiNotFoundResponse({ description: `Off unless the \`${name}\` feature flag is on for the caller` }),
  );
}

@Injectable()
export class FeatureFlagGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly flags: FeatureFlagsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const name = this.reflector.getAllAndOverride<FeatureFlagName | undefined>(FLAG_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!name) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (await this.flags.isEnabled(name, user?.id)) return true;
    throw new NotFoundError('ROUTE_NOT_FOUND', 'No route matches this request');
  }
}
