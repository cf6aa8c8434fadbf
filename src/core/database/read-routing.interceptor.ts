import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { catchError, mergeMap, type Observable } from 'rxjs';
import type { AuthUser } from '../auth/auth.types.js';
import { ReadDatabase } from './read-database.js';
import { RecentWriters } from './recent-writers.js';
import { ReadScope, readScopes } from './read-scope.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Sets up read-your-writes for each request (global, APP_INTERCEPTOR; runs after the auth guard, so the
 * caller is known): the handler runs inside a ReadScope, and an authenticated caller's unsafe request
 * records the caller as a recent writer before its response is sent, whether it succeeded or not (a
 * failed request may still have written). Without replicas it does nothing.
 */
@Injectable()
export class ReadRoutingInterceptor implements NestInterceptor {
  constructor(
    private readonly reads: ReadDatabase,
    private readonly writers: RecentWriters,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.reads.replicated || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const writes = !SAFE_METHODS.has(request.method);
    const userId = request.user?.id;
    // An anonymous read has nothing to read-its-writes for: no scope is the same as a scope that says "replica".
    if (!writes && !userId) return next.handle();
    // Nest binds the handler's async context where handle() is called, so the scope reaches every await in it.
    const handled = readScopes.run(new ReadScope(writes, userId, this.writers), () => next.handle());
    if (!writes || !userId) return handled;
    return handled.pipe(
      mergeMap(async (value: unknown) => {
        await this.writers.mark(userId);
        return value;
      }),
      catchError(async (error: unknown) => {
        await this.writers.mark(userId);
        throw error;
      }),
    );
  }
}
