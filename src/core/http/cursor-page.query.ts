import { ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * `x-opaque` (an OpenAPI extension, which @nestjs/swagger copies into the schema but does not type): issued by
 * the server and sent back as received; a string it did not issue answers 422.
 */
export const OPAQUE = { 'x-opaque': true } as ApiPropertyOptions;

/** Keyset paging (`/api/v1`): a page size and where the previous page ended. */
export class CursorPageQuery {
  /** Page size, 1 to 100. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number = 20;

  /**
   * The previous page's `nextCursor`, as received (opaque); omit it for the first page.
   * @example MjAyNi0xMi0wMlQxNzoyMjo1NC4xMjM0NTZafjBiN2U2YTRjLTJmMWQtNGMzYi05YThlLTFkMmMzYjRhNWY2MA
   */
  @ApiPropertyOptional(OPAQUE)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
