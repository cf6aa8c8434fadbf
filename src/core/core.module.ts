import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CacheModule } from './cache/cache.module.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { FlagsModule } from './flags/flags.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { HealthModule } from './health/health.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { AppErrorFilter } from './http/app-error.filter.js';
import { createValidationPipe } from './http/validation.pipe.js';
import { LoggerModule } from './observability/logger.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { RedisModule } from './redis/redis.module.js';
import { ThrottlingModule } from './throttling/throttling.module.js';

/** The shared kernel every process loads. Never imports src/modules. */
@Module({
  imports: [
    ConfigModule,
    LoggerModule,
    DatabaseModule,
    RedisModule,
    CacheModule,
    // Before AuthModule: global guards run in import order, and a flood is refused before any token check.
    ThrottlingModule,
    AuthModule,
    HealthModule,
    FlagsModule,
    AuditModule,
    JobsModule,
    MetricsModule,
    // After the guards (global interceptors run once they passed): a key is scoped to the verified caller.
    IdempotencyModule,
    // In-process, awaited events for work that must share the emitter's transaction (see articles.events.ts).
    EventEmitterModule.forRoot({ wildcard: false }),
  ],
  providers: [
    { provide: APP_FILTER, useClass: AppErrorFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
export class CoreModule {}
