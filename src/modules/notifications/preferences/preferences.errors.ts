import { NotFoundError } from '../../../core/http/app-error.js';

/** A token this deployment did not sign (altered, truncated, from another deployment): no such link. */
export class UnsubscribeLinkNotFoundError extends NotFoundError {
  constructor() {
    super('UNSUBSCRIBE_LINK_NOT_FOUND', 'This unsubscribe link does not exist');
  }
}
