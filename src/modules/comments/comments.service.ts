import { Injectable } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import type { AuthUser } from '../../core/auth/auth.types.js';
import {
  ARTICLE_DELETING,
  ArticleNotFoundError,
  ArticlesService,
  type ArticleDeletingEvent,
} from '../articles/index.js';
import { ProfilesService, UNKNOWN_PROFILE, type ProfileDto } from '../profiles/index.js';
import type { CommentEntity } from './comment.entity.js';
import { CommentNotFoundError, NotCommentAuthorError } from './comments.errors.js';
import {
  COMMENT_ADDED,
  COMMENTS_CHANGED,
  type CommentAddedPayload,
  type CommentsChangedEvent,
} from './comments.events.js';
import { Outbox } from '../../core/jobs/outbox.js';
import { CommentsRepository } from './comments.repository.js';
import type { CommentDto } from './dto/comment-response.dto.js';

@Injectable()
export class CommentsService {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly articles: ArticlesService,
    private readonly profiles: ProfilesService,
    private readonly events: EventEmitter2,
    private readonly outbox: Outbox,
  ) {}

  async list(slug: string, viewer?: AuthUser): Promise<CommentDto[]> {
    const rows = await this.comments.forArticle(await this.articleId(slug));
    const authors = await this.profiles.getProfilesByIds(
      rows.map((row) => row.authorId),
      viewer?.id,
    );
    return rows.map((row) => toComment(row, authors.get(row.authorId)));
  }

  async create(author: AuthUser, slug: string, body: string): Promise<CommentDto> {
    const row = await this.articles.withArticle(slug, async (articleId, manager) => {
      if (!articleId) throw new ArticleNotFoundError();
      const inserted = await this.comments.insert(manager, { articleId, authorId: author.id, body });
      const payload: CommentAddedPayload = { commentId: inserted.id, articleId, slug, commenterId: author.id };
      await this.outbox.publish(manager, { topic: COMMENT_ADDED, key: String(inserted.id), payload });
      return inserted;
    });
    await this.changed({ slug, commentId: row.id, change: 'added' });
    const authors = await this.profiles.getProfilesByIds([author.id], author.id);
    return toComment(row, authors.get(author.id));
  }

  async delete(caller: AuthUser, slug: string, id: number): Promise<void> {
    const comment = await this.comments.findOne(await this.articleId(slug), id);
    if (!comment) throw new CommentNotFoundError();
    if (comment.authorId !== caller.id) throw new NotCommentAuthorError();
    await this.comments.delete(comment.id);
    await this.changed({ slug, commentId: comment.id, change: 'deleted' });
  }

  /** Runs inside the article's deletion transaction: comments go with the article or not at all. */
  @OnEvent(ARTICLE_DELETING, { suppressErrors: false })
  async onArticleDeleting(event: ArticleDeletingEvent): Promise<void> {
    await this.comments.deleteForArticle(event.manager, event.articleId);
  }

  /** After the write committed: the cached list must be gone before the answer is sent. */
  private async changed(event: CommentsChangedEvent): Promise<void> {
    await this.events.emitAsync(COMMENTS_CHANGED, event);
  }

  private async articleId(slug: string): Promise<string> {
    const id = await this.articles.findArticleId(slug);
    if (!id) throw new ArticleNotFoundError();
    return id;
  }
}

function toComment(row: CommentEntity, author: ProfileDto | undefined): CommentDto {
  return {
    id: row.id,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    body: row.body,
    author: author ?? UNKNOWN_PROFILE,
  };
}
