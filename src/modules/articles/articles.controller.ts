import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, Public } from '../../core/auth/auth.decorators.js';
import type { AuthUser } from '../../core/auth/auth.types.js';
import { RealWorldErrorResponseDto } from '../../core/http/error-response.dto.js';
import { StrictRateLimit } from '../../core/throttling/rate-limit.decorators.js';
import { CachedRead } from '../../core/cache/cached-read.decorator.js';
import { PROFILES_SCOPE } from '../profiles/index.js';
import { ARTICLES_SCOPE, articleScope } from './articles.cache.js';
import { ArticlesService } from './articles.service.js';
import { MultipleArticlesResponseDto, SingleArticleResponseDto } from './dto/article-response.dto.js';
import { CreateArticleDto } from './dto/create-article.dto.js';
import { ListArticlesQuery, PageQuery } from './dto/list-articles.query.js';
import { UpdateArticleDto } from './dto/update-article.dto.js';

const NOT_FOUND = { description: 'No article has this slug', type: RealWorldErrorResponseDto };
const NOT_AUTHOR = { description: 'Only the author may do this', type: RealWorldErrorResponseDto };
const INVALID = { description: 'The request is not valid', type: RealWorldErrorResponseDto };

@ApiTags('articles')
@Controller('api/articles')
export class ArticlesController {
  constructor(private readonly articles: ArticlesService) {}

  /** Articles newest first, filtered by tag, author or favoriting user; without bodies. */
  @Get()
  @Public({ optionalAuth: true })
  @CachedRead([ARTICLES_SCOPE, PROFILES_SCOPE])
  @ApiOkResponse({ type: MultipleArticlesResponseDto })
  @ApiUnprocessableEntityResponse(INVALID)
  listArticles(
    @Query() query: ListArticlesQuery,
    @CurrentUser() viewer?: AuthUser,
  ): Promise<MultipleArticlesResponseDto> {
    return this.articles.list(query, viewer);
  }

  /** Articles by the authors the caller follows, newest first. */
  @Get('feed')
  @Authenticated()
  @ApiOkResponse({ type: MultipleArticlesResponseDto })
  @ApiUnprocessableEntityResponse(INVALID)
  getFeed(@Query() query: PageQuery, @CurrentUser() viewer: AuthUser): Promise<MultipleArticlesResponseDto> {
    return this.articles.feed(query, viewer);
  }

  /** One article, with its body. */
  @Get(':slug')
  @Public({ optionalAuth: true })
  @CachedRead((params) => [articleScope(params.slug), PROFILES_SCOPE])
  @ApiOkResponse({ type: SingleArticleResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async getArticle(@Param('slug') slug: string, @CurrentUser() viewer?: AuthUser): Promise<SingleArticleResponseDto> {
    return { article: await this.articles.get(slug, viewer) };
  }

  /** Publish an article; its slug is derived from the title and unique. */
  @Post()
  @Authenticated()
  @ApiCreatedResponse({ type: SingleArticleResponseDto })
  @ApiUnprocessableEntityResponse(INVALID)
  async createArticle(
    @CurrentUser() author: AuthUser,
    @Body() body: CreateArticleDto,
  ): Promise<SingleArticleResponseDto> {
    return { article: await this.articles.create(author, body.article) };
  }

  /** Edit an article (author only); a new title gives a new slug. */
  @Put(':slug')
  @Authenticated()
  @ApiOkResponse({ type: SingleArticleResponseDto })
  @ApiForbiddenResponse(NOT_AUTHOR)
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiUnprocessableEntityResponse(INVALID)
  async updateArticle(
    @CurrentUser() caller: AuthUser,
    @Param('slug') slug: string,
    @Body() body: UpdateArticleDto,
  ): Promise<SingleArticleResponseDto> {
    return { article: await this.articles.update(caller, slug, body.article) };
  }

  /** Delete an article (author only), with its comments and favorites. */
  @Delete(':slug')
  @Authenticated()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'Deleted; empty body' })
  @ApiForbiddenResponse(NOT_AUTHOR)
  @ApiNotFoundResponse(NOT_FOUND)
  async deleteArticle(@CurrentUser() caller: AuthUser, @Param('slug') slug: string): Promise<void> {
    await this.articles.delete(caller, slug);
  }

  /** Favorite an article (idempotent). */
  @Post(':slug/favorite')
  @Authenticated()
  @StrictRateLimit('social')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SingleArticleResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async favoriteArticle(
    @CurrentUser() caller: AuthUser,
    @Param('slug') slug: string,
  ): Promise<SingleArticleResponseDto> {
    return { article: await this.articles.favorite(caller, slug) };
  }

  /** Remove an article from the caller's favorites (idempotent). */
  @Delete(':slug/favorite')
  @Authenticated()
  @StrictRateLimit('social')
  @ApiOkResponse({ type: SingleArticleResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async unfavoriteArticle(
    @CurrentUser() caller: AuthUser,
    @Param('slug') slug: string,
  ): Promise<SingleArticleResponseDto> {
    return { article: await this.articles.unfavorite(caller, slug) };
  }
}
