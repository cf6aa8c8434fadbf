import { ConflictError, UnauthorizedError } from '../../core/http/app-error.js';

export class EmailTakenError extends ConflictError {
  constructor() {
    super('EMAIL_TAKEN', 'email has already been taken', [
      { field: 'user.email', message: 'email has already been taken' },
    ]);
  }
}

export class UsernameTakenError extends ConflictError {
  constructor() {
    super('USERNAME_TAKEN', 'username has already been taken', [
      { field: 'user.username', message: 'username has already been taken' },
    ]);
  }
}

/** Deliberately does not say whether the email or the password was wrong. */
export class InvalidCredentialsError extends UnauthorizedError {
  constructor() {
    super('INVALID_CREDENTIALS', 'email or password is invalid');
  }
}
