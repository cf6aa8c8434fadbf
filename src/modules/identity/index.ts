export { IdentityModule } from './identity.module.js';
export { IdentityService } from './identity.service.js';
export type { PublicUser, UserContact } from './identity.types.js';
export {
  USER_PROFILE_CHANGED,
  USER_REGISTERED,
  type UserProfileChangedEvent,
  type UserRegisteredPayload,
} from './identity.events.js';
