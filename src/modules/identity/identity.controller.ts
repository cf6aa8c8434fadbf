import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, Public } from '../../core/auth/auth.decorators.js';
import type { AuthUser } from '../../core/auth/auth.types.js';
import { RealWorldErrorResponseDto } from '../../core/http/error-response.dto.js';
import { StrictRateLimit } from '../../core/throttling/rate-limit.decorators.js';
import { Client, type ClientInfo } from './client-info.decorator.js';
import { IdentityService } from './identity.service.js';
import { LoginUserDto } from './dto/login-user.dto.js';
import { RegisterUserDto } from './dto/register-user.dto.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { UserResponseDto } from './dto/user-response.dto.js';

@ApiTags('users')
@Controller('api')
@ApiUnprocessableEntityResponse({ description: 'The body is not valid', type: RealWorldErrorResponseDto })
export class IdentityController {
  constructor(private readonly identity: IdentityService) {}

  /** Register a new user; answers with the user and an access token. */
  @Post('users')
  @Public()
  @StrictRateLimit('auth')
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiConflictResponse({ description: 'The email or username is already taken', type: RealWorldErrorResponseDto })
  registerUser(@Body() body: RegisterUserDto, @Client() client: ClientInfo): Promise<UserResponseDto> {
    return this.identity.register(body.user, client);
  }

  /** Log in with email and password; answers with the user and a token living JWT_TTL (24 h by default). */
  @Post('users/login')
  @Public()
  @StrictRateLimit('auth', 'account')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: UserResponseDto })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password', type: RealWorldErrorResponseDto })
  @ApiForbiddenResponse({ description: 'The account is suspended', type: RealWorldErrorResponseDto })
  loginUser(@Body() body: LoginUserDto, @Client() client: ClientInfo): Promise<UserResponseDto> {
    return this.identity.login(body.user, client);
  }

  /** The authenticated user, with a fresh access token. */
  @Get('user')
  @Authenticated()
  @ApiOkResponse({ type: UserResponseDto })
  getCurrentUser(@CurrentUser() user: AuthUser, @Client() client: ClientInfo): Promise<UserResponseDto> {
    return this.identity.getCurrentUser(user, client);
  }

  /**
   * Update the authenticated user's username, password, bio or image; answers with a fresh token. A new password
   * ends the user's other sessions. A new email is confirmed first: a link goes to that address, and `email`
   * changes once it is opened.
   */
  @Put('user')
  @Authenticated()
  @ApiOkResponse({ type: UserResponseDto })
  @ApiConflictResponse({
    description: 'The username is already taken (whether a new email is taken is never told here)',
    type: RealWorldErrorResponseDto,
  })
  updateCurrentUser(
    @CurrentUser() user: AuthUser,
    @Body() body: UpdateUserDto,
    @Client() client: ClientInfo,
  ): Promise<UserResponseDto> {
    return this.identity.updateCurrentUser(user, body.user, client);
  }
}
