import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ValidationFailedError, type FieldError } from './app-error.js';

/** Flattens class-validator's tree into `{ field: 'user.email', message: 'email must be an email' }`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Text PostgreSQL cannot store as sent: it rejects NUL in `text`, and a lone UTF-16 surrogate would be
 * silently stored as U+FFFD. Checked on every string of every body, query and path parameter, so no
 * route can forget it. Nesting is bounded by the JSON depth limit (json-body.ts).
 */
export function findUnstorableText(value: unknown, field: string): FieldError[] {
  if (typeof value === 'string') {
    const name = field || 'value';
    if (value.includes('\0')) return [{ field: name, message: `${name} must not contain NUL characters` }];
    if (!value.isWellFormed()) return [{ field: name, message: `${name} must be well-formed Unicode text` }];
    return [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => findUnstorableText(item, `${field}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => findUnstorableText(item, field ? `${field}.${key}` : key));
  }
  return [];
}

/** Global pipe: strips nothing silently (unknown fields are an error), converts types, speaks AppError. */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const errors = findUnstorableText(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
      if (errors.length > 0) throw new ValidationFailedError(errors);
    }
    return super.transform(value, metadata);
  }

  // Nest would turn a `number` path or query parameter into `+value` ("1e3" -> 1000, "0x10" -> 16) before
  // the route's own pipe sees it; parameters stay as sent and the route's pipe (ParseIdPipe) parses them.
  protected override transformPrimitive(value: unknown): unknown {
    return value;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(flattenValidationErrors(errors)),
  });
}
