import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { of, type Observable } from 'rxjs';
import type { AuthUser } from '../auth/auth.types.js';
import { SKIP_IDEMPOTENCY } from './idempotency.decorator.js';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  idempotencyApplies,
  parseIdempotencyKey,
} from './idempotency-key.js';
import { Idempotency } from './idempotency.service.js';
import type { StoredResponse } from './idempotency.store.js';

type Request = FastifyRequest & { user?: AuthUser };

/**
 * Global (APP_INTERCEPTOR): runs after the guards, so the caller is known, and before the pipes and the
 * handler. A write with an `Idempotency-Key` either runs once (its answer captured by the service's `onSend`
 * hook), or is answered from the store without running, or is refused (409, 422). Without the header, or on
 * a route the key does not apply to, nothing changes.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: Idempotency,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http' || !this.idempotency.active) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const route = request.routeOptions.url;
    if (route === undefined || !idempotencyApplies(request.method, route)) return next.handle();
    if (this.reflector.getAllAndOverride<boolean>(SKIP_IDEMPOTENCY, [context.getHandler(), context.getClass()])) {
      return next.handle();
    }
    const key = parseIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER]);
    if (key === undefined) return next.handle();
    const url = request.url;
    const stored = await this.idempotency.begin(request, {
      caller: request.user ? `user:${request.user.id}` : `ip:${request.ip}`,
      method: request.method,
      path: url.split('?', 1)[0] ?? url,
      url,
      key,
      body: request.body,
    });
    if (!stored) return next.handle();
    return of(replay(http.getResponse<FastifyReply>(), stored));
  }
}

/** Puts the stored status and headers on the reply; the stored bytes are the body (none for an empty one). */
function replay(reply: FastifyReply, stored: StoredResponse): Buffer | undefined {
  void reply.status(stored.status);
  for (const [name, value] of Object.entries(stored.headers)) void reply.header(name, value);
  void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return stored.body === '' ? undefined : Buffer.from(stored.body, 'base64');
}
