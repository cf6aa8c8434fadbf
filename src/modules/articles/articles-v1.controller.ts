import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Public } from '../../core/auth/auth.decorators.js';
import type { AuthUser } from '../../core/auth/auth.types.js';
import { ErrorResponseDto } from '../../core/http/error-response.dto.js';
import { CachedRead } from '../../core/cache/cached-read.decorator.js';
import { PROFILES_SCOPE } from '../profiles/index.js';
import { ARTICLES_SCOPE } from './articles.cache.js';
import { ArticlesService } from './articles.service.js';
import { ArticlePageDto } from './dto/article-response.dto.js';
import { CursorPageQuery } from '../../core/http/cursor-page.query.js';
import { ListArticlesPageQuery } from './dto/cursor-page.query.js';

const INVALID = {
  description: 'A parameter is not valid; a `cursor` that is not a `nextCursor` of this endpoint is `INVALID_CURSOR`',
  type: ErrorResponseDto,
};

/**
 * Keyset pages of the article lists (ADR 0010): a page costs one index walk wherever it starts, and rows
 * inserted while a client walks do not shift it (no duplicates, no gaps, unlike `offset` on `/api`).
 */
@ApiTags('articles')
@Controller('api/v1/articles')
export class ArticlesV1Controller {
  constructor(private readonly articles: ArticlesService) {}

  /** Articles newest first (by creation time, then id), filtered by tag, author or favoriting user, by keyset pages. */
  @Get()
  @Public({ optionalAuth: true })
  @CachedRead([ARTICLES_SCOPE, PROFILES_SCOPE])
  @ApiOkResponse({ type: ArticlePageDto })
  @ApiUnprocessableEntityResponse(INVALID)
  listArticlePage(@Query() query: ListArticlesPageQuery, @CurrentUser() viewer?: AuthUser): Promise<ArticlePageDto> {
    return this.articles.listPage(query, viewer);
  }

  /** Articles by the authors the caller follows, newest first, by keyset pages. */
  @Get('feed')
  @Authenticated()
  @ApiOkResponse({ type: ArticlePageDto })
  @ApiUnprocessableEntityResponse(INVALID)
  getFeedPage(@Query() query: CursorPageQuery, @CurrentUser() viewer: AuthUser): Promise<ArticlePageDto> {
    return this.articles.feedPage(query, viewer);
  }
}
