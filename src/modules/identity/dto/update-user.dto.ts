import { BodyEnvelope } from '../../../core/http/body-envelope.decorator.js';
import { PartialType } from '@nestjs/swagger';
import { IsString, IsUrl, MaxLength, ValidateIf } from 'class-validator';
import { NewUserDto } from './register-user.dto.js';

/**
 * Every field is optional; `bio` and `image` may be set to null to clear them. A new password ends the
 * user's other sessions (their tokens stop at once); a new email changes once the link mailed to it is opened.
 */
export class UpdateUserFieldsDto extends PartialType(NewUserDto, { skipNullProperties: false }) {
  /** @example "I work at statefarm" */
  @ValidateIf((_object, value) => value !== null && value !== undefined)
  @IsString()
  @MaxLength(2000)
  bio?: string | null;

  /**
   * URL of the avatar image.
   * @example https://example.com/avatars/jake.png
   */
  @ValidateIf((_object, value) => value !== null && value !== undefined && value !== '')
  @IsString()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'image must be an http(s) URL' })
  @MaxLength(2048)
  image?: string | null;
}

export class UpdateUserDto {
  @BodyEnvelope('user', () => UpdateUserFieldsDto)
  user: UpdateUserFieldsDto;
}
