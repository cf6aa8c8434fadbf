import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Authenticated } from '../auth/auth.decorators.js';
import { ErrorResponseDto } from '../http/error-response.dto.js';
import { AuditLogReader } from './audit-log.reader.js';
import { AuditLogPageDto, AuditLogQuery } from './dto/audit-log.dto.js';

@ApiTags('admin')
@Controller('api/v1/admin/audit-log')
@Authenticated({ role: 'admin' })
export class AuditLogController {
  constructor(private readonly reader: AuditLogReader) {}

  /** Privileged actions (moderation, role changes, suspensions, flags, job retries), newest first, by keyset pages. */
  @Get()
  @ApiOkResponse({ type: AuditLogPageDto })
  @ApiUnprocessableEntityResponse({
    description: 'A parameter is not valid; a `cursor` that is not a `nextCursor` of this endpoint is `INVALID_CURSOR`',
    type: ErrorResponseDto,
  })
  listAuditLog(@Query() query: AuditLogQuery): Promise<AuditLogPageDto> {
    return this.reader.page(query);
  }
}
