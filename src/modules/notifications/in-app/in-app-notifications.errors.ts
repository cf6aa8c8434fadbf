import { NotFoundError, ValidationFailedError } from '../../../core/http/app-error.js';

/** Also what another user's notification answers: its existence is not the caller's business (404, not 403). */
export class NotificationNotFoundError extends NotFoundError {
  constructor() {
    super('NOTIFICATION_NOT_FOUND', 'notification not found');
  }
}

/** A `cursor` query parameter that is not a `nextCursor` this endpoint issued (422, field `cursor`). */
export class InvalidNotificationCursorError extends ValidationFailedError {
  override readonly code: string = 'INVALID_CURSOR';
  constructor() {
    super(
      [{ field: 'cursor', message: 'cursor must be a nextCursor returned by this endpoint' }],
      'The cursor is not valid',
    );
  }
}

/** A `Last-Event-ID` header that is not an event id this stream sent (422). */
export class InvalidLastEventIdError extends ValidationFailedError {
  override readonly code: string = 'INVALID_LAST_EVENT_ID';
  constructor() {
    super([{ field: 'Last-Event-ID', message: 'Last-Event-ID must be the id of an event this stream sent' }]);
  }
}
