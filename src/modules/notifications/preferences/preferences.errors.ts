import { BadRequestError } from '../../../core/http/app-error.js';

export class InvalidUnsubscribeTokenError extends BadRequestError {
  constructor() {
    super('INVALID_UNSUBSCRIBE_TOKEN', 'This unsubscribe link is not valid');
  }
}
