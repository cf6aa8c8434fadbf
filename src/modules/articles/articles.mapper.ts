import { UNKNOWN_PROFILE, type ProfileDto } from '../profiles/index.js';
import type { ArticleRow } from './article-queries.js';
import type { ArticleDto, ArticleSummaryDto } from './dto/article-response.dto.js';

export function toArticleSummary(row: ArticleRow, author: ProfileDto | undefined): ArticleSummaryDto {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    tagList: row.tagList,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    favorited: row.favorited,
    favoritesCount: row.favoritesCount,
    author: author ?? UNKNOWN_PROFILE,
  };
}

/** `hidden: true` only on a hidden article (which only its author and moderators read); absent otherwise. */
export function toArticle(row: ArticleRow, author: ProfileDto | undefined): ArticleDto {
  return { ...toArticleSummary(row, author), body: row.body ?? '', ...(row.hiddenAt && { hidden: true }) };
}
