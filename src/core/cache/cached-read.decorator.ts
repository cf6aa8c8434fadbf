import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import {
  CACHED_READ,
  ReadCacheInterceptor,
  X_CACHE,
  type CachedReadOptions,
  type ScopesOf,
} from './read-cache.interceptor.js';

/**
 * Serves a public GET from the read cache for anonymous callers (authenticated answers carry `following` and
 * `favorited`, so they are never cached) and marks it cacheable by shared caches (`public, s-maxage`). The
 * entry is found only while no write has bumped one of its scopes; the owning module bumps them from its
 * domain events (see docs/caching.md). Every answer carries `x-cache: hit|miss|bypass`.
 */
export function CachedRead(scopes: ScopesOf | readonly string[]): MethodDecorator {
  const options: CachedReadOptions = { scopes: typeof scopes === 'function' ? scopes : () => scopes };
  return applyDecorators(SetMetadata(CACHED_READ, options), UseInterceptors(ReadCacheInterceptor), documentXCache);
}

const X_CACHE_HEADER = {
  description: 'Where the answer came from: `hit` (read cache), `miss` (loaded and cached), `bypass` (not cached)',
  schema: { type: 'string', enum: ['hit', 'miss', 'bypass'] },
};

/**
 * Adds `x-cache` to the documented 200 answer. Merged by hand: `@ApiResponse()` for the same status would
 * replace the response's type. Needs `@ApiOkResponse()` below `@CachedRead()` (applied first).
 */
const documentXCache: MethodDecorator = (_target, _key, descriptor) => {
  const handler = descriptor.value as object;
  const responses = Reflect.getMetadata(DECORATORS.API_RESPONSE, handler) as
    Record<string, { headers?: object }> | undefined;
  const ok = responses?.['200'];
  if (!responses || !ok) return;
  Reflect.defineMetadata(
    DECORATORS.API_RESPONSE,
    { ...responses, 200: { ...ok, headers: { ...ok.headers, [X_CACHE]: X_CACHE_HEADER } } },
    handler,
  );
};
