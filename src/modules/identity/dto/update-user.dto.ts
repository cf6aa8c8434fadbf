import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsEmail,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { USERNAME_PATTERN } from './register-user.dto.js';

/** Every field is optional; `bio` and `image` may be set to null to clear them. */
export class UpdateUserFieldsDto {
  @IsOptional()
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an email' })
  @MaxLength(254)
  email?: string;

  @IsOptional()
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MinLength(1, { message: "username can't be blank" })
  @MaxLength(40)
  @Matches(USERNAME_PATTERN, { message: 'username may contain only letters, digits, "_", "." and "-"' })
  username?: string;

  /** A new password. Tokens issued before the change stay valid until they expire (see README). */
  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'password must be at least 8 characters' })
  @MaxLength(128)
  password?: string;

  @ValidateIf((_object, value) => value !== null && value !== undefined)
  @IsString()
  @MaxLength(2000)
  bio?: string | null;

  /** URL of the avatar image. */
  @ValidateIf((_object, value) => value !== null && value !== undefined && value !== '')
  @IsString()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'image must be an http(s) URL' })
  @MaxLength(2048)
  image?: string | null;
}

export class UpdateUserDto {
  @IsDefined({ message: 'user is required' })
  @ValidateNested()
  @Type(() => UpdateUserFieldsDto)
  user: UpdateUserFieldsDto;
}
