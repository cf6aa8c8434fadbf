import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';

/** The limits every request goes through (`default`) and the stricter ones a route opts into. */
export type RateLimitName = 'default' | 'auth';
export type StrictRateLimitName = Exclude<RateLimitName, 'default'>;

export const RATE_LIMITS_KEY = 'folio:rate-limits';

const DESCRIPTIONS: Record<StrictRateLimitName, string> = {
  auth: 'Too many requests, or too many login and registration attempts from this address (`auth` limit); see `Retry-After`',
};

/**
 * Adds a stricter named limit to a route, on top of `default`. `auth` counts login and registration attempts
 * together, per client IP, whatever token is sent.
 */
export function StrictRateLimit(name: StrictRateLimitName): MethodDecorator {
  return applyDecorators(
    SetMetadata(RATE_LIMITS_KEY, [name]),
    ApiTooManyRequestsResponse({ description: DESCRIPTIONS[name] }),
  ) as MethodDecorator;
}
