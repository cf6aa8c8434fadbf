import type { HeaderObject, OpenAPIObject, OperationObject, ParameterObject, ResponseObject } from '@nestjs/swagger';
import { IDEMPOTENCY_EXEMPT_EXTENSION } from './idempotency.decorator.js';
import { idempotencyApplies, MAX_KEY_LENGTH } from './idempotency-key.js';

const WRITE_METHODS = ['post', 'put', 'patch', 'delete'] as const;

export const IDEMPOTENCY_KEY_PARAMETER: ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: the same key with the same request within 24 h (`IDEMPOTENCY_TTL_SECONDS`) answers the ' +
    'first response again, with `Idempotent-Replayed: true`, without doing the write twice. 1 to 255 printable ' +
    'ASCII characters (a UUID is a good choice), bare or as a quoted string; scoped to the caller, method and path ' +
    '(docs/idempotency.md)',
  schema: { type: 'string', minLength: 1, maxLength: MAX_KEY_LENGTH, pattern: '^[\\x20-\\x7E]+$' },
  example: '5f1c8e2a-3d4b-4e6f-9a7b-2c1d0e9f8a6b',
};

const REPLAYED_HEADER: HeaderObject = {
  description: '`true` when this answer is the stored answer to an earlier request with the same `Idempotency-Key`',
  schema: { type: 'string', enum: ['true'] },
};

const IN_USE =
  'A request with the same `Idempotency-Key` is still being processed (`IDEMPOTENCY_KEY_IN_USE`); `Retry-After` says when to retry';
const REUSED = 'The `Idempotency-Key` was already used with a different request body (`IDEMPOTENCY_KEY_REUSED`)';
const INVALID = 'the `Idempotency-Key` header is not 1 to 255 printable ASCII characters (`IDEMPOTENCY_KEY_INVALID`)';

/**
 * Documents `Idempotency-Key` on every operation it applies to (the rule of `idempotencyApplies()`, minus the
 * operations marked by `@SkipIdempotency()`): the optional header parameter, `Idempotent-Replayed` on its
 * success answers, 409 and 422 and the 400 of an invalid key. Runs after `documentErrorResponses()`, whose
 * error responses (content in the path's error shape, rate-limit headers) it extends.
 */
export function documentIdempotency(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of WRITE_METHODS) {
      const operation = item[method] as (OperationObject & Record<string, unknown>) | undefined;
      if (!operation || !idempotencyApplies(method, path)) continue;
      if (operation[IDEMPOTENCY_EXEMPT_EXTENSION] === true) {
        delete operation[IDEMPOTENCY_EXEMPT_EXTENSION];
        continue;
      }
      documentOperation(operation);
    }
  }
  document.components = {
    ...document.components,
    headers: { ...document.components?.headers, 'Idempotent-Replayed': REPLAYED_HEADER },
  };
  return document;
}

function documentOperation(operation: OperationObject): void {
  operation.parameters = [...(operation.parameters ?? []), IDEMPOTENCY_KEY_PARAMETER];
  const responses = operation.responses as Record<string, ResponseObject>;
  for (const [status, response] of Object.entries(responses)) {
    if (/^2\d\d$/.test(status)) {
      response.headers = {
        ...response.headers,
        'Idempotent-Replayed': { $ref: '#/components/headers/Idempotent-Replayed' },
      };
    }
  }
  // Every write has a 400 (a malformed URL or body) in the error shape of its path: its content serves 409 too.
  const badRequest = responses['400'];
  if (badRequest) badRequest.description = `${badRequest.description}; or ${INVALID}`;
  const conflict = responses['409'];
  if (conflict) conflict.description = `${conflict.description}; or ${lowerFirst(IN_USE)}`;
  const inUse = conflict ?? (responses['409'] = { description: IN_USE, ...errorShapeOf(badRequest) });
  inUse.headers = { ...inUse.headers, 'Retry-After': { $ref: '#/components/headers/Retry-After' } };
  const invalid = responses['422'];
  if (invalid) invalid.description = `${invalid.description}; or ${lowerFirst(REUSED)}`;
  else responses['422'] = { description: REUSED, ...errorShapeOf(badRequest) };
}

/** The content (error schema of the path) and headers (rate limits) of an error response, for another status. */
function errorShapeOf(response: ResponseObject | undefined): Partial<ResponseObject> {
  return {
    ...(response?.content ? { content: response.content } : {}),
    ...(response?.headers ? { headers: { ...response.headers } } : {}),
  };
}

const lowerFirst = (text: string) => `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
