export { IdentityModule } from './identity.module.js';
export { IdentityService } from './identity.service.js';
export type { PublicUser } from './identity.types.js';
export { USER_PROFILE_CHANGED, type UserProfileChangedEvent } from './identity.events.js';
