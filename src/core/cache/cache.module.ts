import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { cacheConfig } from '../config/app.config.js';
import { ReadCacheInterceptor } from './read-cache.interceptor.js';
import { ReadCache } from './read-cache.service.js';

/** The read cache, for every module: `@CachedRead()` on public GETs, `ReadCache.invalidate()` from event listeners. */
@Global()
@Module({
  imports: [ConfigModule.forFeature(cacheConfig)],
  providers: [ReadCache, ReadCacheInterceptor],
  exports: [ReadCache, ReadCacheInterceptor],
})
export class CacheModule {}
