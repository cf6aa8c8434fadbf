/** What went wrong, independent of transport. The filter maps each kind to exactly one HTTP status. */
export type ErrorKind =
  | 'bad_request'
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'uri_too_long'
  | 'unsupported_media_type'
  | 'header_too_large'
  | 'request_timeout'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface FieldError {
  /** Dotted path of the offending field, e.g. `user.email`. */
  field: string;
  message: string;
}

/**
 * Base of every error Folio raises on purpose. Services and policies throw these (never
 * HttpException) so that the same code can run from an HTTP request or a queued job.
 */
export abstract class AppError extends Error {
  abstract readonly kind: ErrorKind;
  /** Stable, documented, SCREAMING_SNAKE code that clients may branch on. */
  abstract readonly code: string;
  /** Seconds a client should wait before retrying; sent as `Retry-After` when set (503, 429). */
  readonly retryAfterSeconds?: number;

  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailedError extends AppError {
  readonly kind = 'validation';
  readonly code: string = 'VALIDATION_FAILED';
  constructor(errors: FieldError[], message = 'The request is not valid') {
    super(message, errors);
  }
}

export class BadRequestError extends AppError {
  readonly kind = 'bad_request';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class UnauthorizedError extends AppError {
  readonly kind = 'unauthorized';
  constructor(
    readonly code = 'UNAUTHORIZED',
    message = 'Authentication is required',
  ) {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  readonly kind = 'forbidden';
  constructor(
    readonly code = 'FORBIDDEN',
    message = 'You are not allowed to do this',
  ) {
    super(message);
  }
}

export class NotFoundError extends AppError {
  readonly kind = 'not_found';
  constructor(
    readonly code = 'NOT_FOUND',
    message = 'The resource does not exist',
  ) {
    super(message);
  }
}

export class MethodNotAllowedError extends AppError {
  readonly kind = 'method_not_allowed';
  readonly code = 'METHOD_NOT_ALLOWED';
  constructor(
    method: string,
    /** Sent back in the `Allow` header. */
    readonly allowed: string[],
  ) {
    super(`${method} is not allowed here; allowed: ${allowed.join(', ')}`);
  }
}

export class ConflictError extends AppError {
  readonly kind = 'conflict';
  constructor(
    readonly code: string,
    message: string,
    errors: FieldError[] = [],
  ) {
    super(message, errors);
  }
}

/** The resource existed and is gone for good (an expired download): 410. */
export class GoneError extends AppError {
  readonly kind = 'gone';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class PayloadTooLargeError extends AppError {
  readonly kind = 'payload_too_large';
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class UriTooLongError extends AppError {
  readonly kind = 'uri_too_long';
  readonly code = 'URI_TOO_LONG';
}

export class HeaderTooLargeError extends AppError {
  readonly kind = 'header_too_large';
  readonly code = 'HEADER_TOO_LARGE';
}

export class RequestTimeoutError extends AppError {
  readonly kind = 'request_timeout';
  readonly code = 'REQUEST_TIMEOUT';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly kind = 'unsupported_media_type';
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

export class RateLimitedError extends AppError {
  readonly kind = 'rate_limited';
  readonly code = 'RATE_LIMITED';
}

export class ServiceUnavailableError extends AppError {
  readonly kind = 'unavailable';
  readonly code = 'SERVICE_UNAVAILABLE';
}

/**
 * PostgreSQL cannot be reached or refused the work (restart, failover, connection lost, too many
 * connections). Nothing about the server leaves the process: the driver error is kept as `cause` for the log.
 */
export class DatabaseUnavailableError extends AppError {
  readonly kind = 'unavailable';
  readonly code = 'DATABASE_UNAVAILABLE';
  override readonly retryAfterSeconds = 2;
  constructor(cause?: unknown) {
    super('The database is temporarily unavailable; retry shortly');
    this.cause = cause;
  }
}

/** No pooled connection became free in time, or PostgreSQL cancelled a statement at `statement_timeout`. */
export class DatabaseTimeoutError extends AppError {
  readonly kind = 'unavailable';
  readonly code = 'DATABASE_TIMEOUT';
  override readonly retryAfterSeconds = 1;
  constructor(cause?: unknown) {
    super('The database is too busy to answer in time; retry shortly');
    this.cause = cause;
  }
}

export class InternalError extends AppError {
  readonly kind = 'internal';
  readonly code = 'INTERNAL_ERROR';
  constructor() {
    super('An unexpected error occurred');
  }
}
