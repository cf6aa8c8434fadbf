export { IdentityModule } from './identity.module.js';
export { IdentityService } from './identity.service.js';
export type { PublicUser, UserContact } from './identity.types.js';
export type { MailedAccountToken } from './identity.service.js';
export {
  EMAIL_CHANGE_REQUESTED,
  PASSWORD_RESET_REQUESTED,
  USER_PROFILE_CHANGED,
  USER_REGISTERED,
  type EmailChangeRequestedPayload,
  type PasswordResetRequestedPayload,
  type UserProfileChangedEvent,
  type UserRegisteredPayload,
} from './identity.events.js';
