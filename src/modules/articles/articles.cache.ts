import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { ReadCache } from '../../core/cache/read-cache.service.js';
import { ARTICLES_CHANGED, type ArticlesChangedEvent } from './articles.events.js';

/** Everything derived from the set of articles: every list and filter, the feed-free pages, tags and their counts. */
export const ARTICLES_SCOPE = 'articles';

/** One article by slug (`GET /api/articles/:slug`); its comment list depends on it too. */
export function articleScope(slug: string): string {
  return `article:${slug}`;
}

/** Retires the cached reads an article write makes stale, before the write is answered. */
@Injectable()
export class ArticlesCacheInvalidation {
  constructor(private readonly cache: ReadCache) {}

  @OnEvent(ARTICLES_CHANGED, { suppressErrors: false })
  async onArticlesChanged(event: ArticlesChangedEvent): Promise<void> {
    await this.cache.invalidate([ARTICLES_SCOPE, ...event.slugs.map(articleScope)]);
  }
}
