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
import type { EntityManager } from 'typeorm';
import type { CommentEntity } from './comment.entity.js';
import {
  CommentAlreadyHiddenError,
  CommentNotFoundError,
  CommentNotHiddenError,
  NotCommentAuthorError,
} from './comments.errors.js';
import {
  COMMENT_ADDED,
  COMMENTS_CHANGED,
  type CommentAddedPayload,
  type CommentsChangedEvent,
} from './comments.events.js';
import { Outbox } from '../../core/jobs/outbox.js';
import { CommentsRepository } from './comments.repository.js';
import type { CommentDto } from './dto/comment-response.dto.js';

/** What the moderation module's transaction work gets to know of the comment (the audit entry). */
export interface CommentRef {
  id: number;
  articleId: string;
  authorId: string;
}

@Injectable()
export class CommentsService {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly articles: ArticlesService,
    private readonly profiles: ProfilesService,
    private readonly events: EventEmitter2,
    private readonly outbox: Outbox,
  ) {}

  /** Hidden comments are listed only for their author; a hidden article's comments only for its author. */
  async list(slug: string, viewer?: AuthUser): Promise<CommentDto[]> {
    const rows = await this.comments.forArticle(await this.articleId(slug, viewer), viewer?.id);
    const authors = await this.profiles.getProfilesByIds(
      rows.map((row) => row.authorId),
      viewer?.id,
    );
    return rows.map((row) => toComment(row, authors.get(row.authorId)));
  }

  async create(author: AuthUser, slug: string, body: string): Promise<CommentDto> {
    const row = await this.articles.withArticle(
      slug,
      async (articleId, manager) => {
        if (!articleId) throw new ArticleNotFoundError();
        const inserted = await this.comments.insert(manager, { articleId, authorId: author.id, body });
        const payload: CommentAddedPayload = { commentId: inserted.id, articleId, slug, commenterId: author.id };
        await this.outbox.publish(manager, { topic: COMMENT_ADDED, key: String(inserted.id), payload });
        return inserted;
      },
      author.id,
    );
    await this.changed({ slug, commentId: row.id, change: 'added' });
    const authors = await this.profiles.getProfilesByIds([author.id], author.id);
    return toComment(row, authors.get(author.id));
  }

  async delete(caller: AuthUser, slug: string, id: number): Promise<void> {
    const comment = await this.comments.findOne(await this.articleId(slug, caller), id);
    if (!comment || (comment.hiddenAt && comment.authorId !== caller.id)) throw new CommentNotFoundError();
    if (comment.authorId !== caller.id) throw new NotCommentAuthorError();
    await this.comments.delete(comment.id);
    await this.changed({ slug, commentId: comment.id, change: 'deleted' });
  }

  /**
   * A moderator hides or unhides a comment (docs/moderation.md): the row locked, the change, then
   * `inTransaction` (the audit entry), in one transaction; 409 when it is in that state already. The article's
   * cached comment list is retired as for a deletion. Returns the comment as its author sees it.
   */
  async setHidden(
    id: number,
    change: { hidden: boolean; by: string },
    inTransaction: (manager: EntityManager, comment: CommentRef) => Promise<void>,
  ): Promise<CommentDto> {
    const row = await this.comments.transaction(async (manager) => {
      const comment = await this.comments.findForUpdate(manager, id);
      if (!comment) throw new CommentNotFoundError();
      if (change.hidden && comment.hiddenAt) throw new CommentAlreadyHiddenError();
      if (!change.hidden && !comment.hiddenAt) throw new CommentNotHiddenError();
      comment.hiddenAt = change.hidden ? new Date() : null;
      comment.hiddenBy = change.hidden ? change.by : null;
      await this.comments.setHidden(manager, comment.id, comment.hiddenAt, comment.hiddenBy);
      await inTransaction(manager, { id: comment.id, articleId: comment.articleId, authorId: comment.authorId });
      return comment;
    });
    const slug = await this.articles.findSlug(row.articleId);
    if (slug) await this.changed({ slug, commentId: row.id, change: change.hidden ? 'hidden' : 'unhidden' });
    const authors = await this.profiles.getProfilesByIds([row.authorId]);
    return toComment(row, authors.get(row.authorId));
  }

  /**
   * The comment when `viewerId` may read it (abuse reports check targets): not hidden (or theirs), on an article
   * they may read.
   */
  async findVisibleComment(id: number, viewerId?: string): Promise<CommentRef | undefined> {
    const comment = await this.comments.findById(id);
    if (!comment || (comment.hiddenAt && comment.authorId !== viewerId)) return undefined;
    if (!(await this.articles.canRead(comment.articleId, viewerId))) return undefined;
    return { id: comment.id, articleId: comment.articleId, authorId: comment.authorId };
  }

  /** Which of the given comment ids still exist, in one query. */
  existing(ids: number[]): Promise<Set<number>> {
    return this.comments.existingIds(ids);
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

  private async articleId(slug: string, viewer?: AuthUser): Promise<string> {
    const id = await this.articles.findArticleId(slug, viewer?.id);
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
    ...(row.hiddenAt && { hidden: true }),
  };
}
