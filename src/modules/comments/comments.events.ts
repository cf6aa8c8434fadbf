/** Emitted (and awaited) after a comment was added, deleted, hidden or unhidden, before the answer is sent. */
export const COMMENTS_CHANGED = 'comments.comments.changed';

export interface CommentsChangedEvent {
  /** The article's slug, as the comments route names it. */
  slug: string;
  commentId: number;
  change: 'added' | 'deleted' | 'hidden' | 'unhidden';
}

/**
 * Integration event (published through the outbox in the comment's transaction): a comment was added to an
 * article. Carries what the notification needs to name the article without reading the comments module.
 */
export const COMMENT_ADDED = 'comments.comment-added';

export interface CommentAddedPayload {
  commentId: number;
  articleId: string;
  /** The article's slug when the comment was written. */
  slug: string;
  commenterId: string;
}
