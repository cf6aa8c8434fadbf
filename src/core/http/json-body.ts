import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequestError, UnsupportedMediaTypeError } from './app-error.js';
import { unsupportedMediaType } from './error-mapping.js';

/** Deepest nesting of arrays and objects a JSON body may have; Folio's deepest body needs 3. */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);
const JSON_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Walks the raw bytes once and stops at the first bracket past the limit, so a hostile body costs
 * O(limit) rather than a full parse (V8 parses a megabyte of brackets in hundreds of milliseconds) and
 * no later recursive step (class-transformer, validation, logging) meets a structure deep enough to
 * overflow the stack. Bytes of multi-byte UTF-8 characters are never ASCII, so scanning bytes is exact.
 */
export function exceedsJsonDepth(body: Uint8Array, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (OPENERS.has(byte)) {
      if (++depth > limit) return true;
    } else if (CLOSERS.has(byte)) {
      depth--;
    }
  }
  return false;
}

function isBlank(body: Uint8Array): boolean {
  return body.every((byte) => JSON_WHITESPACE.has(byte));
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/** The body's declared encoding problem, if any: JSON is UTF-8 (RFC 8259) and Folio decodes nothing else. */
function encodingProblem(request: FastifyRequest): string | undefined {
  const coding = request.headers['content-encoding'];
  if (coding !== undefined && coding.trim().toLowerCase() !== 'identity') {
    return 'Compressed request bodies (Content-Encoding) are not supported; send the body uncompressed';
  }
  const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return 'Only the UTF-8 charset is supported for JSON bodies';
  }
  return undefined;
}

type Done = (error: Error | null, body?: unknown) => void;

/**
 * The one JSON body parser. An empty body is "no body", whatever the content-type says: RealWorld clients
 * (Angular HttpClient, axios setups, the official Postman suite) send `Content-Type: application/json` on
 * bodyless POST and DELETE. Routes that need a body then fail validation exactly as for `{}`.
 */
export function createJsonBodyParser(fastify: FastifyInstance) {
  // Fastify's own parser: secure-json-parse, rejecting __proto__ and constructor.prototype keys.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  return (request: FastifyRequest, body: Buffer, done: Done): void => {
    if (isBlank(body)) return done(null, undefined);
    const problem = encodingProblem(request);
    if (problem) return done(new UnsupportedMediaTypeError(problem));
    if (exceedsJsonDepth(body)) {
      return done(
        new BadRequestError('JSON_TOO_DEEP', `The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH}`),
      );
    }
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      return done(new BadRequestError('MALFORMED_JSON', 'The request body is not valid UTF-8'));
    }
    parseJson(request, text, done);
  };
}

/** The one form body Folio accepts: what a mail client posts for RFC 8058 one-click unsubscribe. */
const ONE_CLICK_UNSUBSCRIBE = 'List-Unsubscribe=One-Click';

/**
 * Every other content-type (or none): an empty body is no body, as above (jQuery, for one, labels a
 * bodyless POST `application/x-www-form-urlencoded`), and so is RFC 8058's fixed one-click unsubscribe form,
 * whose meaning is entirely in the URL it is posted to; any other body answers 415.
 */
export function parseOtherBody(request: FastifyRequest, body: Buffer, done: Done): void {
  if (body.length === 0) return done(null, undefined);
  if (
    request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded' &&
    body.toString('latin1').trim() === ONE_CLICK_UNSUBSCRIBE
  ) {
    return done(null, undefined);
  }
  done(unsupportedMediaType());
}
