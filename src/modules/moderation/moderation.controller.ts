import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AuditReasonDto } from '../../core/audit/dto/audit-reason.dto.js';
import { Actor } from '../../core/audit/audit-actor.decorator.js';
import type { AuditActor } from '../../core/audit/audit-log.js';
import { Authenticated } from '../../core/auth/auth.decorators.js';
import { ErrorResponseDto } from '../../core/http/error-response.dto.js';
import { ID_PARAM_SCHEMA, ParseIdPipe } from '../../core/http/id-param.pipe.js';
import { SingleArticleResponseDto } from '../articles/index.js';
import { SingleCommentResponseDto } from '../comments/index.js';
import { AbuseReportsService } from './abuse-reports.service.js';
import { ParseUuidPipe, UUID_PARAM_SCHEMA } from '../../core/http/id-param.pipe.js';
import {
  AdminAbuseReportPageDto,
  AdminAbuseReportPageQuery,
  AdminAbuseReportResponseDto,
} from './dto/abuse-report.dto.js';
import { ModerationService } from './moderation.service.js';

const INVALID = { description: 'The request is not valid (a `reason` is required)', type: ErrorResponseDto };
const ARTICLE_NOT_FOUND = { description: 'No article has this slug (`ARTICLE_NOT_FOUND`)', type: ErrorResponseDto };
const COMMENT_NOT_FOUND = { description: 'No comment has this id (`COMMENT_NOT_FOUND`)', type: ErrorResponseDto };
const REPORT_NOT_FOUND = { description: 'No report has this id (`ABUSE_REPORT_NOT_FOUND`)', type: ErrorResponseDto };
const REPORT_CLOSED = {
  description: 'The report is resolved or dismissed already (`ABUSE_REPORT_CLOSED`)',
  type: ErrorResponseDto,
};

/** Moderators' routes (docs/moderation.md): every action is audited with its reason and request id. */
@ApiTags('moderation')
@Controller('api/v1/admin')
@Authenticated({ role: 'moderator' })
export class ModerationController {
  constructor(
    private readonly reports: AbuseReportsService,
    private readonly moderation: ModerationService,
  ) {}

  /** Every abuse report, newest first, optionally in one state (`open` is the queue). */
  @Get('abuse-reports')
  @ApiOkResponse({ type: AdminAbuseReportPageDto })
  @ApiUnprocessableEntityResponse({
    description: 'A parameter is not valid; a `cursor` that is not a `nextCursor` of this endpoint is `INVALID_CURSOR`',
    type: ErrorResponseDto,
  })
  listAbuseReports(@Query() query: AdminAbuseReportPageQuery): Promise<AdminAbuseReportPageDto> {
    return this.reports.list(query.status, query.limit ?? 20, query.cursor);
  }

  /** Close an open report as acted on (after hiding the content, say). Audited: `abuse-report.resolved`. */
  @Post('abuse-reports/:id/resolve')
  @HttpCode(HttpStatus.OK)
  @ApiParam({ name: 'id', schema: UUID_PARAM_SCHEMA })
  @ApiOkResponse({ type: AdminAbuseReportResponseDto })
  @ApiNotFoundResponse(REPORT_NOT_FOUND)
  @ApiConflictResponse(REPORT_CLOSED)
  @ApiUnprocessableEntityResponse(INVALID)
  async resolveAbuseReport(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: AuditReasonDto,
    @Actor() actor: AuditActor,
  ): Promise<AdminAbuseReportResponseDto> {
    return { report: await this.reports.close(id, 'resolved', body.reason, actor) };
  }

  /** Close an open report as needing no action. Audited: `abuse-report.dismissed`. */
  @Post('abuse-reports/:id/dismiss')
  @HttpCode(HttpStatus.OK)
  @ApiParam({ name: 'id', schema: UUID_PARAM_SCHEMA })
  @ApiOkResponse({ type: AdminAbuseReportResponseDto })
  @ApiNotFoundResponse(REPORT_NOT_FOUND)
  @ApiConflictResponse(REPORT_CLOSED)
  @ApiUnprocessableEntityResponse(INVALID)
  async dismissAbuseReport(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: AuditReasonDto,
    @Actor() actor: AuditActor,
  ): Promise<AdminAbuseReportResponseDto> {
    return { report: await this.reports.close(id, 'dismissed', body.reason, actor) };
  }

  /**
   * Hide an article: out of every list, feed, tag and count at once; only its author still reads it (with
   * `hidden: true`). Audited: `article.hidden`.
   */
  @Post('articles/:slug/hide')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SingleArticleResponseDto, description: 'The article, with `hidden: true`' })
  @ApiNotFoundResponse(ARTICLE_NOT_FOUND)
  @ApiConflictResponse({ description: 'Hidden already (`ARTICLE_ALREADY_HIDDEN`)', type: ErrorResponseDto })
  @ApiUnprocessableEntityResponse(INVALID)
  async hideArticle(
    @Param('slug') slug: string,
    @Body() body: AuditReasonDto,
    @Actor() actor: AuditActor,
  ): Promise<SingleArticleResponseDto> {
    return { article: await this.moderation.setArticleHidden(slug, true, body.reason, actor) };
  }

  /** Make a hidden article visible again, everywhere. Audited: `article.unhidden`. */
  @Post('articles/:slug/unhide')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SingleArticleResponseDto })
  @ApiNotFoundResponse(ARTICLE_NOT_FOUND)
  @ApiConflictResponse({ description: 'Not hidden (`ARTICLE_NOT_HIDDEN`)', type: ErrorResponseDto })
  @ApiUnprocessableEntityResponse(INVALID)
  async unhideArticle(
    @Param('slug') slug: string,
    @Body() body: AuditReasonDto,
    @Actor() actor: AuditActor,
  ): Promise<SingleArticleResponseDto> {
    return { article: await this.moderation.setArticleHidden(slug, false, body.reason, actor) };
  }

  /** Hide a comment: out of its article's list; only its author still sees it (`hidden: true`). Audited: `comment.hidden`. */
  @Post('comments/:id/hide')
  @HttpCode(HttpStatus.OK)
  @ApiParam({ name: 'id', schema: ID_PARAM_SCHEMA })
  @ApiOkResponse({ type: SingleCommentResponseDto, description: 'The comment, with `hidden: true`' })
  @ApiNotFoundResponse(COMMENT_NOT_FOUND)
  @ApiConflictResponse({ description: 'Hidden already (`COMMENT_ALREADY_HIDDEN`)', type: ErrorResponseDto })
  @ApiUnprocessableEntityResponse(INVALID)
  async hideComment(
    @Param('id', ParseIdPipe) id: number,
    @Body() body: AuditReasonDto,
    @Actor() actor: AuditActor,
  ): Promise<SingleCommentResponseDto> {
    return { comment: await this.moderation.setCommentHidden(id, true, body.reason, actor) };
  }

  /** Show a hidden comment again. Audited: `comment.unhidden`. */
  @Post('comments/:id/unhide')
  @HttpCode(HttpStatus.OK)
  @ApiParam({ name: 'id', schema: ID_PARAM_SCHEMA })
  @ApiOkResponse({ type: SingleCommentResponseDto })
  @ApiNotFoundResponse(COMMENT_NOT_FOUND)
  @ApiConflictResponse({ description: 'Not hidden (`COMMENT_NOT_HIDDEN`)', type: ErrorResponseDto })
  @ApiUnprocessableEntityResponse(INVALID)
  async unhideComment(
    @Param('id', ParseIdPipe) id: number,
    @Body() body: AuditReasonDto,
    @Actor() actor: AuditActor,
  ): Promise<SingleCommentResponseDto> {
    return { comment: await this.moderation.setCommentHidden(id, false, body.reason, actor) };
  }
}
