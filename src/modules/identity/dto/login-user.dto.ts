import { BodyEnvelope } from '../../../core/http/body-envelope.decorator.js';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { TrimLowerCase } from '../../../core/http/transforms.js';

export class LoginCredentialsDto {
  /** @example jake@example.com */
  @IsString()
  @TrimLowerCase()
  @IsNotEmpty({ message: "email can't be blank" })
  @MaxLength(254)
  email: string;

  /** @example correct-horse-battery */
  @IsString()
  @IsNotEmpty({ message: "password can't be blank" })
  @MaxLength(128)
  password: string;
}

export class LoginUserDto {
  @BodyEnvelope('user', () => LoginCredentialsDto)
  user: LoginCredentialsDto;
}
