import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
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
