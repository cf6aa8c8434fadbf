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
