import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const SKIP_IDEMPOTENCY = 'folio:idempotency:skip';
/** Read (and removed) by the OpenAPI post-processing: the operation documents no `Idempotency-Key`. */
export const IDEMPOTENCY_EXEMPT_EXTENSION = 'x-idempotency-exempt';

/**
 * Opts a versioned write out of `Idempotency-Key` handling, which otherwise applies to every POST, PUT, PATCH
 * and DELETE under `/api/v1` (docs/idempotency.md). For a route whose answer must never be stored or replayed;
 * a route that is idempotent by nature does not need it (a replay is then merely redundant).
 */
export function SkipIdempotency(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(SKIP_IDEMPOTENCY, true), ApiExtension(IDEMPOTENCY_EXEMPT_EXTENSION, true));
}
