import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { X_CACHE } from '../cache/read-cache.interceptor.js';
import type { FolioMetrics } from './folio-metrics.js';

/** The route label of requests no route matched (scanners, typos): one series, whatever the URL. */
export const UNMATCHED = 'UNMATCHED';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const CACHE_RESULTS = new Set(['hit', 'miss', 'bypass']);

/**
 * Counts every answer once it is sent (Fastify's onResponse: after the error filter, compression and the
 * rate-limit headers), labelled by the route TEMPLATE Fastify matched, never the raw URL: a slug or an id in a
 * label would make one series per article. Errors are the 5xx series of `http_server_requests_total`.
 */
export function recordHttpMetrics(fastify: FastifyInstance, metrics: FolioMetrics): void {
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.url ?? UNMATCHED;
    const method = METHODS.has(request.method) ? request.method : 'OTHER';
    const status = reply.statusCode;
    metrics.httpRequests.inc({ method, route, status: String(status) });
    metrics.httpDuration.observe(
      { method, route, status_class: `${Math.floor(status / 100)}xx` },
      reply.elapsedTime / 1000,
    );
    const cache = reply.getHeader(X_CACHE);
    if (typeof cache === 'string' && CACHE_RESULTS.has(cache)) metrics.cacheRequests.inc({ route, result: cache });
    if (status === 429) metrics.rateLimitRejections.inc({ route });
  });
}
