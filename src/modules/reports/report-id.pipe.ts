import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from '../../core/http/app-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const REPORT_ID_SCHEMA = { type: 'string', format: 'uuid' } as const;

/** A report id from the path: a malformed one is 422, as ParseIdPipe answers for integer ids. */
@Injectable()
export class ParseReportIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (UUID.test(value)) return value.toLowerCase();
    const field = metadata.data ?? 'id';
    throw new ValidationFailedError([{ field, message: `${field} must be a UUID` }]);
  }
}
