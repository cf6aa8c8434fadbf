import { QueryRunnerAlreadyReleasedError } from 'typeorm';
import { DatabaseTimeoutError, DatabaseUnavailableError, type AppError } from '../http/app-error.js';

/**
 * SQLSTATEs that say "the server cannot do this now", not "this request is wrong": a retry after a
 * restart or failover can succeed. Class 08 (connection exception) is matched by prefix.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: the server is stopping (restart, failover)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
  '25006', // read_only_sql_transaction: a write reached a server that is (now) a standby
]);
const TIMEOUT_SQLSTATES = new Set(['57014']); // query_canceled, raised by statement_timeout

/** Socket-level failures node-postgres passes through with the system error code. */
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * node-postgres and pg-pool errors that carry no code, recognised by their fixed messages (pg 8): a pool
 * that waited `connectionTimeoutMillis` for a free connection; a connection the server closed; a client
 * or pool no longer usable.
 */
const TIMEOUT_MESSAGES = [/^timeout exceeded when trying to connect$/i];
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/i,
  /is not queryable$/i,
  /^Cannot use a pool after calling end on the pool$/i,
  /^Driver not Connected$/i,
];

const MAX_DEPTH = 5;

/**
 * The 503 an error stands for when it means "the database is unreachable or overloaded", else undefined.
 * TypeORM wraps query errors in QueryFailedError (the pg error is its `driverError`) but lets connection
 * errors from the pool through bare; both, and `cause` chains, are looked through.
 */
export function databaseUnavailability(error: unknown): AppError | undefined {
  const kind = classify(error, 0);
  if (kind === 'statement-timeout' || kind === 'pool-timeout') return new DatabaseTimeoutError(error);
  if (kind === 'unavailable') return new DatabaseUnavailableError(error);
  return undefined;
}

/**
 * True when the server could not be reached or gave no connection in time: a read sent to a replica is
 * then worth retrying on the primary. A statement cut by `statement_timeout` is not (it would be as slow there).
 */
export function isConnectionFailure(error: unknown): boolean {
  const kind = classify(error, 0);
  return kind === 'unavailable' || kind === 'pool-timeout';
}

type Failure = 'statement-timeout' | 'pool-timeout' | 'unavailable';

function classify(error: unknown, depth: number): Failure | undefined {
  if (depth > MAX_DEPTH || typeof error !== 'object' || error === null) return undefined;
  const { code, message, driverError, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string') {
    if (TIMEOUT_SQLSTATES.has(code)) return 'statement-timeout';
    if (UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || UNAVAILABLE_ERRNOS.has(code)) {
      return 'unavailable';
    }
  }
  // TypeORM releases a query runner as soon as its connection emits an error (on restart the server ends an
  // idle-in-transaction session with 57P01); the transaction then fails on its next statement or its COMMIT
  // with this error instead. The COMMIT was never sent, so nothing was written: retryable. (Only TypeORM
  // itself releases query runners in this code base, so this is not a bug being hidden.)
  if (error instanceof QueryRunnerAlreadyReleasedError) return 'unavailable';
  if (typeof message === 'string' && error instanceof Error) {
    if (TIMEOUT_MESSAGES.some((pattern) => pattern.test(message))) return 'pool-timeout';
    if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return 'unavailable';
  }
  for (const inner of [driverError, cause, ...(Array.isArray(errors) ? errors : [])]) {
    const found = inner === error ? undefined : classify(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}
