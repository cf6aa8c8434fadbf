import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CursorPageQuery, OPAQUE } from '../../http/cursor-page.query.js';

/** Keyset paging of the audit log, with its filters (all optional, combined with AND). */
export class AuditLogQuery extends CursorPageQuery {
  /**
   * The previous page's `nextCursor`, as received (opaque); omit it for the first page.
   * @example MjAyNi0xMi0wM1QwMTowMjowMy4xMjM0NTZafjQy
   */
  @ApiPropertyOptional(OPAQUE)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  override cursor?: string;

  /**
   * Only entries of this action.
   * @example article.hidden
   */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, { message: 'action must be dotted lowercase words, e.g. article.hidden' })
  @MaxLength(64)
  action?: string;

  /** Only entries by this user (id). */
  @IsOptional()
  @IsUUID()
  actorId?: string;

  /**
   * Only entries about targets of this type.
   * @example article
   */
  @IsOptional()
  @IsString()
  @MaxLength(32)
  targetType?: string;

  /** Only entries about this target id (with `targetType`, one target). */
  @IsOptional()
  @IsString()
  @MaxLength(255)
  targetId?: string;
}

export class AuditActorDto {
  /** The user who acted. */
  @ApiProperty({ format: 'uuid' })
  id: string;
}

export class AuditTargetDto {
  /** @example article */
  type: string;
  /** The target's id (an article's id, a comment's number, a flag's name…), as text. */
  id: string;
}

export class AuditLogEntryDto {
  /**
   * Increasing, as text (a bigint).
   * @example 42
   */
  id: string;
  actor: AuditActorDto;
  /** @example article.hidden */
  action: string;
  target: AuditTargetDto;
  reason: string | null;
  /** Action-specific facts, e.g. `{ "from": "user", "to": "moderator" }`. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  details: Record<string, unknown>;
  /** The `x-request-id` of the request that did it. */
  requestId: string;
  createdAt: Date;
}

/** One keyset page, newest first. */
export class AuditLogPageDto {
  entries: AuditLogEntryDto[];
  /**
   * Pass as `cursor` to get the next page; `null` on the last page.
   * @example MjAyNi0xMi0wM1QwMTowMjowMy4xMjM0NTZafjQy
   */
  nextCursor: string | null;
}
