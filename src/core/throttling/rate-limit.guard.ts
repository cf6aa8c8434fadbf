import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { extractToken, TokenService } from '../auth/token.service.js';
import { rateLimitConfig, type RateLimitConfig } from '../config/app.config.js';
import { RateLimitedError } from '../http/app-error.js';
import { rateLimitHeaders, type RateLimitOutcome } from './rate-limit-headers.js';
import { ipTracker } from './throttlers.js';

/**
 * Global guard, registered before `AuthGuard` so that a flood is refused before any token or account check.
 * It reads the caller from the token itself (one HMAC, no database): a valid token counts against its user's
 * bucket, anything else (no token, a bad or expired one) against the client IP (`request.ip`, which follows
 * TRUST_PROXY). Each named limit has one bucket per client for the whole API (`<name>:<tracker>`), not one per
 * route. Answers carry the IETF `RateLimit-*` fields; a refusal is a `RateLimitedError` (429 `RATE_LIMITED`).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly outcomes = new WeakMap<object, RateLimitOutcome[]>();

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly tokens: TokenService,
    @Inject(rateLimitConfig.KEY) private readonly config: RateLimitConfig,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    try {
      return await super.canActivate(context);
    } finally {
      // Set on success and on refusal alike: the error filter sends the reply these headers are on.
      const reply = http.getResponse<FastifyReply>();
      for (const [name, value] of Object.entries(rateLimitHeaders(this.outcomes.get(request) ?? []))) {
        void reply.header(name, value);
      }
      this.outcomes.delete(request);
    }
  }

  /** Probes and preflights are never limited (CORS preflights are answered before any guard anyway). */
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (!this.config.enabled) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return request.method === 'OPTIONS' || (request.routeOptions.url ?? '').startsWith('/health/');
  }

  protected override async handleRequest({
    context,
    limit,
    ttl,
    throttler,
    blockDuration,
    getTracker,
    generateKey,
  }: ThrottlerRequest): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const name = throttler.name ?? 'default';
    const key = generateKey(context, await getTracker(request, context), name);
    const record = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    const outcome: RateLimitOutcome = {
      name,
      limit,
      windowSeconds: Math.ceil(ttl / 1000),
      remaining: Math.max(0, limit - record.totalHits),
      resetSeconds: record.isBlocked ? record.timeToBlockExpire : record.timeToExpire,
      blocked: record.isBlocked,
    };
    this.outcomes.set(request, [...(this.outcomes.get(request) ?? []), outcome]);
    if (record.isBlocked) {
      throw new RateLimitedError(`Too many requests; retry in ${Math.max(1, outcome.resetSeconds)} seconds`);
    }
    return true;
  }

  /** The user of a valid token, else the client IP. */
  protected override async getTracker(request: FastifyRequest): Promise<string> {
    const token = extractToken(request.headers.authorization);
    if (token) {
      try {
        return `user:${this.tokens.verifyForRequest(request, token).id}`;
      } catch {
        // A bad or expired token is not an identity: it counts against the address it came from.
      }
    }
    return ipTracker(request);
  }

  /** One bucket per limit and client across all routes (the library's default is one per route). */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }
}
