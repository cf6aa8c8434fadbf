export { NotificationsModule } from './notifications.module.js';
export { NotificationsWorkerModule } from './notifications-worker.module.js';
export {
  InAppNotifications,
  type InAppNotificationKind,
  type NewInAppNotification,
} from './in-app/in-app-notifications.service.js';
export { Mailer, type BreakerState } from './mail/mailer.js';
export { messageIdFor } from './mail/mail-deliveries.js';
export { UnsubscribeTokens } from './preferences/unsubscribe-token.js';
