import { ForbiddenError, NotFoundError } from '../../core/http/app-error.js';

export class ArticleNotFoundError extends NotFoundError {
  constructor() {
    super('ARTICLE_NOT_FOUND', 'article not found');
  }
}

export class NotArticleAuthorError extends ForbiddenError {
  constructor(action: 'edit' | 'delete') {
    super('NOT_ARTICLE_AUTHOR', `only the author can ${action} this article`);
  }
}
