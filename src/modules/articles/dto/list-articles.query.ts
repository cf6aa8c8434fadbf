import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class PageQuery {
  /** Page size, 0 to 100 (0 returns only `articlesCount`). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  limit?: number = 20;

  /** Number of articles to skip. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number = 0;
}

export class ListArticlesQuery extends PageQuery {
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
