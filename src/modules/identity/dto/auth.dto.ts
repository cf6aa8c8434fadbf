import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../../../core/auth/auth.types.js';
import { AuditReasonDto } from '../../../core/audit/dto/audit-reason.dto.js';
import { TrimLowerCase } from '../../../core/http/transforms.js';
import type { SessionKind } from '../session.entity.js';

export class RefreshRequestDto {
  /**
   * The refresh token from the last login or refresh (each one works once).
   * @example "q3Yb0mF7c4vJt2WcX9nA1sLkP5eR8uZ0hGdTyQwE6iO"
   */
  @IsString()
  @IsNotEmpty({ message: "refreshToken can't be blank" })
  @MaxLength(128)
  refreshToken: string;
}

export class TokenPairDto {
  /** Send as `Authorization: Bearer <accessToken>`. */
  accessToken: string;
  /** Exchange at `POST /api/v1/auth/refresh` for a new pair; single use. */
  refreshToken: string;
  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';
  /** Seconds until the access token expires. @example 900 */
  @ApiProperty({ type: 'integer' })
  expiresIn: number;
}

export class SessionDto {
  /** @example "3f1f7b8e-2f0c-4c8e-9d55-1d2c3b4a5f60" */
  id: string;
  /** `refresh`: a v1 login; `realworld`: a RealWorld login or registration. */
  @ApiProperty({ enum: ['refresh', 'realworld'] })
  kind: SessionKind;
  /** The User-Agent it was opened (or last refreshed) from. */
  @ApiProperty({ type: 'string', nullable: true })
  device: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  ip: string | null;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  /** The session of the token this request was made with. */
  current: boolean;
}

export class SessionListDto {
  /** The caller's live sessions, most recently used first. */
  sessions: SessionDto[];
}

export class PasswordResetRequestDto {
  /** @example jake@example.com */
  @IsString()
  @TrimLowerCase()
  @IsNotEmpty({ message: "email can't be blank" })
  @MaxLength(254)
  email: string;
}

export class PasswordResetConfirmDto {
  /** The token from the mailed link. @example "Jd8sK2mQ9vX4tB7nR1cW5yL0pH3gF6aZ2eU8iO4kS1q" */
  @IsString()
  @IsNotEmpty({ message: "token can't be blank" })
  @MaxLength(128)
  token: string;

  /** @example correct-horse-battery-staple */
  @IsString()
  @MinLength(8, { message: 'password must be at least 8 characters' })
  @MaxLength(128)
  password: string;
}

export class EmailChangeConfirmDto {
  /** The token from the link mailed to the new address. @example "Jd8sK2mQ9vX4tB7nR1cW5yL0pH3gF6aZ2eU8iO4kS1q" */
  @IsString()
  @IsNotEmpty({ message: "token can't be blank" })
  @MaxLength(128)
  token: string;
}

export class AcceptedDto {
  /** @example "If an account has this email, a link to reset its password is on its way." */
  message: string;
}

export class ChangeRoleDto extends AuditReasonDto {
  @ApiProperty({ enum: ROLES, example: 'moderator' })
  @IsIn(ROLES)
  role: Role;
}

export class AdminUserDto {
  id: string;
  username: string;
  email: string;
  @ApiProperty({ enum: ROLES })
  role: Role;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  suspendedAt: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  suspensionReason: string | null;
  createdAt: string;
}

export class AdminUserResponseDto {
  user: AdminUserDto;
}
