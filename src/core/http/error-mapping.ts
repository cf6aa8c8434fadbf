import { HttpException, HttpStatus } from '@nestjs/common';
import {
  AppError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  HeaderTooLargeError,
  InternalError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  UriTooLongError,
  ValidationFailedError,
  type ErrorKind,
} from './app-error.js';
import { databaseUnavailability } from '../database/database-errors.js';

/** The only place an error kind becomes an HTTP status. Exhaustive: a new kind fails to compile. */
export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  bad_request: HttpStatus.BAD_REQUEST,
  validation: HttpStatus.UNPROCESSABLE_ENTITY,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  method_not_allowed: HttpStatus.METHOD_NOT_ALLOWED,
  conflict: HttpStatus.CONFLICT,
  gone: HttpStatus.GONE,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  uri_too_long: HttpStatus.URI_TOO_LONG,
  unsupported_media_type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  header_too_large: 431,
  request_timeout: HttpStatus.REQUEST_TIMEOUT,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  internal: HttpStatus.INTERNAL_SERVER_ERROR,
};

export const TITLE_BY_KIND: Record<ErrorKind, string> = {
  bad_request: 'Bad request',
  validation: 'Validation failed',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  gone: 'Gone',
  payload_too_large: 'Payload too large',
  uri_too_long: 'URI too long',
  unsupported_media_type: 'Unsupported media type',
  header_too_large: 'Request header fields too large',
  request_timeout: 'Request timeout',
  rate_limited: 'Too many requests',
  unavailable: 'Service unavailable',
  internal: 'Internal server error',
};

const malformedJson = () => new BadRequestError('MALFORMED_JSON', 'The request body is not valid JSON');

/**
 * Fastify's own errors by code: raised before a route handler runs (router, content-type parsing), they
 * reach the filter wrapped in an HttpException by Nest, or bare through `frameworkErrors`.
 */
const FASTIFY_ERRORS: Record<string, () => AppError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: malformedJson,
  FST_ERR_CTP_EMPTY_JSON_BODY: malformedJson,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new BadRequestError('MALFORMED_BODY', 'The request content-length does not match its body'),
  FST_ERR_CTP_BODY_TOO_LARGE: () => new PayloadTooLargeError('The request body is larger than the server accepts'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: unsupportedMediaType,
  FST_ERR_BAD_URL: () => new BadRequestError('MALFORMED_URL', 'The URL is not validly percent-encoded UTF-8'),
  FST_ERR_MAX_PARAM_LENGTH: () => new UriTooLongError('A path segment of the URL is longer than the server accepts'),
};

export function unsupportedMediaType(): AppError {
  return new UnsupportedMediaTypeError('The request content-type is not supported; send application/json');
}

/**
 * Turns anything thrown into an AppError. Known framework errors (Nest HttpExceptions, Fastify router and
 * body-parser errors) keep their meaning; database outages become 503 (`database-errors.ts`); everything else
 * becomes an opaque InternalError.
 * Returns `unexpected: true` when the original must be logged.
 */
export function toAppError(exception: unknown): { error: AppError; unexpected: boolean } {
  if (exception instanceof AppError) return { error: exception, unexpected: exception.kind === 'internal' };
  // A restart, failover or exhausted pool is the service being unavailable, not a bug: 503 with Retry-After.
  const database = databaseUnavailability(exception);
  if (database) return { error: database, unexpected: false };
  const fastify = fromFastifyError(exception);
  if (fastify) return { error: fastify, unexpected: false };
  if (exception instanceof HttpException) {
    const mapped = fromFastifyError(exception.cause) ?? fromHttpException(exception);
    if (mapped) return { error: mapped, unexpected: false };
  }
  return { error: new InternalError(), unexpected: true };
}

function fromFastifyError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && FASTIFY_ERRORS[code]) return FASTIFY_ERRORS[code]();
  if (error instanceof SyntaxError) return malformedJson();
  return undefined;
}

function fromHttpException(exception: HttpException): AppError | undefined {
  switch (exception.getStatus()) {
    case 400:
      return new BadRequestError('BAD_REQUEST', 'The request could not be understood');
    case 401:
      return new UnauthorizedError();
    case 403:
      return new ForbiddenError();
    case 404:
      return new NotFoundError('ROUTE_NOT_FOUND', safeMessage(exception, 'No route matches this request'));
    case 405:
      return new NotFoundError('ROUTE_NOT_FOUND', 'No route matches this method and path');
    case 409:
      return new ConflictError('CONFLICT', 'The request conflicts with the current state');
    case 413:
      return FASTIFY_ERRORS.FST_ERR_CTP_BODY_TOO_LARGE();
    case 414:
      return FASTIFY_ERRORS.FST_ERR_MAX_PARAM_LENGTH();
    case 415:
      return unsupportedMediaType();
    case 422:
      return new ValidationFailedError([]);
    case 431:
      return new HeaderTooLargeError('The request headers are larger than the server accepts');
    case 429:
      return new RateLimitedError('Too many requests; slow down and retry later');
    case 503:
      return new ServiceUnavailableError('The service is temporarily unavailable');
    default:
      return undefined;
  }
}

// Route-not-found messages from Nest are "Cannot GET /path": only what the client sent.
function safeMessage(exception: HttpException, fallback: string): string {
  const message = exception.message;
  return /^Cannot [A-Z]+ \S+$/.test(message) ? message : fallback;
}
