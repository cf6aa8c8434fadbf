import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { idempotencyConfig } from '../config/app.config.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { Idempotency } from './idempotency.service.js';

/**
 * `Idempotency-Key` on every write of the versioned API and on `POST /api/articles` (docs/idempotency.md):
 * a global interceptor, so no route can be left out; `@SkipIdempotency()` opts one out.
 */
@Module({
  imports: [ConfigModule.forFeature(idempotencyConfig)],
  providers: [Idempotency, { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
})
export class IdempotencyModule {}
