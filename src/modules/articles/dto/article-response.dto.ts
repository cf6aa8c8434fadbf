import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProfileDto } from '../../profiles/index.js';

/** An article as listed: everything but the body (current RealWorld spec, for list size). */
export class ArticleSummaryDto {
  slug: string;
  title: string;
  description: string;
  /** Sorted alphabetically, by Unicode code point (uppercase before lowercase). */
  tagList: string[];
  createdAt: Date;
  updatedAt: Date;
  /** Whether the caller favorited it (false for anonymous callers). */
  favorited: boolean;
  @ApiProperty({ type: 'integer', minimum: 0 })
  favoritesCount: number;
  author: ProfileDto;
}

export class ArticleDto extends ArticleSummaryDto {
  /** Markdown. */
  body: string;
  /**
   * Present (and true) only while a moderator hides the article: then only its author can read it
   * (moderators see it in the answers of the admin hide/unhide routes), and it is in no list (docs/moderation.md). Never set by clients.
   */
  @ApiPropertyOptional({ enum: [true] })
  hidden?: true;
}

export class SingleArticleResponseDto {
  article: ArticleDto;
}

export class MultipleArticlesResponseDto {
  articles: ArticleSummaryDto[];
  /** Total number of articles matching the filters (not just this page). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  articlesCount: number;
}

export class TagCountDto {
  /** @example dragons */
  name: string;
  /** Articles that carry the tag. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  articlesCount: number;
}

export class TagCountsResponseDto {
  /** Most used first. */
  tags: TagCountDto[];
}

export class TagsResponseDto {
  /** Tags in use, most used first. */
  tags: string[];
}

/** One keyset page (`/api/v1`): newest first, in a stable order (creation time, then id). */
export class ArticlePageDto {
  articles: ArticleSummaryDto[];
  /**
   * Pass as `cursor` to get the next page; `null` on the last page. No total: walk the pages, or read
   * `articlesCount` from `/api/articles?limit=0`.
   * @example MjAyNi0xMi0wMlQxNzoyMjo1NC4xMjM0NTZafjBiN2U2YTRjLTJmMWQtNGMzYi05YThlLTFkMmMzYjRhNWY2MA
   */
  nextCursor: string | null;
}
