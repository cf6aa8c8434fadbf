import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
} from '../../core/http/app-error.js';

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

/** Unknown, expired, or of a session that has ended: the client must log in again. */
export class RefreshTokenInvalidError extends UnauthorizedError {
  constructor() {
    super('REFRESH_TOKEN_INVALID', 'The refresh token is not valid or its session has ended; log in again');
  }
}

/** A rotated refresh token came back: someone holds a copy, so the whole session was ended. */
export class RefreshTokenReusedError extends UnauthorizedError {
  constructor() {
    super(
      'REFRESH_TOKEN_REUSED',
      'This refresh token was already used; the session it belonged to has been ended for safety, log in again',
    );
  }
}

export class SessionNotFoundError extends NotFoundError {
  constructor() {
    super('SESSION_NOT_FOUND', 'No live session of yours has this id');
  }
}

/** Unknown, used or expired: one answer for all three. */
export class AccountTokenInvalidError extends BadRequestError {
  constructor() {
    super('ACCOUNT_TOKEN_INVALID', 'This link is not valid: it was used already, has expired, or never existed');
  }
}

export class UserNotFoundError extends NotFoundError {
  constructor() {
    super('USER_NOT_FOUND', 'No user has this username');
  }
}

/** An admin may not suspend or demote themselves (there would be no one left to undo it). */
export class SelfAdministrationError extends ForbiddenError {
  constructor() {
    super('SELF_ADMINISTRATION', 'Admins cannot suspend themselves or change their own role');
  }
}
