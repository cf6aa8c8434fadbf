import type { FastifyInstance } from 'fastify';
import { ForbiddenError } from './app-error.js';
import { replyWithError } from './error-reply.js';

/** Any port of the loopback hosts, over http or https: where local RealWorld frontends are served from. */
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/**
 * Which browser origins may call the API cross-origin. `origins` is CORS_ORIGINS: exact origins, or `*` (any;
 * refused in production at boot). Unset: the loopback origins on any port in development and test, none in
 * production.
 */
export function corsOriginAllowed(options: {
  origins: string[] | undefined;
  production: boolean;
}): (origin: string) => boolean {
  const { origins, production } = options;
  if (origins === undefined) return production ? () => false : (origin) => LOOPBACK_ORIGIN.test(origin);
  if (origins.includes('*')) return () => true;
  const allowed = new Set(origins.map((origin) => origin.toLowerCase()));
  return (origin) => allowed.has(origin.toLowerCase());
}

/**
 * A preflight from an origin that is not allowed answers 403 CORS_ORIGIN_NOT_ALLOWED in the route's error shape,
 * without any `access-control-allow-*` header: the browser reports the CORS failure, and whoever replays the
 * preflight by hand reads why. Runs after @fastify/cors's hook, which leaves such a preflight unanswered.
 * Actual (non-preflight) requests from such an origin are served as usual, without `access-control-allow-origin`,
 * so the browser keeps the answer from the page; same-origin pages (Swagger UI) and non-browser clients are unaffected.
 */
export function refuseDisallowedPreflights(fastify: FastifyInstance, allowed: (origin: string) => boolean): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (
      request.method === 'OPTIONS' &&
      origin !== undefined &&
      request.headers['access-control-request-method'] !== undefined &&
      !allowed(origin)
    ) {
      // Answered here, not thrown: @fastify/cors's OPTIONS route predates Nest's error handler.
      replyWithError(
        request,
        reply,
        new ForbiddenError('CORS_ORIGIN_NOT_ALLOWED', 'This origin is not allowed to call the API from a browser'),
      );
      return reply;
    }
    return undefined;
  });
}
