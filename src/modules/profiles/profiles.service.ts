import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { AuthUser } from '../../core/auth/auth.types.js';
import { IdentityService, type PublicUser } from '../identity/index.js';
import { FollowsRepository } from './follows.repository.js';
import { CannotFollowSelfError, ProfileNotFoundError } from './profiles.errors.js';
import { FOLLOW_CHANGED, USER_FOLLOWED, type FollowChangedEvent, type UserFollowedPayload } from './profiles.events.js';
import { Outbox } from '../../core/jobs/outbox.js';
import type { ProfileDto } from './dto/profile-response.dto.js';

@Injectable()
export class ProfilesService {
  constructor(
    private readonly identity: IdentityService,
    private readonly follows: FollowsRepository,
    private readonly events: EventEmitter2,
    private readonly outbox: Outbox,
  ) {}

  async getProfile(username: string, viewer?: AuthUser): Promise<ProfileDto> {
    const user = await this.loadUser(username);
    const following = viewer ? await this.follows.followedAmong(viewer.id, [user.id]) : new Set<string>();
    return toProfile(user, following.has(user.id));
  }

  async follow(viewer: AuthUser, username: string): Promise<ProfileDto> {
    const user = await this.loadUser(username);
    if (user.id === viewer.id) throw new CannotFollowSelfError();
    await this.follows.transaction(async (manager) => {
      if (!(await this.follows.follow(manager, viewer.id, user.id))) return;
      const payload: UserFollowedPayload = { followerId: viewer.id, followeeId: user.id };
      await this.outbox.publish(manager, { topic: USER_FOLLOWED, key: `${viewer.id}.${user.id}`, payload });
    });
    await this.followChanged(viewer, user, true);
    return toProfile(user, true);
  }

  async unfollow(viewer: AuthUser, username: string): Promise<ProfileDto> {
    const user = await this.loadUser(username);
    await this.follows.unfollow(viewer.id, user.id);
    await this.followChanged(viewer, user, false);
    return toProfile(user, false);
  }

  /**
   * Profiles of the given users as `viewerId` sees them: two queries (users, follows) whatever the
   * number of ids. For list endpoints of other modules.
   */
  async getProfilesByIds(userIds: string[], viewerId?: string): Promise<Map<string, ProfileDto>> {
    const ids = [...new Set(userIds)];
    const [users, following] = await Promise.all([
      this.identity.findPublicUsers(ids),
      viewerId ? this.follows.followedAmong(viewerId, ids) : Promise.resolve(new Set<string>()),
    ]);
    return new Map(users.map((user) => [user.id, toProfile(user, following.has(user.id))]));
  }

  /** Ids of the users `followerId` follows (the feed's authors). */
  followedUserIds(followerId: string): Promise<string[]> {
    return this.follows.followeeIds(followerId);
  }

  /** A user's id by username, or undefined: for filters such as `?author=`. */
  async findUserId(username: string): Promise<string | undefined> {
    return (await this.identity.findPublicUserByUsername(username))?.id;
  }

  private async followChanged(viewer: AuthUser, user: PublicUser, following: boolean): Promise<void> {
    const event: FollowChangedEvent = { followerId: viewer.id, username: user.username, following };
    await this.events.emitAsync(FOLLOW_CHANGED, event);
  }

  private async loadUser(username: string): Promise<PublicUser> {
    const user = await this.identity.findPublicUserByUsername(username);
    if (!user) throw new ProfileNotFoundError();
    return user;
  }
}

/** Stands in for an author whose user row is gone (users are referenced by id, without a foreign key). */
export const UNKNOWN_PROFILE: ProfileDto = Object.freeze({ username: '', bio: null, image: null, following: false });

function toProfile(user: PublicUser, following: boolean): ProfileDto {
  return { username: user.username, bio: user.bio, image: user.image, following };
}
