import compress from '@fastify/compress';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest, onSendHookHandler, RouteOptions } from 'fastify';
import { hash } from 'node:crypto';

export interface HttpCachingOptions {
  /** Responses smaller than this many bytes are not compressed. */
  compressionThreshold: number;
}

/**
 * Content codings offered, preferred first when the client accepts several. Brotli at @fastify/compress's
 * default quality (4) costs about what gzip does and makes Folio's JSON about a fifth smaller (docs/caching.md).
 */
const ENCODINGS: Array<'br' | 'gzip' | 'deflate'> = ['br', 'gzip', 'deflate'];
/** Lowercase: @fastify/compress looks for `accept-encoding` verbatim before adding its own. */
const VARY = ['authorization', 'accept-encoding'];
const CODING_SUFFIX = /-(?:gzip|deflate|br|zstd)"$/;

/** A strong ETag of the exact bytes (the identity coding; the coding suffix is added after compression). */
export function strongEtag(payload: string | Buffer): string {
  return `"${hash('sha1', payload, 'base64url')}"`;
}

/**
 * The tag of `If-None-Match` that matches `etag` (weak comparison, as RFC 9110 asks for this header, and
 * ignoring a content-coding suffix: each coding of one content is the same content), or undefined.
 */
export function matchingTag(ifNoneMatch: string, etag: string): string | undefined {
  if (ifNoneMatch.trim() === '*') return etag;
  for (const raw of ifNoneMatch.split(',')) {
    const tag = raw.trim();
    const opaque = tag.startsWith('W/') ? tag.slice(2) : tag;
    if (opaque === etag || opaque.replace(CODING_SUFFIX, '"') === etag) return opaque;
  }
  return undefined;
}

/** `Cache-Control` for a response that has none yet: only anonymous GETs may be reused, and only after revalidation. */
export function defaultCacheControl(method: string, status: number, authenticated: boolean): string | undefined {
  if ((method !== 'GET' && method !== 'HEAD') || status >= 400) return 'no-store';
  return authenticated ? 'private, no-cache' : 'no-cache';
}

/** `names` added to a `Vary` value, each once (case-insensitive); `*` stays `*`. */
export function mergeVary(current: string | string[] | number | undefined, names: readonly string[]): string {
  const text = current === undefined ? '' : Array.isArray(current) ? current.join(', ') : String(current);
  if (text.trim() === '*') return '*';
  const present = new Set(text.split(',').map((name) => name.trim().toLowerCase()));
  const missing = names.filter((name) => !present.has(name.toLowerCase()));
  return [text, ...missing].filter((part) => part.trim() !== '').join(', ');
}

/**
 * Every response's caching headers, before compression. `Cache-Control`: writes and errors `no-store`
 * (overriding anything set earlier), routes that set their own (`@CachedRead()`: `public, s-maxage`) keep it,
 * other reads `private, no-cache` with a token or `no-cache` without. `Vary` names the request headers
 * the answer depends on. GET/HEAD 200s get a strong ETag (unless a route set one) and become 304 when
 * `If-None-Match` matches it.
 */
const cachingHeaders: onSendHookHandler = (request, reply, payload, done) => {
  const method = request.method;
  const status = reply.statusCode;
  const authenticated = request.headers.authorization !== undefined;
  const preset = reply.getHeader('cache-control');
  const control = defaultCacheControl(method, status, authenticated);
  if (preset === undefined || control === 'no-store') void reply.header('cache-control', control);
  void reply.header('vary', mergeVary(reply.getHeader('vary'), VARY));
  if (status !== 200 || control === 'no-store' || !(typeof payload === 'string' || Buffer.isBuffer(payload))) {
    done(null, payload);
    return;
  }
  let etag = reply.getHeader('etag');
  if (typeof etag !== 'string') {
    etag = strongEtag(payload);
    void reply.header('etag', etag);
  }
  const condition = request.headers['if-none-match'];
  const matched = condition === undefined ? undefined : matchingTag(condition, etag);
  if (matched === undefined) {
    done(null, payload);
    return;
  }
  // The 304 names the representation the client holds (which may be a compressed one).
  void reply.code(304).header('etag', matched);
  done(null, '');
};

/** After compression: a compressed representation gets its own strong ETag (`"<hash>-gzip"`). */
function codingEtag(
  _request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: null, payload: unknown) => void,
): void {
  const coding = reply.getHeader('content-encoding');
  const etag = reply.getHeader('etag');
  if (typeof coding === 'string' && coding !== 'identity' && typeof etag === 'string' && etag.endsWith('"')) {
    if (!CODING_SUFFIX.test(etag)) void reply.header('etag', `${etag.slice(0, -1)}-${coding}"`);
  }
  done(null, payload);
}

/**
 * HTTP caching and compression for every route, in one place: call before any route is registered
 * (bootstrap.ts, before the OpenAPI routes and `app.init()`).
 */
export async function registerHttpCaching(app: NestFastifyApplication, options: HttpCachingOptions): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // An app-wide onSend hook runs before the route-level ones @fastify/compress adds: headers and 304 first.
  fastify.addHook('onSend', cachingHeaders);
  // Responses only: request bodies stay JSON-only, and a Content-Encoding on one is refused (json-body.ts).
  await app.register(compress, {
    global: true,
    globalDecompression: false,
    threshold: options.compressionThreshold,
    encodings: ENCODINGS,
  });
  // Added after compress's own onRoute hook, so this route-level onSend runs after its compression.
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const existing = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
    route.onSend = [...existing, codingEtag as onSendHookHandler];
  });
}
