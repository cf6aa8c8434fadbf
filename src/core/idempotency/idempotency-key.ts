import { createHash } from 'node:crypto';
import { IdempotencyKeyInvalidError } from './idempotency.errors.js';

/** The request header (draft-ietf-httpapi-idempotency-key-header); Node.js hands it over lowercased. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Set to `true` on an answer replayed from the store rather than produced by the handler. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

export const MAX_KEY_LENGTH = 255;
/** 1–255 printable ASCII characters (space to tilde). */
const KEY = /^[\x20-\x7e]{1,255}$/;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Every versioned route (`/api/v1/...`, and any later version), whatever it is. */
const VERSIONED = /^\/api\/v\d+\//;

/**
 * Whether a write to this route takes an `Idempotency-Key`: every write of the versioned API, found by its
 * prefix so that a new route cannot be left out, and the RealWorld article creation. `route` is the route
 * template (`/api/v1/notifications/:id/read`) or an OpenAPI path (`/api/v1/notifications/{id}/read`).
 */
export function idempotencyApplies(method: string, route: string): boolean {
  const upper = method.toUpperCase();
  if (!WRITE_METHODS.has(upper)) return false;
  if (VERSIONED.test(route)) return true;
  return upper === 'POST' && route === '/api/articles';
}

/**
 * The key a client sent, or undefined when it sent none. Stripe's bare form (`Idempotency-Key: abc`) and the
 * IETF draft's Structured Field string (`Idempotency-Key: "abc"`) name the same key. Anything else (empty,
 * longer than 255, a character outside printable ASCII, the header sent twice) is 400 `IDEMPOTENCY_KEY_INVALID`.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw new IdempotencyKeyInvalidError('Send one Idempotency-Key header, not several');
  const key = unquote(header);
  if (!KEY.test(key)) {
    throw new IdempotencyKeyInvalidError(
      `The Idempotency-Key header must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters`,
    );
  }
  return key;
}

/** An sf-string (RFC 8941 §3.3.3) loses its quotes and escapes; a value with a stray quote is kept whole. */
function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  const inner = value.slice(1, -1);
  if (!/^(?:[^"\\]|\\["\\])*$/.test(inner)) return value;
  return inner.replace(/\\(["\\])/g, '$1');
}

/** JSON with every object's keys sorted, so two encodings of the same body (key order, spacing) are equal. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(sortedKeys(value));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => sortedKeys(item));
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(source)
        .sort()
        .map((name) => [name, sortedKeys(source[name])]),
    );
  }
  return value;
}

export interface IdempotentRequest {
  /** `user:<id>` with a verified token, `ip:<address>` otherwise. */
  caller: string;
  method: string;
  /** The request's path without its query. */
  path: string;
  /** The path with its query (a different query is a different request). */
  url: string;
  key: string;
  body: unknown;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * Where the key's record is stored: a hash of who sent it, to which method and path, and the key, so one
 * caller's key can never find (or block) another caller's record, and the store holds no user id or key.
 */
export function scopeOf(request: IdempotentRequest): string {
  return sha256(JSON.stringify([request.caller, request.method, request.path, request.key]));
}

/** What the key promises: this method, URL and body. The same key with another fingerprint is 422. */
export function fingerprintOf(request: IdempotentRequest): string {
  return sha256(`${request.method} ${request.url}\n${canonicalJson(request.body)}`);
}
