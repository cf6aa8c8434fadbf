import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { CursorPageQuery, OPAQUE } from '../../../core/http/cursor-page.query.js';
import { Trim } from '../../../core/http/transforms.js';
import {
  ABUSE_REASONS,
  ABUSE_REPORT_STATUSES,
  ABUSE_TARGET_TYPES,
  type AbuseReason,
  type AbuseReportStatus,
  type AbuseTargetType,
} from '../abuse-report.entity.js';

export class CreateAbuseReportDto {
  /** What is reported. */
  @ApiProperty({ enum: ABUSE_TARGET_TYPES, example: 'article' })
  @IsIn(ABUSE_TARGET_TYPES)
  targetType: AbuseTargetType;

  /**
   * The target as the API names it: an article's slug, a comment's id, a user's username.
   * @example how-to-train-your-dragon
   */
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  targetId: string;

  @ApiProperty({ enum: ABUSE_REASONS, example: 'spam' })
  @IsIn(ABUSE_REASONS)
  reason: AbuseReason;

  /**
   * What the moderators should know, up to 2,000 characters.
   * @example Posts the same link in every comment thread.
   */
  @ApiPropertyOptional({ maxLength: 2000 })
  @ValidateIf((_object, value) => value !== undefined) // not @IsOptional(), which lets null through
  @Trim()
  @IsString()
  @MaxLength(2000)
  details?: string;
}

export class AbuseTargetDto {
  @ApiProperty({ enum: ABUSE_TARGET_TYPES })
  type: AbuseTargetType;
  /** The stored id: an article's or a user's uuid, a comment's number. */
  id: string;
  /**
   * How the API names it now (the article's current slug, the comment's id, the user's username); null once
   * it is gone.
   */
  ref: string | null;
}

/** A report as its reporter sees it. */
export class AbuseReportDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  target: AbuseTargetDto;
  @ApiProperty({ enum: ABUSE_REASONS })
  reason: AbuseReason;
  details: string | null;
  /** `open` until a moderator resolves (acted on it) or dismisses (no action needed) it. */
  @ApiProperty({ enum: ABUSE_REPORT_STATUSES })
  status: AbuseReportStatus;
  createdAt: Date;
  closedAt: Date | null;
}

export class AbuseReportResponseDto {
  report: AbuseReportDto;
}

/** A report as moderators see it: who reported it, who closed it and why. */
export class AdminAbuseReportDto extends AbuseReportDto {
  /** The reporting user's id. */
  @ApiProperty({ format: 'uuid' })
  reporterId: string;
  /** The moderator who closed it; null while it is open. */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  closedById: string | null;
  /** The moderator's reason for resolving or dismissing it. */
  resolution: string | null;
}

export class AdminAbuseReportResponseDto {
  report: AdminAbuseReportDto;
}

/** One keyset page, newest first. */
export class AbuseReportPageDto {
  reports: AbuseReportDto[];
  /**
   * Pass as `cursor` to get the next page; `null` on the last page.
   * @example MjAyNi0xMi0wM1QwMTowMjowMy4xMjM0NTZafjBiN2U2YTRjLTJmMWQtNGMzYi05YThlLTFkMmMzYjRhNWY2MA
   */
  nextCursor: string | null;
}

export class AdminAbuseReportPageDto {
  reports: AdminAbuseReportDto[];
  /**
   * Pass as `cursor` to get the next page; `null` on the last page.
   * @example MjAyNi0xMi0wM1QwMTowMjowMy4xMjM0NTZafjBiN2U2YTRjLTJmMWQtNGMzYi05YThlLTFkMmMzYjRhNWY2MA
   */
  nextCursor: string | null;
}

/** Keyset paging of the abuse report lists. */
export class AbuseReportPageQuery extends CursorPageQuery {
  /**
   * The previous page's `nextCursor`, as received (opaque); omit it for the first page.
   * @example MjAyNi0xMi0wM1QwMTowMjowMy4xMjM0NTZafjBiN2U2YTRjLTJmMWQtNGMzYi05YThlLTFkMmMzYjRhNWY2MA
   */
  @ApiPropertyOptional(OPAQUE)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  override cursor?: string;
}

export class AdminAbuseReportPageQuery extends AbuseReportPageQuery {
  /** Only reports in this state; all of them when left out. */
  @ApiPropertyOptional({ enum: ABUSE_REPORT_STATUSES })
  @IsOptional()
  @IsIn(ABUSE_REPORT_STATUSES)
  status?: AbuseReportStatus;
}
