import { ForbiddenError, NotFoundError, ValidationFailedError } from '../../core/http/app-error.js';

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

/** A `cursor` query parameter that is not a `nextCursor` this API issued (422, field `cursor`). */
export class InvalidCursorError extends ValidationFailedError {
  override readonly code: string = 'INVALID_CURSOR';
  constructor() {
    super(
      [{ field: 'cursor', message: 'cursor must be a nextCursor returned by this endpoint' }],
      'The cursor is not valid',
    );
  }
}
