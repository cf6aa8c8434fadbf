import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { normalizeIp, type ThrottlerOptions } from '@nestjs/throttler';
import type { RateLimitConfig } from '../config/app.config.js';
import { RATE_LIMITS_KEY, type StrictRateLimitName } from './rate-limit.decorators.js';

/** The client address as Fastify resolved it under TRUST_PROXY; an IPv6 client counts by its /64. */
export function ipTracker(request: { ip: string }): string {
  return `ip:${normalizeIp(request.ip)}`;
}

/**
 * The named limits, in seconds from the configuration, milliseconds for the throttler. `default` applies to
 * every route; `auth` only where `@StrictRateLimit('auth')` is set, always per IP (a login has no user yet).
 * The block lasts one window (throttler's default): the request after the limit is refused for a full window.
 */
export function throttlersFor(config: RateLimitConfig, reflector: Reflector): ThrottlerOptions[] {
  const optedIn = (name: StrictRateLimitName) => (context: ExecutionContext) =>
    !(reflector.get<StrictRateLimitName[] | undefined>(RATE_LIMITS_KEY, context.getHandler()) ?? []).includes(name);
  return [
    { name: 'default', limit: config.default.limit, ttl: config.default.ttlSeconds * 1000 },
    {
      name: 'auth',
      limit: config.auth.limit,
      ttl: config.auth.ttlSeconds * 1000,
      skipIf: optedIn('auth'),
      getTracker: (request) => ipTracker(request as { ip: string }),
    },
  ];
}
