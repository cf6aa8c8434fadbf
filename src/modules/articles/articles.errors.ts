import { ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../../core/http/app-error.js';

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

/** A moderator hides an article that is hidden already (409). */
export class ArticleAlreadyHiddenError extends ConflictError {
  constructor() {
    super('ARTICLE_ALREADY_HIDDEN', 'the article is hidden already');
  }
}

/** A moderator unhides an article that is not hidden (409). */
export class ArticleNotHiddenError extends ConflictError {
  constructor() {
    super('ARTICLE_NOT_HIDDEN', 'the article is not hidden');
  }
}
