import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';

/** The limits every request goes through (`default`) and the stricter ones a route opts into. */
export type RateLimitName = 'default' | 'auth' | 'account' | 'social';
export type StrictRateLimitName = Exclude<RateLimitName, 'default'>;

export const RATE_LIMITS_KEY = 'folio:rate-limits';

const DESCRIPTIONS: Record<StrictRateLimitName, string> = {
  auth: 'Too many requests, or too many login and registration attempts from this address (`auth` limit); see `Retry-After`',
  account:
    'Too many requests, or too many attempts for this account from any address (`account` limit); see `Retry-After`',
  social: 'Too many requests, or too many follows and favorites (`social` limit); see `Retry-After`',
};

/**
 * Adds stricter named limits to a route, on top of `default`. `auth` counts login and registration attempts
 * together, per client IP, whatever token is sent; `account` counts attempts per account named in the body;
 * `social` counts follows and favorites per user.
 */
export function StrictRateLimit(...names: [StrictRateLimitName, ...StrictRateLimitName[]]): MethodDecorator {
  return applyDecorators(
    SetMetadata(RATE_LIMITS_KEY, names),
    ApiTooManyRequestsResponse({ description: names.map((name) => DESCRIPTIONS[name]).join('. ') }),
  ) as MethodDecorator;
}
