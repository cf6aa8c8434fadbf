import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiExtension,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, Public } from '../../core/auth/auth.decorators.js';
import type { AuthUser } from '../../core/auth/auth.types.js';
import { ErrorResponseDto } from '../../core/http/error-response.dto.js';
import { ParseUuidPipe, UUID_PARAM_SCHEMA } from '../../core/http/id-param.pipe.js';
import { SkipIdempotency } from '../../core/idempotency/idempotency.decorator.js';
import { StrictRateLimit } from '../../core/throttling/rate-limit.decorators.js';
import { Client, type ClientInfo } from './client-info.decorator.js';
import { IdentityService } from './identity.service.js';
import { LoginCredentialsDto } from './dto/login-user.dto.js';
import { SessionsService } from './sessions.service.js';
import {
  AcceptedDto,
  EmailChangeConfirmDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  RefreshRequestDto,
  SessionListDto,
  TokenPairDto,
} from './dto/auth.dto.js';

const RESET_ACCEPTED = 'If an account has this email, a link to reset its password is on its way.';

/**
 * Sessions with refresh tokens (docs/security.md): a short-lived access token (ACCESS_TOKEN_TTL) and an opaque
 * refresh token rotated on every use; logout, logout everywhere, the caller's devices; password reset and email
 * change by mailed links. The RealWorld `token` (`/api/users/login`) keeps working beside it.
 */
@ApiTags('auth')
@Controller('api/v1/auth')
@ApiUnprocessableEntityResponse({ description: 'The body is not valid', type: ErrorResponseDto })
export class AuthController {
  constructor(
    private readonly identity: IdentityService,
    private readonly sessions: SessionsService,
  ) {}

  /**
   * Log in with email and password: an access token and a refresh token. Without `Idempotency-Key`: a retried
   * login opens another session, and its tokens are never kept for a replay.
   */
  @Post('login')
  @Public()
  @SkipIdempotency()
  @StrictRateLimit('auth', 'account')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password (`INVALID_CREDENTIALS`)', type: ErrorResponseDto })
  @ApiForbiddenResponse({ description: 'The account is suspended (`ACCOUNT_SUSPENDED`)', type: ErrorResponseDto })
  login(@Body() body: LoginCredentialsDto, @Client() client: ClientInfo): Promise<TokenPairDto> {
    return this.identity.loginWithRefresh(body, client);
  }

  /** Exchange a refresh token for a new pair; the one sent stops working (presenting it again ends the session). */
  @Post('refresh')
  @Public()
  // Its answer (a token pair) is never stored for a replay: a replayed refresh would hand out live tokens
  // without the reuse check. A client whose answer was lost logs in again.
  @SkipIdempotency()
  @StrictRateLimit('auth')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({
    description:
      'Unknown or expired token, or its session ended (`REFRESH_TOKEN_INVALID`); a token used before (`REFRESH_TOKEN_REUSED`: the session is ended)',
    type: ErrorResponseDto,
  })
  @ApiForbiddenResponse({ description: 'The account is suspended (`ACCOUNT_SUSPENDED`)', type: ErrorResponseDto })
  refresh(@Body() body: RefreshRequestDto, @Client() client: ClientInfo): Promise<TokenPairDto> {
    return this.identity.refresh(body.refreshToken, client);
  }

  /** End this session: its access token and refresh token stop working at once. */
  @Post('logout')
  @Authenticated()
  @ApiExtension('x-ends-session', true)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Logged out' })
  async logout(@CurrentUser() caller: AuthUser): Promise<void> {
    await this.sessions.logout(caller);
  }

  /** End every session of yours, this one included (log out everywhere). */
  @Post('logout-all')
  @Authenticated()
  @ApiExtension('x-ends-session', true)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Every session ended' })
  async logoutAll(@CurrentUser() caller: AuthUser): Promise<void> {
    await this.sessions.endAll(caller.id, 'logout-all');
  }

  /** Your live sessions (devices): when each was opened and last used; `current` is this one. */
  @Get('sessions')
  @Authenticated()
  @ApiOkResponse({ type: SessionListDto })
  async listSessions(@CurrentUser() caller: AuthUser): Promise<SessionListDto> {
    return { sessions: await this.sessions.list(caller) };
  }

  /** End one of your sessions (a lost device): its tokens stop working at once. */
  @Delete('sessions/:id')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Session ended' })
  @ApiNotFoundResponse({
    description: 'No live session of yours has this id (`SESSION_NOT_FOUND`)',
    type: ErrorResponseDto,
  })
  @ApiParam({ name: 'id', schema: UUID_PARAM_SCHEMA })
  async revokeSession(@CurrentUser() caller: AuthUser, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.sessions.revoke(caller, id);
  }

  /**
   * Ask for a password-reset link by mail. The answer is the same whether or not an account has this email
   * (and takes the same time): the link is only ever sent to the account's own address.
   */
  @Post('password-reset')
  @Public()
  @StrictRateLimit('auth', 'account')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: AcceptedDto })
  async requestPasswordReset(@Body() body: PasswordResetRequestDto): Promise<AcceptedDto> {
    await this.identity.requestPasswordReset(body.email);
    return { message: RESET_ACCEPTED };
  }

  /** Set a new password with the mailed token (works once, expires after PASSWORD_RESET_TTL); every session ends. */
  @Post('password-reset/confirm')
  @Public()
  @StrictRateLimit('auth')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Password changed; log in with it' })
  @ApiBadRequestResponse({
    description: 'The token was used, has expired or never existed (`ACCOUNT_TOKEN_INVALID`)',
    type: ErrorResponseDto,
  })
  async confirmPasswordReset(@Body() body: PasswordResetConfirmDto): Promise<void> {
    await this.identity.confirmPasswordReset(body.token, body.password);
  }

  /** Confirm an email change with the token mailed to the new address (`PUT /api/user` with a new email sends it). */
  @Post('email-change/confirm')
  @Public()
  @StrictRateLimit('auth')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'The account now uses the new address' })
  @ApiBadRequestResponse({
    description: 'The token was used, has expired or never existed (`ACCOUNT_TOKEN_INVALID`)',
    type: ErrorResponseDto,
  })
  @ApiConflictResponse({ description: 'Someone took the address meanwhile (`EMAIL_TAKEN`)', type: ErrorResponseDto })
  async confirmEmailChange(@Body() body: EmailChangeConfirmDto): Promise<void> {
    await this.identity.confirmEmailChange(body.token);
  }
}
