import { ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CursorPageQuery } from '../../../core/http/cursor-page.query.js';

/** Issued by the server, sent back as received (see CursorPageQuery). */
const OPAQUE = { 'x-opaque': true } as ApiPropertyOptions;

/** Keyset paging of the notification list: CursorPageQuery, with this endpoint's cursor as its example. */
export class NotificationPageQuery extends CursorPageQuery {
  /**
   * The previous page's `nextCursor`, as received (opaque); omit it for the first page.
   * @example MTIz
   */
  @ApiPropertyOptional(OPAQUE)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  override cursor?: string;
}
