import { ConflictError, ForbiddenError, NotFoundError } from '../../core/http/app-error.js';

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

/** A moderator hides a comment that is hidden already (409). */
export class CommentAlreadyHiddenError extends ConflictError {
  constructor() {
    super('COMMENT_ALREADY_HIDDEN', 'the comment is hidden already');
  }
}

/** A moderator unhides a comment that is not hidden (409). */
export class CommentNotHiddenError extends ConflictError {
  constructor() {
    super('COMMENT_NOT_HIDDEN', 'the comment is not hidden');
  }
}
