export { ProfilesModule } from './profiles.module.js';
export { ProfilesService, UNKNOWN_PROFILE } from './profiles.service.js';
export { FollowerCounts } from './follower-counts.js';
export { FollowerQueries } from './follower-queries.js';
export { ProfileDto } from './dto/profile-response.dto.js';
export { PROFILES_SCOPE, profileScope } from './profiles.cache.js';
export { FOLLOW_CHANGED, USER_FOLLOWED, type FollowChangedEvent, type UserFollowedPayload } from './profiles.events.js';
