import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Actor } from '../audit/audit-actor.decorator.js';
import type { AuditActor } from '../audit/audit-log.js';
import { Authenticated } from '../auth/auth.decorators.js';
import { ErrorResponseDto } from '../http/error-response.dto.js';
import { DeadLetterDto, DeadLetterListDto } from './dead-letter.dto.js';
import { DeadLetters } from './dead-letters.service.js';

class DeadLetterQuery {
  /** How many, newest failure first (1 to 500). */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number = 100;
}

@ApiTags('admin')
@Controller('api/v1/admin/jobs')
@Authenticated({ role: 'admin' })
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetters) {}

  /** Jobs that failed every attempt (dead letters), with their last error: kept 30 days. */
  @Get('dead-letters')
  @ApiOkResponse({ type: DeadLetterListDto })
  async listDeadLetters(@Query() query: DeadLetterQuery): Promise<DeadLetterListDto> {
    return { deadLetters: await this.deadLetters.list(query.limit ?? 100) };
  }

  /** Send a dead letter back to its queue with fresh attempts (after the cause was fixed). Audited. */
  @Post('dead-letters/:queue/:id/retry')
  @HttpCode(200)
  @ApiOkResponse({ type: DeadLetterDto, description: 'The job, now waiting to run again (or already running)' })
  @ApiNotFoundResponse({
    description: 'No dead letter (nor job sent back from them) has this queue and id',
    type: ErrorResponseDto,
  })
  retryDeadLetter(
    @Param('queue') queue: string,
    @Param('id') id: string,
    @Actor() admin: AuditActor,
  ): Promise<DeadLetterDto> {
    return this.deadLetters.retry(queue, id, admin);
  }
}
