import { createHash } from 'node:crypto';
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
 * The account a login or password-reset request names: `email` in the body, or in its RealWorld `user` envelope,
 * lower-cased and hashed (no address in Redis keys). A body without one counts against the client IP.
 */
export function accountTracker(request: { body?: unknown; ip: string }): string {
  const body = request.body as { email?: unknown; user?: { email?: unknown } } | undefined;
  const email = body?.email ?? body?.user?.email;
  if (typeof email !== 'string' || email.trim() === '') return ipTracker(request);
  return `account:${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url')}`;
}

/**
 * The named limits, in seconds from the configuration, milliseconds for the throttler. `default` applies to
 * every route; `auth` only where `@StrictRateLimit('auth')` is set, always per IP (a login has no user yet); `account` per
 * account named in the body; `social` per user.
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
    {
      // Per target account, whatever the address: a botnet guessing one user's password meets this limit.
      name: 'account',
      limit: config.account.limit,
      ttl: config.account.ttlSeconds * 1000,
      skipIf: optedIn('account'),
      getTracker: (request) => accountTracker(request as { body?: unknown; ip: string }),
    },
    // Per user (the default tracker): follows and favorites, against spam that inflates counts and notifications.
    { name: 'social', limit: config.social.limit, ttl: config.social.ttlSeconds * 1000, skipIf: optedIn('social') },
  ];
}
