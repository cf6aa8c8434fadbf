import { FastifyAdapter } from '@nestjs/platform-fastify';
import { errorCodes, type FastifyReply, type FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { UriTooLongError } from './app-error.js';
import { answerClientError, replyWithError } from './error-reply.js';
import { createJsonBodyParser, parseOtherBody } from './json-body.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

const DEFAULT_MAX_URL_LENGTH = 8_192;
const DEFAULT_MAX_HEADER_BYTES = 16_384;

/** Longest path segment the router matches (Fastify's default, 100, is shorter than a long slug). */
const MAX_PARAM_LENGTH = 512;

type RawRequest = IncomingMessage & { id?: unknown; routeTemplate?: string };

function hasWellEncodedQuery(url: string): boolean {
  const start = url.indexOf('?');
  if (start === -1 || !url.includes('%', start)) return true;
  try {
    decodeURIComponent(url.slice(start + 1));
    return true;
  } catch {
    return false;
  }
}

/** TRUST_PROXY as Fastify takes it: a boolean, a hop count, or a list of addresses/CIDRs. */
export function parseTrustProxy(value: string): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) {
    // The n closest hops, as Fastify's numeric form (which Nest's adapter type leaves out).
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value.split(',').map((entry) => entry.trim());
}

/**
 * Fastify as Folio's HTTP edge: every request is treated the same way whatever the route. JSON is the only
 * body type (see json-body.ts); the router's and the HTTP parser's own errors leave in the one error shape;
 * a request id is taken from (or returned in) `x-request-id`.
 */
export function createFastifyAdapter(options: {
  bodyLimit: number;
  trustProxy?: string;
  /** Longest request target (path and query); longer answers 414. */
  maxUrlLength?: number;
  /** Largest request head Node's parser reads; larger answers 431 (answerClientError). */
  maxHeaderBytes?: number;
}): FastifyAdapter {
  const maxUrlLength = options.maxUrlLength ?? DEFAULT_MAX_URL_LENGTH;
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit,
    http: { maxHeaderSize: options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
      replyWithError(request, reply, error),
    clientErrorHandler: answerClientError,
    trustProxy: parseTrustProxy(options.trustProxy ?? 'false'),
    requestIdHeader: false,
    genReqId: (raw: IncomingMessage) => {
      const sent = raw.headers['x-request-id'];
      const id = typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
      // Mirrored on the raw request so pino-http (a raw-request middleware) logs the same id.
      (raw as RawRequest).id = id;
      return id;
    },
    // Its close() runs only once the shutdown drain has closed every connection (src/core/lifecycle); a request
    // arriving meanwhile is served, not answered 503.
    return503OnClosing: false,
  });
  const fastify = adapter.getInstance();
  // Nest's body parsers are off (bootstrap.ts): JSON is the only body type, and an empty body is no body.
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, createJsonBodyParser(fastify));
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, parseOtherBody);
  fastify.addHook('onRequest', async (request, reply) => {
    (request.raw as RawRequest).routeTemplate = request.routeOptions.url;
    void reply.header('x-request-id', request.id);
    if (request.url.length > maxUrlLength) {
      throw new UriTooLongError(`The URL is longer than the ${maxUrlLength} characters the server accepts`);
    }
    // The router rejects bad percent-encoding in the path; the query parser would pass it through as text.
    if (!hasWellEncodedQuery(request.url)) throw new errorCodes.FST_ERR_BAD_URL(request.url);
  });
  return adapter;
}
