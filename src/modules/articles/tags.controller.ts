import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../core/auth/auth.decorators.js';
import { CachedRead } from '../../core/cache/cached-read.decorator.js';
import { FeatureFlag } from '../../core/flags/feature-flag.guard.js';
import { ARTICLES_SCOPE } from './articles.cache.js';
import { ArticlesService } from './articles.service.js';
import { TagCountsResponseDto, TagsResponseDto } from './dto/article-response.dto.js';

/** Enough for a tag cloud; the long tail of single-use tags is not a navigation aid. */
const TAGS_LIMIT = 200;

@ApiTags('tags')
@Controller('api/tags')
export class TagsController {
  constructor(private readonly articles: ArticlesService) {}

  /** Tags in use, most used first (at most 200). */
  @Get()
  @Public()
  @CachedRead([ARTICLES_SCOPE])
  @ApiOkResponse({ type: TagsResponseDto })
  async getTags(): Promise<TagsResponseDto> {
    return { tags: await this.articles.tagsInUse(TAGS_LIMIT) };
  }
}

@ApiTags('tags')
@Controller('api/v1/tags')
export class TagCountsController {
  constructor(private readonly articles: ArticlesService) {}

  /** Tags in use with how many articles carry each, most used first (at most 200). Behind `tag-counts`. */
  @Get()
  @Public({ optionalAuth: true })
  @FeatureFlag('tag-counts')
  @CachedRead([ARTICLES_SCOPE])
  @ApiOkResponse({ type: TagCountsResponseDto })
  async getTagCounts(): Promise<TagCountsResponseDto> {
    return { tags: await this.articles.tagCounts(TAGS_LIMIT) };
  }
}
