import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** PostgreSQL's int4 range: an offset beyond it is a client bug, not a page. */
const MAX_OFFSET = 2_147_483_647;

export class PageQuery {
  /** Page size, 0 to 100 (0 returns only `articlesCount`). */
  @ApiPropertyOptional({ type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  limit?: number = 20;

  /** Number of articles to skip. */
  @ApiPropertyOptional({ type: 'integer', maximum: MAX_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset?: number = 0;
}

/** The filters of the article lists, on `/api` (offset pages) and `/api/v1` (keyset pages) alike. */
export class ArticleFilterQuery {
  /** Only articles with this tag. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tag?: string;

  /** Only articles by this username. */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  author?: string;

  /** Only articles favorited by this username. */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  favorited?: string;
}

export class ListArticlesQuery extends IntersectionType(PageQuery, ArticleFilterQuery) {}
