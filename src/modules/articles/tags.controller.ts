import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../core/auth/auth.decorators.js';
import { ArticlesService } from './articles.service.js';
import { TagsResponseDto } from './dto/article-response.dto.js';

/** Enough for a tag cloud; the long tail of single-use tags is not a navigation aid. */
const TAGS_LIMIT = 200;

@ApiTags('tags')
@Controller('api/tags')
export class TagsController {
  constructor(private readonly articles: ArticlesService) {}

  /** Tags in use, most used first (at most 200). */
  @Get()
  @Public()
  @ApiOkResponse({ type: TagsResponseDto })
  async getTags(): Promise<TagsResponseDto> {
    return { tags: await this.articles.tagsInUse(TAGS_LIMIT) };
  }
}
