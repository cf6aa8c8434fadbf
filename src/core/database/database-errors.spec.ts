import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { toAppError } from '../http/error-mapping.js';
import { databaseUnavailability, isConnectionFailure } from './database-errors.js';

function pgError(code: string, message = 'server said no'): Error {
  return Object.assign(new Error(message), { code });
}

function wrapped(driverError: Error): QueryFailedError {
  return new QueryFailedError('INSERT INTO articles VALUES ($1)', ['secret'], driverError);
}

describe('databaseUnavailability', () => {
  it.each([
    ['57P01', 'admin_shutdown'],
    ['57P02', 'crash_shutdown'],
    ['57P03', 'cannot_connect_now'],
    ['53300', 'too_many_connections'],
    ['08006', 'connection_failure'],
    ['08001', 'sqlclient_unable_to_establish_sqlconnection'],
    ['25006', 'read_only_sql_transaction'],
  ])('maps SQLSTATE %s (%s), bare or wrapped by TypeORM, to 503 DATABASE_UNAVAILABLE', (code) => {
    for (const error of [pgError(code), wrapped(pgError(code))]) {
      expect(databaseUnavailability(error)).toMatchObject({
        kind: 'unavailable',
        code: 'DATABASE_UNAVAILABLE',
        retryAfterSeconds: 2,
      });
    }
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'])('maps socket error %s', (code) => {
    expect(databaseUnavailability(pgError(code, `connect ${code} 10.0.0.5:5432`))?.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('maps node-postgres connection messages and a query runner released by a connection error', () => {
    for (const error of [
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated due to connection timeout'),
      new Error('Client has encountered a connection error and is not queryable'),
      new QueryRunnerAlreadyReleasedError(),
    ]) {
      expect(databaseUnavailability(error)?.code).toBe('DATABASE_UNAVAILABLE');
    }
  });

  it('maps a pool acquisition timeout and a statement timeout to 503 DATABASE_TIMEOUT', () => {
    for (const error of [new Error('timeout exceeded when trying to connect'), wrapped(pgError('57014'))]) {
      expect(databaseUnavailability(error)).toMatchObject({ code: 'DATABASE_TIMEOUT', retryAfterSeconds: 1 });
    }
  });

  it('looks through cause chains and AggregateErrors', () => {
    const aggregate = Object.assign(new AggregateError([pgError('ECONNREFUSED'), pgError('ECONNREFUSED')]), {});
    expect(databaseUnavailability(aggregate)?.code).toBe('DATABASE_UNAVAILABLE');
    expect(databaseUnavailability(new Error('outer', { cause: pgError('57P01') }))?.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('leaves request errors and bugs alone', () => {
    for (const error of [
      wrapped(pgError('23505')),
      wrapped(pgError('42601')),
      new Error('connect ECONNREFUSED 10.0.0.5:5432'),
      new TypeError('x is undefined'),
      'Connection terminated',
      null,
    ]) {
      expect(databaseUnavailability(error)).toBeUndefined();
    }
  });

  it('says which failures are worth retrying on the primary after a replica', () => {
    expect(isConnectionFailure(pgError('ECONNREFUSED'))).toBe(true);
    expect(isConnectionFailure(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isConnectionFailure(wrapped(pgError('57014')))).toBe(false);
    expect(isConnectionFailure(wrapped(pgError('23505')))).toBe(false);
  });
});

describe('toAppError for database errors', () => {
  it('is an expected 503 whose message names neither SQL nor server', () => {
    const { error, unexpected } = toAppError(
      wrapped(pgError('57P01', 'terminating connection due to administrator command')),
    );
    expect(unexpected).toBe(false);
    expect(error.message).not.toMatch(/INSERT|secret|terminating|5432/);
    expect(error.cause).toBeInstanceOf(QueryFailedError);
  });
});
