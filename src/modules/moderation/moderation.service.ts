import { Injectable } from '@nestjs/common';
import { AuditLog, type AuditActor } from '../../core/audit/audit-log.js';
import { ArticlesService, type ArticleDto } from '../articles/index.js';
import { CommentsService, type CommentDto } from '../comments/index.js';

/**
 * Hiding and unhiding content. The owning modules change their rows (`setHidden`); the audit entry is written
 * in their transaction, so the change and its record commit together or not at all.
 */
@Injectable()
export class ModerationService {
  constructor(
    private readonly articles: ArticlesService,
    private readonly comments: CommentsService,
    private readonly audit: AuditLog,
  ) {}

  setArticleHidden(slug: string, hidden: boolean, reason: string, actor: AuditActor): Promise<ArticleDto> {
    return this.articles.setHidden(slug, { hidden, by: actor.userId }, async (manager, article) => {
      await this.audit.record(
        actor,
        {
          action: hidden ? 'article.hidden' : 'article.unhidden',
          targetType: 'article',
          targetId: article.id,
          reason,
          details: { slug: article.slug, authorId: article.authorId },
        },
        manager,
      );
    });
  }

  setCommentHidden(id: number, hidden: boolean, reason: string, actor: AuditActor): Promise<CommentDto> {
    return this.comments.setHidden(id, { hidden, by: actor.userId }, async (manager, comment) => {
      await this.audit.record(
        actor,
        {
          action: hidden ? 'comment.hidden' : 'comment.unhidden',
          targetType: 'comment',
          targetId: String(comment.id),
          reason,
          details: { articleId: comment.articleId, authorId: comment.authorId },
        },
        manager,
      );
    });
  }
}
