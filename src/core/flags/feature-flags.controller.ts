import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '../audit/audit-actor.decorator.js';
import type { AuditActor } from '../audit/audit-log.js';
import { Authenticated } from '../auth/auth.decorators.js';
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

  /** Turn a flag on or off, optionally for a share of users; every replica follows within moments. Audited. */
  @Put(':name')
  @ApiOkResponse({ type: FeatureFlagDto })
  @ApiNotFoundResponse(UNKNOWN)
  updateFeatureFlag(
    @Param('name') name: string,
    @Body() body: UpdateFeatureFlagDto,
    @Actor() admin: AuditActor,
  ): Promise<FeatureFlagDto> {
    return this.flags.set(name, body, admin);
  }

  /** Remove the override: the flag goes back to its default from code. Audited. */
  @Delete(':name')
  @ApiOkResponse({ type: FeatureFlagDto })
  @ApiNotFoundResponse(UNKNOWN)
  resetFeatureFlag(@Param('name') name: string, @Actor() admin: AuditActor): Promise<FeatureFlagDto> {
    return this.flags.reset(name, admin);
  }
}
