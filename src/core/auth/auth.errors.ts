import { ForbiddenError, UnauthorizedError } from '../http/app-error.js';

export class AuthenticationRequiredError extends UnauthorizedError {
  constructor() {
    super('AUTH_REQUIRED', 'This endpoint requires an access token: send "Authorization: Token <jwt>"');
  }
}

export class InvalidTokenError extends UnauthorizedError {
  constructor() {
    super('TOKEN_INVALID', 'The access token is malformed or its signature is not valid');
  }
}

export class ExpiredTokenError extends UnauthorizedError {
  constructor() {
    super('TOKEN_EXPIRED', 'The access token has expired; log in again');
  }
}

/** The token is valid, but the account it was issued to no longer exists. */
export class TokenSubjectGoneError extends UnauthorizedError {
  constructor() {
    super('TOKEN_SUBJECT_GONE', 'The account this access token was issued to no longer exists');
  }
}

export class RoleRequiredError extends ForbiddenError {
  constructor(role: string) {
    super('ROLE_REQUIRED', `This endpoint requires the ${role} role`);
  }
}

export class TokenRevokedError extends UnauthorizedError {
  constructor() {
    super('TOKEN_REVOKED', 'The session this access token belongs to has ended (logged out or revoked); log in again');
  }
}

/** The caller is known (a valid token, or the right password) but an admin has suspended the account. */
export class AccountSuspendedError extends ForbiddenError {
  constructor() {
    super('ACCOUNT_SUSPENDED', 'This account is suspended; contact the site administrators');
  }
}
