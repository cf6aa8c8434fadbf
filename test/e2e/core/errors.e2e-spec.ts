import { Controller, Get, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../../../src/app.module.js';
import { Public } from '../../../src/core/auth/auth.decorators.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

@Controller()
@Public()
class ExplodingController {
  @Get('api/v1/test-explode')
  explodeVersioned(): never {
    throw new TypeError('relation "secret_table" does not exist at UsersRepository.findSecret');
  }

  @Get('api/test-explode')
  explodeRealWorld(): never {
    throw new Error('SELECT password_hash FROM users -- internal');
  }
}

@Module({ imports: [AppModule], controllers: [ExplodingController] })
class ErrorsTestModule {}

const LEAKS = /secret_table|UsersRepository|password_hash|SELECT|TypeError|at \w+\.|\.ts:/;

describe('errors: one shape, no internals', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(ErrorsTestModule);
  });
  afterAll(async () => {
    await t.close();
  });

  it('renders an unexpected exception as problem+json 500 without internals', async () => {
    const response = await t.request({
      method: 'GET',
      url: '/api/v1/test-explode',
      headers: { 'x-request-id': 'req-500-a' },
    });
    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toEqual({
      type: 'https://folio.dev/problems/internal-error',
      title: 'Internal server error',
      status: 500,
      code: 'INTERNAL_ERROR',
      detail: 'An unexpected error occurred',
      errors: [],
      requestId: 'req-500-a',
    });
    expect(response.text).not.toMatch(LEAKS);
  });

  it('renders an unexpected exception on a RealWorld route in the RealWorld shape', async () => {
    const response = await t.request({ method: 'GET', url: '/api/test-explode' });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      errors: { body: ['An unexpected error occurred'] },
      code: 'INTERNAL_ERROR',
      requestId: expect.any(String),
    });
    expect(response.text).not.toMatch(LEAKS);
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/users',
      payload: '{"user": {"email": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      errors: { body: ['The request body is not valid JSON'] },
      code: 'MALFORMED_JSON',
      requestId: expect.any(String),
    });
  });

  it('answers an oversized body with 413 and stores nothing', async () => {
    const bio = 'x'.repeat(1_200_000);
    const response = await t.request({
      method: 'POST',
      url: '/api/users',
      body: { user: { username: 'huge_body', email: 'huge@example.com', password: 'password123', bio } },
    });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
    const [{ count }] = await t.dataSource.query(
      "SELECT count(*)::int AS count FROM users WHERE username = 'huge_body'",
    );
    expect(count).toBe(0);
  });

  it('answers an unsupported content-type with 415', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/users',
      payload: '<user/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an unknown route with 404 in the shape of its area', async () => {
    const api = await t.request({ method: 'GET', url: '/api/nothing-here' });
    expect(api.status).toBe(404);
    expect(api.body).toMatchObject({ code: 'ROUTE_NOT_FOUND', errors: { body: ['Cannot GET /api/nothing-here'] } });
    const other = await t.request({ method: 'GET', url: '/nothing-here' });
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
  });

  it('echoes a valid x-request-id and generates one otherwise', async () => {
    const echoed = await t.request({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers['x-request-id']).toBe('abc-123');
    const generated = await t.request({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
