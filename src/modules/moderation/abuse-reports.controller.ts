import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../../core/auth/auth.decorators.js';
import type { AuthUser } from '../../core/auth/auth.types.js';
import { ErrorResponseDto } from '../../core/http/error-response.dto.js';
import { AbuseReportsService } from './abuse-reports.service.js';
import {
  AbuseReportPageDto,
  AbuseReportPageQuery,
  AbuseReportResponseDto,
  CreateAbuseReportDto,
} from './dto/abuse-report.dto.js';

/** Reports of abuse by users (docs/moderation.md): each user sees only their own. */
@ApiTags('moderation')
@Controller('api/v1/abuse-reports')
@Authenticated()
export class AbuseReportsController {
  constructor(private readonly reports: AbuseReportsService) {}

  /** Report an article (by slug), a comment (by id) or a user (by username) to the moderators. */
  @Post()
  @ApiCreatedResponse({ type: AbuseReportResponseDto })
  @ApiNotFoundResponse({
    description: 'Nothing you can see has this type and id (`ABUSE_TARGET_NOT_FOUND`)',
    type: ErrorResponseDto,
  })
  @ApiConflictResponse({
    description: 'You have an open report on this target already (`ABUSE_REPORT_EXISTS`)',
    type: ErrorResponseDto,
  })
  @ApiUnprocessableEntityResponse({
    description: 'The body is not valid, or the target is your own (`CANNOT_REPORT_OWN_CONTENT`)',
    type: ErrorResponseDto,
  })
  async createAbuseReport(
    @CurrentUser() reporter: AuthUser,
    @Body() body: CreateAbuseReportDto,
  ): Promise<AbuseReportResponseDto> {
    return { report: await this.reports.create(reporter, body) };
  }

  /** Your reports, newest first, with their status. */
  @Get()
  @ApiOkResponse({ type: AbuseReportPageDto })
  @ApiUnprocessableEntityResponse({
    description: 'A parameter is not valid; a `cursor` that is not a `nextCursor` of this endpoint is `INVALID_CURSOR`',
    type: ErrorResponseDto,
  })
  listMyAbuseReports(
    @CurrentUser() reporter: AuthUser,
    @Query() query: AbuseReportPageQuery,
  ): Promise<AbuseReportPageDto> {
    return this.reports.mine(reporter, query.limit ?? 20, query.cursor);
  }
}
