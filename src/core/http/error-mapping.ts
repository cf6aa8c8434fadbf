import { HttpException, HttpStatus } from '@nestjs/common';
import {
  AppError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  InternalError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationFailedError,
  type ErrorKind,
} from './app-error.js';

/** The only place an error kind becomes an HTTP status. Exhaustive: a new kind fails to compile. */
export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  bad_request: HttpStatus.BAD_REQUEST,
  validation: HttpStatus.UNPROCESSABLE_ENTITY,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  unsupported_media_type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
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
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  unavailable: 'Service unavailable',
  internal: 'Internal server error',
};

export class RateLimitedError extends AppError {
  readonly kind = 'rate_limited';
  readonly code = 'RATE_LIMITED';
}

const FASTIFY_BODY_ERRORS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty but its content-type is application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The request content-length does not match its body',
};

/**
 * Turns anything thrown into an AppError. Known framework errors (Nest HttpExceptions, Fastify body
 * parser errors) keep their meaning; everything else becomes an opaque InternalError.
 * Returns `unexpected: true` when the original must be logged.
 */
export function toAppError(exception: unknown): { error: AppError; unexpected: boolean } {
  if (exception instanceof AppError) return { error: exception, unexpected: exception.kind === 'internal' };
  if (exception instanceof HttpException) {
    const mapped = fromHttpException(exception);
    if (mapped) return { error: mapped, unexpected: false };
  }
  if (exception instanceof SyntaxError && 'statusCode' in exception && exception.statusCode === 400) {
    return {
      error: new BadRequestError('MALFORMED_JSON', FASTIFY_BODY_ERRORS.FST_ERR_CTP_INVALID_JSON_BODY),
      unexpected: false,
    };
  }
  return { error: new InternalError(), unexpected: true };
}

function fromHttpException(exception: HttpException): AppError | undefined {
  const status = exception.getStatus();
  const cause = exception.cause as { code?: string } | undefined;
  const fastifyCode = typeof cause?.code === 'string' ? cause.code : undefined;
  if (fastifyCode && FASTIFY_BODY_ERRORS[fastifyCode]) {
    return new BadRequestError('MALFORMED_JSON', FASTIFY_BODY_ERRORS[fastifyCode]);
  }
  if (cause instanceof SyntaxError)
    return new BadRequestError('MALFORMED_JSON', FASTIFY_BODY_ERRORS.FST_ERR_CTP_INVALID_JSON_BODY);
  switch (status) {
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
      return new PayloadTooLargeError('The request body is larger than the server accepts');
    case 415:
      return new UnsupportedMediaTypeError('The request content-type is not supported; send application/json');
    case 422:
      return new ValidationFailedError([]);
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
