import { NotFoundError, ValidationFailedError } from '../../core/http/app-error.js';

export class ProfileNotFoundError extends NotFoundError {
  constructor() {
    super('PROFILE_NOT_FOUND', 'profile not found');
  }
}

export class CannotFollowSelfError extends ValidationFailedError {
  override readonly code = 'CANNOT_FOLLOW_SELF';
  constructor() {
    super([{ field: 'username', message: 'you cannot follow yourself' }], 'you cannot follow yourself');
  }
}
