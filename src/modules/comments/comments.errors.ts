import { ForbiddenError, NotFoundError } from '../../core/http/app-error.js';

export class CommentNotFoundError extends NotFoundError {
  constructor() {
    super('COMMENT_NOT_FOUND', 'comment not found');
  }
}

export class NotCommentAuthorError extends ForbiddenError {
  constructor() {
    super('NOT_COMMENT_AUTHOR', 'only the author can delete this comment');
  }
}
