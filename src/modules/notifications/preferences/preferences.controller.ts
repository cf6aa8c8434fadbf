import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Public } from '../../../core/auth/auth.decorators.js';
import type { AuthUser } from '../../../core/auth/auth.types.js';
import { ErrorResponseDto } from '../../../core/http/error-response.dto.js';
import {
  MailPreferencesDto,
  UnsubscribedDto,
  UnsubscribeQuery,
  UpdateMailPreferencesDto,
} from './dto/mail-preferences.dto.js';
import { NotificationPreferences } from './preferences.service.js';
import { InvalidUnsubscribeTokenError } from './preferences.errors.js';
import { UnsubscribeTokens } from './unsubscribe-token.js';

const BAD_TOKEN = { description: 'The token is missing, altered or not from this deployment', type: ErrorResponseDto };

@ApiTags('notifications')
@Controller('api/v1/notifications')
export class PreferencesController {
  constructor(
    private readonly preferences: NotificationPreferences,
    private readonly tokens: UnsubscribeTokens,
  ) {}

  /** The caller's mail preferences (every kind is on until turned off). */
  @Get('preferences')
  @Authenticated()
  @ApiOkResponse({ type: MailPreferencesDto })
  getMailPreferences(@CurrentUser() user: AuthUser): Promise<MailPreferencesDto> {
    return this.preferences.get(user.id);
  }

  /** Turn mail kinds on or off; kinds left out keep their value. */
  @Put('preferences')
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
    return this.preferences.update(user.id, body);
  }

  /** Follow an unsubscribe link from a mail: turns off the kind it names (no login needed, the link is signed). */
  @Get('unsubscribe')
  @Public()
  @ApiOkResponse({ type: UnsubscribedDto })
  @ApiBadRequestResponse(BAD_TOKEN)
  unsubscribeByLink(@Query() query: UnsubscribeQuery): Promise<UnsubscribedDto> {
    return this.unsubscribe(query.token);
  }

  /** One-click unsubscribe (RFC 8058 `List-Unsubscribe-Post`), same effect as the link. */
  @Post('unsubscribe')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: UnsubscribedDto })
  @ApiBadRequestResponse(BAD_TOKEN)
  unsubscribeOneClick(@Query() query: UnsubscribeQuery): Promise<UnsubscribedDto> {
    return this.unsubscribe(query.token);
  }

  private async unsubscribe(token: string | undefined): Promise<UnsubscribedDto> {
    const claim = token ? this.tokens.verify(token) : undefined;
    if (!claim) throw new InvalidUnsubscribeTokenError();
    return { unsubscribed: claim.scope, preferences: await this.preferences.unsubscribe(claim.userId, claim.scope) };
  }
}
