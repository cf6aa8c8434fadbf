export { ArticlesModule } from './articles.module.js';
export { ArticlesService } from './articles.service.js';
export { ARTICLE_DELETING, type ArticleDeletingEvent } from './articles.events.js';
export { ArticleNotFoundError } from './articles.errors.js';
