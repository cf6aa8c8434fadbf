import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mailConfig } from '../../core/config/app.config.js';
import { JobsModule } from '../../core/jobs/jobs.module.js';
import { ArticlesModule } from '../articles/index.js';
import { IdentityModule } from '../identity/index.js';
import { ProfilesModule } from '../profiles/index.js';
import { DigestScheduler } from './digest.scheduler.js';
import { DigestFanOut } from './mail/digest-fan-out.js';
import { DigestMails } from './mail/digest-mails.js';
import { MailDeliveryEntity } from './mail/mail-delivery.entity.js';
import { MailDeliveries } from './mail/mail-deliveries.js';
import { MailRenderer } from './mail/mail-renderer.js';
import { Mailer } from './mail/mailer.js';
import { NotificationMails } from './mail/notification-mails.js';
import { NotificationsModule } from './notifications.module.js';
import { NOTIFICATIONS_QUEUE } from './notifications.queue.js';
import { NotificationsProcessor } from './notifications.processor.js';

/**
 * The notifications queue's processor and what only it uses (the mailer and its breaker, templates, the
 * delivery log, the digest scheduler): loaded where workers run (WorkerFeaturesModule), never by a pure api.
 */
@Module({
  imports: [
    NotificationsModule,
    JobsModule.forQueue(NOTIFICATIONS_QUEUE),
    ConfigModule.forFeature(mailConfig),
    TypeOrmModule.forFeature([MailDeliveryEntity]),
    IdentityModule,
    ProfilesModule,
    ArticlesModule,
  ],
  providers: [
    NotificationsProcessor,
    DigestScheduler,
    Mailer,
    MailRenderer,
    MailDeliveries,
    NotificationMails,
    DigestMails,
    DigestFanOut,
  ],
})
export class NotificationsWorkerModule {}
