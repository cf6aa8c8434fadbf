import type { OpenAPIObject } from '@nestjs/swagger';
import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_EXEMPT_EXTENSION } from './idempotency.decorator.js';
import { documentIdempotency, IDEMPOTENCY_KEY_PARAMETER } from './idempotency.openapi.js';

const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } };
const rateLimited = { 'RateLimit-Limit': { $ref: '#/components/headers/RateLimit-Limit' } };

/** An operation as documentErrorResponses() leaves it: a 400 in the path's error shape, with rate-limit headers. */
const write = (extra: Record<string, unknown> = {}) => ({
  responses: {
    '201': { description: 'Created' },
    '400': { description: 'Malformed request', content: problem, headers: rateLimited },
  },
  ...extra,
});

function documentOf(paths: Record<string, Record<string, unknown>>): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths,
    components: { headers: { 'Retry-After': { schema: { type: 'integer' } } } },
  } as OpenAPIObject;
}

describe('documentIdempotency', () => {
  it('adds the optional header, Idempotent-Replayed on successes, and the 409 and 422 in the error shape', () => {
    const document = documentIdempotency(documentOf({ '/api/v1/reports': { post: write() } }));
    const operation = document.paths['/api/v1/reports']!.post!;
    expect(operation.parameters).toEqual([IDEMPOTENCY_KEY_PARAMETER]);
    expect(IDEMPOTENCY_KEY_PARAMETER).toMatchObject({ name: 'Idempotency-Key', in: 'header', required: false });
    const responses = operation.responses as Record<string, any>;
    expect(responses['201'].headers['Idempotent-Replayed']).toEqual({
      $ref: '#/components/headers/Idempotent-Replayed',
    });
    expect(responses['400'].description).toContain('IDEMPOTENCY_KEY_INVALID');
    expect(responses['409']).toMatchObject({
      content: problem,
      description: expect.stringContaining('IDEMPOTENCY_KEY_IN_USE'),
    });
    expect(responses['409'].headers).toEqual({
      ...rateLimited,
      'Retry-After': { $ref: '#/components/headers/Retry-After' },
    });
    expect(responses['422']).toMatchObject({
      content: problem,
      description: expect.stringContaining('IDEMPOTENCY_KEY_REUSED'),
    });
    expect(document.components?.headers?.['Idempotent-Replayed']).toBeDefined();
    expect(document.components?.headers?.['Retry-After']).toBeDefined();
  });

  it("extends an operation's own 409 and 422 rather than replacing them", () => {
    const operation = write();
    Object.assign(operation.responses, {
      '409': { description: 'Too many reports (`REPORT_LIMIT_REACHED`)', content: problem },
      '422': { description: 'The request is not valid', content: problem },
    });
    const document = documentIdempotency(documentOf({ '/api/v1/reports': { post: operation } }));
    const responses = document.paths['/api/v1/reports']!.post!.responses as Record<string, any>;
    expect(responses['409'].description).toMatch(/^Too many reports .*; or a request with the same `Idempotency-Key`/);
    expect(responses['409'].headers['Retry-After']).toBeDefined();
    expect(responses['422'].description).toMatch(/^The request is not valid; or the `Idempotency-Key`/);
  });

  it('leaves reads, other RealWorld writes and opted-out operations alone, and drops the opt-out marker', () => {
    const document = documentIdempotency(
      documentOf({
        '/api/v1/reports': { get: write() },
        '/api/articles/{slug}': { put: write() },
        '/api/articles': { post: write(), get: write() },
        '/api/v1/hooks': { post: write({ [IDEMPOTENCY_EXEMPT_EXTENSION]: true }) },
      }),
    );
    expect(document.paths['/api/v1/reports']!.get!.parameters).toBeUndefined();
    expect(document.paths['/api/articles/{slug}']!.put!.parameters).toBeUndefined();
    expect(document.paths['/api/articles']!.get!.parameters).toBeUndefined();
    expect(document.paths['/api/articles']!.post!.parameters).toEqual([IDEMPOTENCY_KEY_PARAMETER]);
    const exempt = document.paths['/api/v1/hooks']!.post! as unknown as Record<string, unknown>;
    expect(exempt.parameters).toBeUndefined();
    expect(exempt[IDEMPOTENCY_EXEMPT_EXTENSION]).toBeUndefined();
    expect((exempt.responses as Record<string, unknown>)['409']).toBeUndefined();
  });
});
