import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { redisConfig, type RedisConfig } from '../config/app.config.js';

/** The shared Redis connection, or null in embedded mode (in-process fallbacks are used instead). */
export const REDIS = Symbol('REDIS');

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [redisConfig.KEY],
      useFactory: (config: RedisConfig): Redis | null => {
        if (!config.url) return null;
        const logger = new Logger('Redis');
        const client = new Redis(config.url, {
          lazyConnect: false,
          maxRetriesPerRequest: 2,
          enableOfflineQueue: true,
          connectionName: 'folio',
          // Commands issued in the same tick (rate-limit counts and cache version reads of concurrent requests)
          // leave in one write: under load, one syscall and one round trip for many requests.
          enableAutoPipelining: true,
        });
        // ioredis reconnects by itself; log instead of crashing on a transient outage.
        client.on('error', (error: Error) => logger.warn(`redis: ${error.message}`));
        return client;
      },
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis && this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}
