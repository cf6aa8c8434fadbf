import { describe, expect, it } from 'vitest';
import { describeStartupFailure } from './startup-failure.js';

const errno = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe('describeStartupFailure', () => {
  it('names the address and the variable to check for a refused connection, even inside an AggregateError', () => {
    const refused = errno('connect ECONNREFUSED 127.0.0.1:5432', {
      code: 'ECONNREFUSED',
      address: '127.0.0.1',
      port: 5432,
    });
    expect(describeStartupFailure(new AggregateError([refused], ''))).toBe(
      'cannot connect to 127.0.0.1:5432 (connection refused): is it running? Check DATABASE_URL and REDIS_URL.',
    );
  });

  it('explains a taken port and PostgreSQL credential and database errors', () => {
    expect(
      describeStartupFailure(errno('listen EADDRINUSE', { code: 'EADDRINUSE', address: '0.0.0.0', port: 3000 })),
    ).toBe('0.0.0.0:3000 is already in use: stop the other process or set PORT.');
    expect(describeStartupFailure(errno('database "nope" does not exist', { code: '3D000' }))).toBe(
      'database "nope" does not exist: create it, or point DATABASE_URL at an existing database.',
    );
    expect(describeStartupFailure(errno('password authentication failed for user "x"', { code: '28P01' }))).toMatch(
      /^PostgreSQL refused the credentials in DATABASE_URL/,
    );
  });

  it('keeps the first line of anything else', () => {
    expect(describeStartupFailure(new Error('embedded PostgreSQL did not start\n  at stack'))).toBe(
      'embedded PostgreSQL did not start',
    );
  });
});
