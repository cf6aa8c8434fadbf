export { ArticlesModule } from './articles.module.js';
export { ArticlesService, type HiddenChange, type InHidingTransaction } from './articles.service.js';
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
export { ArticleDto, SingleArticleResponseDto } from './dto/article-response.dto.js';
export type { ArticleRef } from './articles.repository.js';
