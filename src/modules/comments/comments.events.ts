/** Emitted (and awaited) after a comment was added to or deleted from an article, before the answer is sent. */
export const COMMENTS_CHANGED = 'comments.comments.changed';

export interface CommentsChangedEvent {
  /** The article's slug, as the comments route names it. */
  slug: string;
  commentId: number;
  change: 'added' | 'deleted';
}
