import type { HeaderObject, OpenAPIObject, OperationObject, ReferenceObject, ResponseObject } from '@nestjs/swagger';
import { errorFormatFor } from './error-renderers.js';
import { MAX_JSON_DEPTH } from './json-body.js';

const ERROR_SCHEMAS = {
  problem: { name: 'ErrorResponseDto', mediaType: 'application/problem+json' },
  realworld: { name: 'RealWorldErrorResponseDto', mediaType: 'application/json' },
} as const;

const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/** What each status means wherever the edge itself may answer it, whatever the operation. */
const EDGE_ERRORS: Record<number, string> = {
  400: `Malformed request: the body is not valid JSON or UTF-8, nests deeper than ${MAX_JSON_DEPTH} levels, or the URL is not validly percent-encoded`,
  404: 'No resource matches the path',
  413: 'The request body is larger than the server accepts',
  414: 'The URL is longer than the server accepts (`MAX_URL_LENGTH`, 8192 characters), or a path segment longer than 512',
  415: 'The body is not JSON, or not UTF-8, or compressed (send `application/json`, uncompressed)',
  431: 'The request headers (or the URL) are larger than the server accepts (16 KiB)',
  422: 'Validation failed: one message per invalid field (text PostgreSQL cannot store, such as NUL characters, included)',
  429: 'Too many requests from this client (its user, or its IP when anonymous); `Retry-After` says when to retry',
  500: 'Unexpected error; its details are logged under the request id and never sent',
  503: 'The database is unreachable, restarting or too busy (`DATABASE_UNAVAILABLE`, `DATABASE_TIMEOUT`); nothing was written unless a 2xx was answered; `Retry-After` says when to retry',
};

/** Liveness answers from the process alone; every other operation may need the database. */
const usesDatabase = (path: string) => path !== '/health/live';

/** Probes are never rate limited (src/core/throttling); every other operation is. */
const isRateLimited = (path: string) => !path.startsWith('/health/');

/** The IETF rate-limit fields (src/core/throttling/rate-limit-headers.ts), declared once under components. */
const RATE_LIMIT_HEADERS: Record<string, HeaderObject> = {
  'RateLimit-Limit': {
    description: 'Requests allowed in the window of the limit closest to refusing',
    schema: { type: 'integer' },
  },
  'RateLimit-Remaining': { description: 'Requests left in that window', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until that window ends', schema: { type: 'integer' } },
  'RateLimit-Policy': {
    description: 'Every limit the request counted against, as `<limit>;w=<window seconds>`, comma-separated',
    schema: { type: 'string' },
  },
  'Retry-After': { description: 'On 429 and 503: seconds to wait before retrying', schema: { type: 'integer' } },
};

function rateLimitHeaderRefs(status: string): Record<string, ReferenceObject> {
  const names = Object.keys(RATE_LIMIT_HEADERS).filter(
    (name) => name !== 'Retry-After' || status === '429' || status === '503',
  );
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

/** The statuses the edge can answer for an operation, from its shape alone. */
function edgeStatuses(path: string, method: string, operation: OperationObject): number[] {
  // Any URL may carry a badly percent-encoded query or be too long, and any request oversized headers.
  const statuses = [400, 414, 431, 500];
  if (isRateLimited(path)) statuses.push(429);
  if (usesDatabase(path)) statuses.push(503);
  const parameters = operation.parameters ?? [];
  if (path.includes('{')) statuses.push(404, 422);
  if (parameters.length > 0) statuses.push(422);
  if (BODY_METHODS.has(method)) statuses.push(413, 415);
  if (operation.requestBody) statuses.push(422);
  return statuses;
}

function isErrorSchemaRef(response: ResponseObject): boolean {
  const schemas = Object.values(response.content ?? {}).map(({ schema }) => JSON.stringify(schema ?? {}));
  return schemas.some((schema) => /#\/components\/schemas\/(ErrorResponseDto|RealWorldErrorResponseDto)"/.test(schema));
}

/**
 * Makes the document say exactly what the API answers: every operation lists each error status the
 * edge can give it (malformed input, limits, validation, 500, 503), and every error response names the one
 * schema and media type its path really uses (RealWorld or problem+json, see error-renderers.ts).
 */
export function documentErrorResponses(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    const format = ERROR_SCHEMAS[errorFormatFor(path)];
    const content = { [format.mediaType]: { schema: { $ref: `#/components/schemas/${format.name}` } } };
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      for (const status of edgeStatuses(path, method, operation)) {
        operation.responses[status] ??= { description: EDGE_ERRORS[status], content };
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        const value = response as ResponseObject;
        if (Number(status) >= 400 && (!value.content || isErrorSchemaRef(value))) value.content = content;
        // Optional fields: errors raised before the guard (URL, headers, body parsing) do not carry them.
        if (isRateLimited(path)) {
          value.headers = { ...value.headers, ...rateLimitHeaderRefs(status) };
        }
      }
    }
  }
  document.components = { ...document.components, headers: { ...document.components?.headers, ...RATE_LIMIT_HEADERS } };
  return document;
}
