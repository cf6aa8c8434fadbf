import { Module } from '@nestjs/common';
import { CoreModule } from './core/core.module.js';
import { ArticlesModule } from './modules/articles/index.js';
import { CommentsModule } from './modules/comments/index.js';
import { IdentityModule } from './modules/identity/index.js';
import { ModerationModule } from './modules/moderation/index.js';
import { NotificationsModule } from './modules/notifications/index.js';
import { ProfilesModule } from './modules/profiles/index.js';
import { ReportsModule } from './modules/reports/index.js';

/**
 * API composition root: the kernel plus every feature module. createApp() adds WorkerFeaturesModule when the
 * workers run in the api process (embedded mode, WORKER_IN_PROCESS).
 */
@Module({
  imports: [
    CoreModule,
    IdentityModule,
    ProfilesModule,
    ArticlesModule,
    CommentsModule,
    NotificationsModule,
    ReportsModule,
    ModerationModule,
  ],
})
export class AppModule {}
