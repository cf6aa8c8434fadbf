import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { ReadCache } from '../../core/cache/read-cache.service.js';
import { USER_PROFILE_CHANGED, type UserProfileChangedEvent } from '../identity/index.js';
import { FOLLOW_CHANGED, type FollowChangedEvent } from './profiles.events.js';

/** Every cached read that shows an author's public fields (lists, articles, comments) depends on this scope. */
export const PROFILES_SCOPE = 'profiles';

/** `GET /api/profiles/:username`. */
export function profileScope(username: string): string {
  return `profile:${username}`;
}

/** Retires the cached reads a profile write makes stale, before the write is answered. */
@Injectable()
export class ProfilesCacheInvalidation {
  constructor(private readonly cache: ReadCache) {}

  /** A new username, bio or image shows wherever the user appears; the old username's profile is gone. */
  @OnEvent(USER_PROFILE_CHANGED, { suppressErrors: false })
  async onUserProfileChanged(event: UserProfileChangedEvent): Promise<void> {
    await this.cache.invalidate([PROFILES_SCOPE, profileScope(event.previousUsername), profileScope(event.username)]);
  }

  /**
   * Anonymous profiles always read `following: false`, so no cached answer changes today; the bump keeps the
   * profile correct if it ever shows follower counts, for the cost of one Redis round trip.
   */
  @OnEvent(FOLLOW_CHANGED, { suppressErrors: false })
  async onFollowChanged(event: FollowChangedEvent): Promise<void> {
    await this.cache.invalidate([profileScope(event.username)]);
  }
}
