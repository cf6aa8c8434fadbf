import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Public } from '../../../core/auth/auth.decorators.js';
import type { AuthUser } from '../../../core/auth/auth.types.js';
import { ValidationFailedError } from '../../../core/http/app-error.js';
import { ErrorResponseDto } from '../../../core/http/error-response.dto.js';
import { MailPreferencesDto, UnsubscribedDto, UpdateMailPreferencesDto } from './dto/mail-preferences.dto.js';
import { NotificationPreferences } from './preferences.service.js';
import { UnsubscribeLinkNotFoundError } from './preferences.errors.js';
import { UnsubscribeTokens } from './unsubscribe-token.js';

const BAD_TOKEN = {
  description: 'No such link: the token is altered or not from this deployment (`UNSUBSCRIBE_LINK_NOT_FOUND`)',
  type: ErrorResponseDto,
};
const TOKEN_PARAM = {
  name: 'token',
  description: "The signed token of an unsubscribe link, as received in a mail's footer or List-Unsubscribe header",
  schema: { type: 'string' as const, maxLength: 512 },
};

@ApiTags('notifications')
@Controller('api/v1')
export class PreferencesController {
  constructor(
    private readonly preferences: NotificationPreferences,
    private readonly tokens: UnsubscribeTokens,
  ) {}

  /** The caller's mail preferences (every kind is on until turned off). */
  @Get('notifications/preferences')
  @Authenticated()
  @ApiOkResponse({ type: MailPreferencesDto })
  getMailPreferences(@CurrentUser() user: AuthUser): Promise<MailPreferencesDto> {
    return this.preferences.get(user.id);
  }

  /** Turn mail kinds on or off; kinds left out keep their value. */
  @Put('notifications/preferences')
  @Authenticated()
  @ApiOkResponse({ type: MailPreferencesDto })
  @ApiUnprocessableEntityResponse({
    description: 'An unknown kind, or a value that is not a boolean',
    type: ErrorResponseDto,
  })
  updateMailPreferences(
    @CurrentUser() user: AuthUser,
    @Body() body: UpdateMailPreferencesDto,
  ): Promise<MailPreferencesDto> {
    // A missing body reaches here as {} (the pipe's default): a PUT that names nothing to change is a mistake.
    if (Object.keys(body).length === 0) {
      throw new ValidationFailedError(
        [{ field: 'body', message: 'name at least one of newFollower, newComment, digest' }],
        'Nothing to change',
      );
    }
    return this.preferences.update(user.id, body);
  }

  /** Follow an unsubscribe link from a mail: turns off the kind it names (no login needed, the link is signed). */
  @Get('unsubscribe/:token')
  @Public()
  @ApiParam(TOKEN_PARAM)
  @ApiOkResponse({ type: UnsubscribedDto })
  @ApiNotFoundResponse(BAD_TOKEN)
  unsubscribeByLink(@Param('token') token: string): Promise<UnsubscribedDto> {
    return this.unsubscribe(token);
  }

  /** One-click unsubscribe (RFC 8058 `List-Unsubscribe-Post`), same effect as the link. */
  @Post('unsubscribe/:token')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiParam(TOKEN_PARAM)
  @ApiOkResponse({ type: UnsubscribedDto })
  @ApiNotFoundResponse(BAD_TOKEN)
  unsubscribeOneClick(@Param('token') token: string): Promise<UnsubscribedDto> {
    return this.unsubscribe(token);
  }

  private async unsubscribe(token: string): Promise<UnsubscribedDto> {
    const claim = this.tokens.verify(token);
    if (!claim) throw new UnsubscribeLinkNotFoundError();
    return { unsubscribed: claim.scope, preferences: await this.preferences.unsubscribe(claim.userId, claim.scope) };
  }
}
