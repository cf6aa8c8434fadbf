import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Public } from '../../core/auth/auth.decorators.js';
import { CachedRead } from '../../core/cache/cached-read.decorator.js';
import type { AuthUser } from '../../core/auth/auth.types.js';
import { RealWorldErrorResponseDto } from '../../core/http/error-response.dto.js';
import { StrictRateLimit } from '../../core/throttling/rate-limit.decorators.js';
import { profileScope } from './profiles.cache.js';
import { ProfilesService } from './profiles.service.js';
import { ProfileResponseDto } from './dto/profile-response.dto.js';

@ApiTags('profiles')
@Controller('api/profiles')
@ApiNotFoundResponse({ description: 'No user has this username', type: RealWorldErrorResponseDto })
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  /** A user's public profile; `following` reflects the caller when a token is sent. */
  @Get(':username')
  @Public({ optionalAuth: true })
  @CachedRead((params) => [profileScope(params.username)])
  @ApiOkResponse({ type: ProfileResponseDto })
  async getProfile(@Param('username') username: string, @CurrentUser() viewer?: AuthUser): Promise<ProfileResponseDto> {
    return { profile: await this.profiles.getProfile(username, viewer) };
  }

  /** Follow a user (idempotent). */
  @Post(':username/follow')
  @Authenticated()
  @StrictRateLimit('social')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiUnprocessableEntityResponse({ description: 'You cannot follow yourself', type: RealWorldErrorResponseDto })
  async followUser(@CurrentUser() viewer: AuthUser, @Param('username') username: string): Promise<ProfileResponseDto> {
    return { profile: await this.profiles.follow(viewer, username) };
  }

  /** Stop following a user (idempotent). */
  @Delete(':username/follow')
  @Authenticated()
  @StrictRateLimit('social')
  @ApiOkResponse({ type: ProfileResponseDto })
  async unfollowUser(
    @CurrentUser() viewer: AuthUser,
    @Param('username') username: string,
  ): Promise<ProfileResponseDto> {
    return { profile: await this.profiles.unfollow(viewer, username) };
  }
}
