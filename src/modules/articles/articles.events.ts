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
