import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/auth.decorators.js';
import type { AuthUser } from '../auth/auth.types.js';
import { ErrorResponseDto } from '../http/error-response.dto.js';
import { FeatureFlagDto, FeatureFlagListDto, UpdateFeatureFlagDto } from './dto/feature-flag.dto.js';
import { FeatureFlagsService } from './feature-flags.service.js';

const UNKNOWN = { description: 'No feature flag has this name', type: ErrorResponseDto };

@ApiTags('admin')
@Controller('api/v1/admin/feature-flags')
@Authenticated({ role: 'admin' })
export class FeatureFlagsController {
  constructor(private readonly flags: FeatureFlagsService) {}

  /** Every feature flag with its state: the default from code, or an admin's override. */
  @Get()
  @ApiOkResponse({ type: FeatureFlagListDto })
  async listFeatureFlags(): Promise<FeatureFlagListDto> {
    return { flags: await this.flags.list() };
  }

  /** Turn a flag on or off, optionally for a share of users; every replica follows within moments. */
  @Put(':name')
  @ApiOkResponse({ type: FeatureFlagDto })
  @ApiNotFoundResponse(UNKNOWN)
  updateFeatureFlag(
    @Param('name') name: string,
    @Body() body: UpdateFeatureFlagDto,
    @CurrentUser() admin: AuthUser,
  ): Promise<FeatureFlagDto> {
    return this.flags.set(name, body, admin.id);
  }

  /** Remove the override: the flag goes back to its default from code. */
  @Delete(':name')
  @ApiOkResponse({ type: FeatureFlagDto })
  @ApiNotFoundResponse(UNKNOWN)
  resetFeatureFlag(@Param('name') name: string): Promise<FeatureFlagDto> {
    return this.flags.reset(name);
  }
}
