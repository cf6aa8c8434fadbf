/** Emitted (and awaited) after a follow or unfollow was written, before the answer is sent. */
export const FOLLOW_CHANGED = 'profiles.follow.changed';

export interface FollowChangedEvent {
  followerId: string;
  /** The followed (or unfollowed) user. */
  username: string;
  following: boolean;
}

/**
 * Integration event (published through the outbox in the follow's transaction): `followerId` started following
 * `followeeId`. Published once per pair: following again after an unfollow starts nothing new.
 */
export const USER_FOLLOWED = 'profiles.user-followed';

export interface UserFollowedPayload {
  followerId: string;
  followeeId: string;
}
