import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationFailedError } from './app-error.js';
import { errorFormatFor, renderProblem, renderRealWorld } from './error-renderers.js';

describe('error renderers', () => {
  it('chooses RealWorld for /api routes and problem+json for versioned and other routes', () => {
    expect(errorFormatFor('/api/users')).toBe('realworld');
    expect(errorFormatFor('/api?x=1')).toBe('realworld');
    expect(errorFormatFor('/api/v1/reports')).toBe('problem');
    expect(errorFormatFor('/apiary')).toBe('problem');
    expect(errorFormatFor('/health/ready')).toBe('problem');
  });

  it('renders field errors as RealWorld body messages', () => {
    const error = new ValidationFailedError([{ field: 'user.email', message: 'email must be an email' }]);
    expect(renderRealWorld(error, 'r1')).toEqual({
      status: 422,
      contentType: 'application/json; charset=utf-8',
      body: { errors: { body: ['email must be an email'] }, code: 'VALIDATION_FAILED', requestId: 'r1' },
    });
  });

  it('renders problem details with a type derived from the code', () => {
    const rendered = renderProblem(new NotFoundError('ARTICLE_NOT_FOUND', 'article not found'), 'r2');
    expect(rendered.body).toEqual({
      type: 'https://folio.dev/problems/article-not-found',
      title: 'Not found',
      status: 404,
      code: 'ARTICLE_NOT_FOUND',
      detail: 'article not found',
      errors: [],
      requestId: 'r2',
    });
  });
});
