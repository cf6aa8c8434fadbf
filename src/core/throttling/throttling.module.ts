import { Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { rateLimitConfig, redisConfig, type RateLimitConfig, type RedisConfig } from '../config/app.config.js';
import { REDIS } from '../redis/redis.module.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';
import { throttlersFor } from './throttlers.js';

/**
 * Rate limits with @nestjs/throttler, counted in the shared Redis (in memory without it). Imported by
 * CoreModule before AuthModule: global guards run in registration order, and limits come first.
 */
@Module({
  imports: [
    NestConfigModule.forFeature(rateLimitConfig),
    ThrottlerModule.forRootAsync({
      imports: [NestConfigModule.forFeature(rateLimitConfig)],
      inject: [rateLimitConfig.KEY, redisConfig.KEY, REDIS, Reflector],
      useFactory: (config: RateLimitConfig, redisSettings: RedisConfig, redis: Redis | null, reflector: Reflector) => ({
        storage: new RedisThrottlerStorage(redis, redisSettings.keyPrefix),
        throttlers: throttlersFor(config, reflector),
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class ThrottlingModule {}
