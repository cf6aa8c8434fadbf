import { Type } from 'class-transformer';
import { IsEmail, IsString, MinLength, ValidateNested } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { ValidationFailedError } from './app-error.js';
import { createValidationPipe } from './validation.pipe.js';

class Inner {
  @IsEmail()
  email: string;

  @IsString()
  @MinLength(3)
  name: string;
}

class Outer {
  @ValidateNested()
  @Type(() => Inner)
  user: Inner;
}

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const run = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Outer });

  it('returns a transformed instance for a valid body', async () => {
    const result = await run({ user: { email: 'a@b.co', name: 'abc' } });
    expect(result).toBeInstanceOf(Outer);
    expect(result.user).toBeInstanceOf(Inner);
  });

  it('throws one ValidationFailedError with dotted field paths, unknown fields included', async () => {
    const error = await run({ user: { email: 'nope', name: 'x', admin: true } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect((error as ValidationFailedError).errors).toEqual(
      expect.arrayContaining([
        { field: 'user.email', message: 'email must be an email' },
        { field: 'user.name', message: 'name must be longer than or equal to 3 characters' },
        { field: 'user.admin', message: 'property admin should not exist' },
      ]),
    );
  });
});
