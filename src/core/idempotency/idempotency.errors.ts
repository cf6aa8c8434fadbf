import { AppError, BadRequestError, ConflictError } from '../http/app-error.js';

/** The `Idempotency-Key` header is empty, too long, not printable ASCII or sent twice: 400. */
export class IdempotencyKeyInvalidError extends BadRequestError {
  constructor(message: string) {
    super('IDEMPOTENCY_KEY_INVALID', message);
  }
}

/** The key was first used with another method, URL or body: 422, nothing is done. */
export class IdempotencyKeyReusedError extends AppError {
  readonly kind = 'validation';
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('This Idempotency-Key was already used with a different request body; use a new key for a new request');
  }
}

/** A request with the same key is still being processed: 409 with `Retry-After`, nothing is done. */
export class IdempotencyKeyInUseError extends ConflictError {
  override readonly retryAfterSeconds = 1;
  constructor() {
    super(
      'IDEMPOTENCY_KEY_IN_USE',
      'A request with this Idempotency-Key is still being processed; retry after it has been answered',
    );
  }
}
