import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { cacheConfig } from '../config/app.config.js';
import { ReadCache } from './read-cache.service.js';

/** The read cache, for every module: `@CachedRead()` on public GETs, `ReadCache.invalidate()` from event listeners. */
@Global()
@Module({
  imports: [ConfigModule.forFeature(cacheConfig)],
  // ReadCacheInterceptor is not provided here: `@CachedRead()` (UseInterceptors) makes it in the controller's module.
  providers: [ReadCache],
  exports: [ReadCache],
})
export class CacheModule {}
