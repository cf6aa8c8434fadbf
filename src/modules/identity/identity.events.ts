/**
 * Emitted (and awaited) after a user's public fields (username, bio, image) were saved, before the answer is
 * sent: readers of public profiles (the profiles module's cache) refresh what they hold about the user.
 */
export const USER_PROFILE_CHANGED = 'identity.user.profile-changed';

export interface UserProfileChangedEvent {
  userId: string;
  /** The username before the change (equal to `username` when it did not change). */
  previousUsername: string;
  username: string;
}

/**
 * Integration event (published through the outbox in the registration's transaction): a new account exists.
 * Background work (the welcome mail) starts from it.
 */
export const USER_REGISTERED = 'identity.user-registered';

export interface UserRegisteredPayload {
  userId: string;
}

/**
 * Integration event: someone asked for a password-reset link for this address. Published whether or not an
 * account has it (the answer and its timing must not tell); the worker looks the account up and mails the link.
 */
export const PASSWORD_RESET_REQUESTED = 'identity.password-reset-requested';

export interface PasswordResetRequestedPayload {
  /** Normalised (trimmed, lower-cased) as accounts store it. */
  email: string;
}

/** Integration event: a user asked to move their account to a new address; the link goes to that address. */
export const EMAIL_CHANGE_REQUESTED = 'identity.email-change-requested';

export interface EmailChangeRequestedPayload {
  userId: string;
  newEmail: string;
  /** The session that asked: the link works only while it lives. */
  sessionId?: string;
}
