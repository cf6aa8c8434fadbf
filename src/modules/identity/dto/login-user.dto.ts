import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsString, MaxLength, ValidateNested } from 'class-validator';
import { TrimLowerCase } from '../../../core/http/transforms.js';

export class LoginCredentialsDto {
  @IsString()
  @TrimLowerCase()
  @IsNotEmpty({ message: "email can't be blank" })
  @MaxLength(254)
  email: string;

  @IsString()
  @IsNotEmpty({ message: "password can't be blank" })
  @MaxLength(128)
  password: string;
}

export class LoginUserDto {
  @IsDefined({ message: 'user is required' })
  @ValidateNested()
  @Type(() => LoginCredentialsDto)
  user: LoginCredentialsDto;
}
