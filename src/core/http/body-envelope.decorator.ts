import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDefined, ValidateBy, ValidateNested } from 'class-validator';

/**
 * The RealWorld envelope of a request body (`{"user": {...}}`, `{"article": {...}}`): present, a JSON
 * object (an array or a scalar there is a field error, not a silently empty update) and valid itself.
 * One message per problem: "user is required" when absent, "user must be an object" otherwise.
 */
export function BodyEnvelope(name: string, type: () => new () => object): PropertyDecorator {
  return applyDecorators(
    IsDefined({ message: `${name} is required` }),
    // ValidateNested rejects scalars (with this message) but accepts arrays, validating their items.
    ValidateBy(
      { name: 'isNotArray', validator: { validate: (value: unknown) => !Array.isArray(value) } },
      {
        message: `${name} must be an object`,
      },
    ),
    ValidateNested({ message: `${name} must be an object` }),
    Type(type),
  );
}
