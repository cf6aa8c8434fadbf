import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { inAppNotificationsConfig, mailConfig } from '../../core/config/app.config.js';
import { LifecycleModule } from '../../core/lifecycle/lifecycle.module.js';
import { JobsModule } from '../../core/jobs/jobs.module.js';
import { ArticlesModule } from '../articles/index.js';
import { IdentityModule } from '../identity/index.js';
import { ProfilesModule } from '../profiles/index.js';
import { NOTIFICATIONS_QUEUE } from './notifications.queue.js';
import { NotificationsController } from './notifications.controller.js';
import { InAppNotificationEntity } from './in-app/in-app-notification.entity.js';
import { InAppNotificationsRepository } from './in-app/in-app-notifications.repository.js';
import { InAppNotifications } from './in-app/in-app-notifications.service.js';
import { NotificationFanout } from './in-app/notification-fanout.js';
import { NotificationStreamHub } from './in-app/notification-stream.hub.js';
import { NotificationPreferenceEntity } from './preferences/notification-preference.entity.js';
import { PreferencesController } from './preferences/preferences.controller.js';
import { NotificationPreferences } from './preferences/preferences.service.js';
import { UnsubscribeTokens } from './preferences/unsubscribe-token.js';

/** Mail and in-app notifications on what happens to a user's account, articles and followers (docs/notifications.md). */
@Module({
  imports: [
    TypeOrmModule.forFeature([InAppNotificationEntity]),
    ConfigModule.forFeature(inAppNotificationsConfig),
    LifecycleModule,
    JobsModule.forQueue(NOTIFICATIONS_QUEUE),
    ConfigModule.forFeature(mailConfig),
    TypeOrmModule.forFeature([NotificationPreferenceEntity]),
    IdentityModule,
    ProfilesModule,
    ArticlesModule,
  ],
  controllers: [NotificationsController, PreferencesController],
  providers: [
    InAppNotifications,
    InAppNotificationsRepository,
    NotificationFanout,
    NotificationStreamHub,
    NotificationPreferences,
    UnsubscribeTokens,
  ],
  exports: [InAppNotifications, NotificationPreferences, UnsubscribeTokens],
})
export class NotificationsModule {}
