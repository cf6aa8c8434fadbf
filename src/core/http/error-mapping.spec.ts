import { BadRequestException, HttpException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { ConflictError } from './app-error.js';
import { STATUS_BY_KIND, toAppError } from './error-mapping.js';

describe('toAppError', () => {
  it('passes AppErrors through as expected errors', () => {
    const error = new ConflictError('EMAIL_TAKEN', 'taken');
    expect(toAppError(error)).toEqual({ error, unexpected: false });
  });

  it('maps framework HTTP exceptions by status', () => {
    expect(toAppError(new NotFoundException('Cannot GET /x')).error).toMatchObject({
      code: 'ROUTE_NOT_FOUND',
      message: 'Cannot GET /x',
    });
    expect(toAppError(new PayloadTooLargeException()).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(toAppError(new HttpException('slow down', 429)).error.code).toBe('RATE_LIMITED');
  });

  it('recognises Fastify body-parser errors carried as the cause', () => {
    const cause = Object.assign(new Error('Unexpected end of JSON input'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
    const { error } = toAppError(new BadRequestException('bad', { cause }));
    expect(error).toMatchObject({ code: 'MALFORMED_JSON', message: 'The request body is not valid JSON' });
  });

  it('hides anything else behind INTERNAL_ERROR and flags it for logging', () => {
    const { error, unexpected } = toAppError(new Error('connect ECONNREFUSED 10.0.0.5:5432'));
    expect(unexpected).toBe(true);
    expect(error).toMatchObject({ kind: 'internal', code: 'INTERNAL_ERROR', message: 'An unexpected error occurred' });
    expect(STATUS_BY_KIND[error.kind]).toBe(500);
  });

  it('does not echo arbitrary 404 messages', () => {
    expect(toAppError(new NotFoundException('row 42 missing in table users')).error.message).toBe(
      'No route matches this request',
    );
  });
});
