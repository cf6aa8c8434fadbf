export { ArticlesModule } from './articles.module.js';
export { ArticlesService } from './articles.service.js';
export {
  ARTICLE_DELETING,
  ARTICLES_CHANGED,
  type ArticleDeletingEvent,
  type ArticlesChangedEvent,
} from './articles.events.js';
export { ARTICLES_SCOPE, articleScope } from './articles.cache.js';
export { ArticleNotFoundError } from './articles.errors.js';
