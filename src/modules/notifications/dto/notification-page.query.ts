import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CursorPageQuery, OPAQUE } from '../../../core/http/cursor-page.query.js';

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
