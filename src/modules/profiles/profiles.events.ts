/** Emitted (and awaited) after a follow or unfollow was written, before the answer is sent. */
export const FOLLOW_CHANGED = 'profiles.follow.changed';

export interface FollowChangedEvent {
  followerId: string;
  /** The followed (or unfollowed) user. */
  username: string;
  following: boolean;
}
