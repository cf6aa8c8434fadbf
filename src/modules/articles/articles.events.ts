import type { EntityManager } from 'typeorm';

/**
 * Emitted (and awaited) inside the transaction that deletes an article, before the row goes.
 * Listeners remove what they own for the article through `manager`, so the deletion is all or nothing.
 */
export const ARTICLE_DELETING = 'articles.article.deleting';

export interface ArticleDeletingEvent {
  articleId: string;
  manager: EntityManager;
}

/**
 * Emitted (and awaited) after an article write has committed, before the answer is sent: created, edited
 * (with its old and new slug when the title changed), deleted, favorited, unfavorited, hidden or unhidden. The read cache is
 * retired from it (articles.cache.ts). Never emitted inside the transaction: a bump before the commit could let
 * a concurrent read cache the old rows under the new version.
 */
export const ARTICLES_CHANGED = 'articles.article.changed';

export interface ArticlesChangedEvent {
  slugs: string[];
  change: 'created' | 'updated' | 'deleted' | 'favorited' | 'unfavorited' | 'hidden' | 'unhidden';
}
