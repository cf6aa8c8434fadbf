import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { ValidationFailedError } from './app-error.js';

/** Largest value of a PostgreSQL `integer` (serial) id. */
export const MAX_INT_ID = 2_147_483_647;

/** OpenAPI schema of an integer id path parameter, matching what ParseIdPipe accepts. */
export const ID_PARAM_SCHEMA = { type: 'integer', minimum: 1, maximum: MAX_INT_ID } as const;

/**
 * A serial id from the path: decimal digits only, 1 to 2^31-1. Nest's ParseIntPipe accepts any size,
 * and a value past the column's range would fail in PostgreSQL instead of in validation.
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: ArgumentMetadata): number {
    const id = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (id >= 1 && id <= MAX_INT_ID) return id;
    const field = metadata.data ?? 'id';
    throw new ValidationFailedError([{ field, message: `${field} must be an integer from 1 to ${MAX_INT_ID}` }]);
  }
}

/** OpenAPI schema of a UUID path parameter, matching what ParseUuidPipe accepts. */
export const UUID_PARAM_SCHEMA = { type: 'string', format: 'uuid' } as const;

/** A UUID from the path (reports, sessions, abuse reports): a malformed one is 422, as ParseIdPipe answers. */
@Injectable()
export class ParseUuidPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (isUUID(value)) return value.toLowerCase();
    const field = metadata.data ?? 'id';
    throw new ValidationFailedError([{ field, message: `${field} must be a UUID` }]);
  }
}
