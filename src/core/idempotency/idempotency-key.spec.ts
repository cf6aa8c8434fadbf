import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  fingerprintOf,
  idempotencyApplies,
  parseIdempotencyKey,
  scopeOf,
  type IdempotentRequest,
} from './idempotency-key.js';
import { IdempotencyKeyInvalidError } from './idempotency.errors.js';

const request = (overrides: Partial<IdempotentRequest> = {}): IdempotentRequest => ({
  caller: 'user:1',
  method: 'POST',
  path: '/api/v1/reports',
  url: '/api/v1/reports',
  key: 'k-1',
  body: { report: { format: 'csv' } },
  ...overrides,
});

function invalid(header: string | string[]): string {
  try {
    parseIdempotencyKey(header);
  } catch (error) {
    expect(error).toBeInstanceOf(IdempotencyKeyInvalidError);
    return (error as IdempotencyKeyInvalidError).code;
  }
  throw new Error(`accepted ${JSON.stringify(header)}`);
}

describe('idempotencyApplies', () => {
  it('covers every write of a versioned route, by prefix, and POST /api/articles', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'post']) {
      expect(idempotencyApplies(method, '/api/v1/anything/:id')).toBe(true);
      expect(idempotencyApplies(method, '/api/v2/{id}/nested')).toBe(true);
    }
    expect(idempotencyApplies('POST', '/api/articles')).toBe(true);
  });

  it('leaves reads, other RealWorld writes and unversioned paths alone', () => {
    expect(idempotencyApplies('GET', '/api/v1/reports')).toBe(false);
    expect(idempotencyApplies('HEAD', '/api/v1/reports')).toBe(false);
    expect(idempotencyApplies('OPTIONS', '/api/v1/reports')).toBe(false);
    expect(idempotencyApplies('PUT', '/api/articles/:slug')).toBe(false);
    expect(idempotencyApplies('POST', '/api/articles/:slug/favorite')).toBe(false);
    expect(idempotencyApplies('POST', '/api/users')).toBe(false);
    expect(idempotencyApplies('POST', '/api/v1')).toBe(false);
    expect(idempotencyApplies('POST', '/api/vx/reports')).toBe(false);
  });
});

describe('parseIdempotencyKey', () => {
  it('takes no header as no key', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it('accepts 1 to 255 printable ASCII characters, spaces and symbols included', () => {
    expect(parseIdempotencyKey('a')).toBe('a');
    expect(parseIdempotencyKey('x'.repeat(255))).toBe('x'.repeat(255));
    expect(parseIdempotencyKey('order 42: ~!@#$%^&*()')).toBe('order 42: ~!@#$%^&*()');
  });

  it('reads the IETF draft form, a quoted sf-string, as the same key', () => {
    expect(parseIdempotencyKey('"8e03978e-40d5"')).toBe('8e03978e-40d5');
    expect(parseIdempotencyKey('"say \\"hi\\" \\\\ there"')).toBe('say "hi" \\ there');
    // Not a well-formed sf-string: the value is the key as sent.
    expect(parseIdempotencyKey('"a"b"')).toBe('"a"b"');
  });

  it('refuses empty, too long, non-printable or repeated keys with one stable code', () => {
    expect(invalid('')).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(invalid('""')).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(invalid('x'.repeat(256))).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(invalid('tab\there')).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(invalid('clé')).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(invalid('\u0000')).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(invalid(['a', 'b'])).toBe('IDEMPOTENCY_KEY_INVALID');
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson([2, 1])).toBe('[2,1]');
  });

  it('encodes no body as the empty string, distinct from null or an empty object', () => {
    expect(canonicalJson(undefined)).toBe('');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson({})).toBe('{}');
  });
});

describe('fingerprintOf and scopeOf', () => {
  it('gives the same fingerprint to the same body whatever its key order', () => {
    const first = request({ body: { article: { title: 't', body: 'b' } } });
    const second = request({ body: { article: { body: 'b', title: 't' } } });
    expect(fingerprintOf(first)).toBe(fingerprintOf(second));
  });

  it('changes the fingerprint with the body, the method or the query', () => {
    const base = fingerprintOf(request());
    expect(fingerprintOf(request({ body: { report: { format: 'pdf' } } }))).not.toBe(base);
    expect(fingerprintOf(request({ method: 'PUT' }))).not.toBe(base);
    expect(fingerprintOf(request({ url: '/api/v1/reports?x=1' }))).not.toBe(base);
    expect(fingerprintOf(request({ body: undefined }))).not.toBe(fingerprintOf(request({ body: null })));
  });

  it('scopes a key to its caller, method and path, never to the body', () => {
    const base = scopeOf(request());
    expect(scopeOf(request({ body: { other: true } }))).toBe(base);
    expect(scopeOf(request({ caller: 'user:2' }))).not.toBe(base);
    expect(scopeOf(request({ caller: 'ip:127.0.0.1' }))).not.toBe(base);
    expect(scopeOf(request({ method: 'PUT' }))).not.toBe(base);
    expect(scopeOf(request({ path: '/api/v1/notifications/read-all' }))).not.toBe(base);
    expect(scopeOf(request({ key: 'k-2' }))).not.toBe(base);
    // No separator trick makes two callers' scopes meet.
    expect(scopeOf(request({ caller: 'user:1', key: 'a' }))).not.toBe(scopeOf(request({ caller: 'user:', key: '1a' })));
    expect(base).toMatch(/^[\w-]{43}$/);
  });
});
