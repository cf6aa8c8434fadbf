import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, Public } from '../../core/auth/auth.decorators.js';
import { CachedRead } from '../../core/cache/cached-read.decorator.js';
import type { AuthUser } from '../../core/auth/auth.types.js';
import { ID_PARAM_SCHEMA, ParseIdPipe } from '../../core/http/id-param.pipe.js';
import { RealWorldErrorResponseDto } from '../../core/http/error-response.dto.js';
import { commentListScopes } from './comments.cache.js';
import { CommentsService } from './comments.service.js';
import { CreateCommentDto } from './dto/create-comment.dto.js';
import { MultipleCommentsResponseDto, SingleCommentResponseDto } from './dto/comment-response.dto.js';

const NOT_FOUND = { description: 'No such article (or comment)', type: RealWorldErrorResponseDto };

@ApiTags('comments')
@Controller('api/articles/:slug/comments')
@ApiNotFoundResponse(NOT_FOUND)
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  /** Comments on an article, oldest first (the latest 500). */
  @Get()
  @Public({ optionalAuth: true })
  @CachedRead((params) => commentListScopes(params.slug))
  @ApiOkResponse({ type: MultipleCommentsResponseDto })
  async listComments(
    @Param('slug') slug: string,
    @CurrentUser() viewer?: AuthUser,
  ): Promise<MultipleCommentsResponseDto> {
    return { comments: await this.comments.list(slug, viewer) };
  }

  /** Comment on an article (200, as the RealWorld spec has it). */
  @Post()
  @Authenticated()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SingleCommentResponseDto })
  @ApiUnprocessableEntityResponse({ description: 'The body is not valid', type: RealWorldErrorResponseDto })
  async createComment(
    @CurrentUser() author: AuthUser,
    @Param('slug') slug: string,
    @Body() body: CreateCommentDto,
  ): Promise<SingleCommentResponseDto> {
    return { comment: await this.comments.create(author, slug, body.comment.body) };
  }

  /** Delete a comment (its author only). */
  @Delete(':id')
  @Authenticated()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'Deleted; empty body' })
  @ApiParam({ name: 'id', schema: ID_PARAM_SCHEMA })
  @ApiForbiddenResponse({ description: 'Only the comment author may delete it', type: RealWorldErrorResponseDto })
  async deleteComment(
    @CurrentUser() caller: AuthUser,
    @Param('slug') slug: string,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<void> {
    await this.comments.delete(caller, slug, id);
  }
}
