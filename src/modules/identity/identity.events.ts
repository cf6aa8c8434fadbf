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
