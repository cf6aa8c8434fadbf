export { ArticlesModule } from './articles.module.js';
export { ArticlesService } from './articles.service.js';
export { ArticleExport, type ExportedArticle } from './article-export.js';
export { ArticleSummaries, type ArticleSummary } from './article-summaries.js';
export {
  ARTICLE_DELETING,
  ARTICLES_CHANGED,
  type ArticleDeletingEvent,
  type ArticlesChangedEvent,
} from './articles.events.js';
export { ARTICLES_SCOPE, articleScope } from './articles.cache.js';
export { ArticleNotFoundError } from './articles.errors.js';
