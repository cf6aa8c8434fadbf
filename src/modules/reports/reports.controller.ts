import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Res, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentUser } from '../../core/auth/auth.decorators.js';
import type { AuthUser } from '../../core/auth/auth.types.js';
import { ErrorResponseDto } from '../../core/http/error-response.dto.js';
import { ParseUuidPipe, UUID_PARAM_SCHEMA } from '../../core/http/id-param.pipe.js';
import { CreateReportDto } from './dto/create-report.dto.js';
import { ReportListResponseDto, ReportResponseDto } from './dto/report-response.dto.js';
import { REPORTS_PATH, toReport } from './reports.mapper.js';
import { ReportsService } from './reports.service.js';

const NOT_FOUND = { description: 'No report of the caller has this id (`REPORT_NOT_FOUND`)', type: ErrorResponseDto };

/** Exports of the caller's articles with their stats, made in the background (docs/reports.md). */
@ApiTags('reports')
@Controller('api/v1/reports')
@Authenticated()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Ask for an export of your articles (CSV or PDF): 202, then follow `Location` until the report is ready. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({
    type: ReportResponseDto,
    description: 'Queued',
    headers: { Location: { description: 'The report: poll it for status and progress', schema: { type: 'string' } } },
  })
  @ApiConflictResponse({
    description: 'The caller already has 3 reports queued or running (`REPORT_LIMIT_REACHED`)',
    type: ErrorResponseDto,
  })
  async createReport(
    @CurrentUser() caller: AuthUser,
    @Body() body: CreateReportDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReportResponseDto> {
    const report = await this.reports.request(caller, body.format);
    void reply.header('location', `${REPORTS_PATH}/${report.id}`);
    return { report: toReport(report) };
  }

  /** Your latest 50 reports, newest first. */
  @Get()
  @ApiOkResponse({ type: ReportListResponseDto })
  async listReports(@CurrentUser() caller: AuthUser): Promise<ReportListResponseDto> {
    return { reports: (await this.reports.list(caller)).map((report) => toReport(report)) };
  }

  /** A report's status and progress. */
  @Get(':id')
  @ApiParam({ name: 'id', schema: UUID_PARAM_SCHEMA })
  @ApiOkResponse({ type: ReportResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async getReport(
    @CurrentUser() caller: AuthUser,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<ReportResponseDto> {
    return { report: toReport(await this.reports.get(caller, id)) };
  }

  /** Download a ready report's file (streamed, as an attachment). */
  @Get(':id/download')
  @ApiParam({ name: 'id', schema: UUID_PARAM_SCHEMA })
  @ApiProduces('text/csv', 'application/pdf')
  @ApiOkResponse({
    description: 'The file: `text/csv; charset=utf-8` or `application/pdf`',
    content: {
      'text/csv': { schema: { type: 'string' } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: 'The report is not ready yet (`REPORT_NOT_READY`)', type: ErrorResponseDto })
  @ApiGoneResponse({ description: 'The report expired and its file was removed (`REPORT_EXPIRED`)', type: ErrorResponseDto })
  async downloadReport(
    @CurrentUser() caller: AuthUser,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<StreamableFile> {
    const file = await this.reports.download(caller, id);
    return new StreamableFile(file.content, {
      type: file.contentType,
      disposition: `attachment; filename="${file.filename}"`,
      length: file.sizeBytes,
    });
  }
}
