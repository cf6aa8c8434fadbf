import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { firstValueFrom, of, type Observable } from 'rxjs';
import type { AuthUser } from '../auth/auth.types.js';
import { ReadDatabase } from '../database/read-database.js';
import { strongEtag } from '../http/http-caching.js';
import { ReadCache, type CachedEntry } from './read-cache.service.js';

export const CACHED_READ = 'folio:cache:read';

/** The scopes a read depends on, from the route's path parameters (already decoded by the router). */
export type ScopesOf = (params: Record<string, string>) => readonly string[];

export interface CachedReadOptions {
  scopes: ScopesOf;
}

/** Response header naming where the answer came from (tests, benchmarks and operators read it). */
export const X_CACHE = 'x-cache';
const JSON_TYPE = 'application/json; charset=utf-8';

type Request = FastifyRequest & { user?: AuthUser; params: Record<string, string> };

/**
 * Applies `@CachedRead()`. A hit sends the stored JSON as is (no serialization, bytes encoded once) with its
 * stored ETag; a miss runs the handler with its reads on the primary, serializes the result once, stores it
 * and sends the same JSON.
 */
@Injectable()
export class ReadCacheInterceptor implements NestInterceptor {
  constructor(
    private readonly cache: ReadCache,
    private readonly reflector: Reflector,
    private readonly reads: ReadDatabase,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const reply = http.getResponse<FastifyReply>();
    const options = this.reflector.get<CachedReadOptions | undefined>(CACHED_READ, context.getHandler());
    if (!options || request.user !== undefined || request.headers.authorization !== undefined) {
      void reply.header(X_CACHE, 'bypass');
      return next.handle();
    }
    // A fill reads the primary: a lagging replica's answer would stay in the cache under the new versions.
    const { entry, status } = await this.cache.read(request.url, options.scopes(request.params), () =>
      this.reads.onPrimary(() => firstValueFrom(next.handle())).then(toEntry),
    );
    void reply
      .header(X_CACHE, status)
      .header('cache-control', this.cache.publicCacheControl)
      .header('etag', entry.etag)
      .header('content-type', JSON_TYPE);
    return of(bytesOf(entry));
  }
}

/**
 * The entry's body as UTF-8 bytes, encoded once per entry object: the memory tier hands back the same object on
 * every hit, and encoding a 10 KB string for the socket on each send was a fifth of a cache hit's CPU.
 */
const BYTES = new WeakMap<CachedEntry, Buffer>();

function bytesOf(entry: CachedEntry): Buffer {
  let bytes = BYTES.get(entry);
  if (!bytes) {
    bytes = Buffer.from(entry.body, 'utf8');
    BYTES.set(entry, bytes);
  }
  return bytes;
}

function toEntry(result: unknown): CachedEntry {
  const body = JSON.stringify(result);
  return { body, etag: strongEtag(body) };
}
