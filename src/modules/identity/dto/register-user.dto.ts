import { BodyEnvelope } from '../../../core/http/body-envelope.decorator.js';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Trim, TrimLowerCase } from '../../../core/http/transforms.js';

export class NewUserDto {
  /**
   * Letters, digits, `_`, `.` and `-`; unique regardless of case.
   * @example jake
   */
  @IsString()
  @Trim()
  @MinLength(1, { message: "username can't be blank" })
  @MaxLength(40)
  @Matches(/^[A-Za-z0-9_.-]+$/, { message: 'username may contain only letters, digits, "_", "." and "-"' })
  username: string;

  /**
   * Unique regardless of case; stored lower-cased.
   * @example jake@example.com
   */
  @IsString()
  @TrimLowerCase()
  @IsEmail({}, { message: 'email must be an email' })
  @MaxLength(254)
  email: string;

  /** @example correct-horse-battery */
  @IsString()
  @MinLength(8, { message: 'password must be at least 8 characters' })
  @MaxLength(128)
  password: string;
}

export class RegisterUserDto {
  @BodyEnvelope('user', () => NewUserDto)
  user: NewUserDto;
}
