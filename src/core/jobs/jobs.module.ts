import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { TypeOrmModule } from '@nestjs/typeorm';
import { jobsConfig, redisConfig, type JobsConfig, type RedisConfig } from '../config/app.config.js';
import { ReadDatabase } from '../database/read-database.js';
import { bullmqTelemetry } from '../observability/bullmq-telemetry.js';
import { DeadLettersController } from './dead-letters.controller.js';
import { DeadLetters } from './dead-letters.service.js';
import { JobRegistry } from './job-registry.js';
import { Outbox } from './outbox.js';
import { OutboxMessageEntity } from './outbox-message.entity.js';
import { OutboxRelay } from './outbox-relay.js';
import { postgresConnection, redisConnection } from './queue-connection.js';
import type { QueueDefinition } from './queue-definition.js';
import { QueueDashboard, QueueDashboardTokens } from './queue-dashboard.js';
import { QueueDashboardController } from './queue-dashboard.controller.js';

/**
 * Background work (docs/jobs.md): BullMQ on Redis, or on PostgreSQL without REDIS_URL; the transactional outbox
 * and its relay; dead letters and the queue dashboard (/admin/queues) for admins. Feature modules declare their
 * queue with `JobsModule.forQueue` and publish through `Outbox`.
 */
@Module({})
class QueueFeatureModule {}

@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([OutboxMessageEntity]),
    BullModule.forRootAsync({
      inject: [jobsConfig.KEY, redisConfig.KEY, ReadDatabase],
      useFactory: async (jobs: JobsConfig, redis: RedisConfig, database: ReadDatabase) => ({
        ...(redis.url
          ? { connection: redisConnection(redis.url), prefix: jobs.redisPrefix }
          : { connection: (await postgresConnection(database.primaryPool())) as never }),
        // Trace context from producer to worker (docs/observability.md); undefined without tracing.
        telemetry: bullmqTelemetry(),
        defaultJobOptions: {
          attempts: jobs.attempts,
          backoff: { type: 'exponential', delay: jobs.backoffMs },
          // Kept a day: the relay's deterministic job ids deduplicate against them.
          removeOnComplete: { age: 24 * 3600, count: 10_000 },
          // Dead letters: kept a month for admins to read and retry (GET /api/v1/admin/jobs/dead-letters).
          removeOnFail: { age: 30 * 24 * 3600 },
        },
      }),
    }),
  ],
  controllers: [DeadLettersController, QueueDashboardController],
  // QueueDashboard mounts /admin/queues on the api's Fastify instance (none in the worker process).
  providers: [Outbox, JobRegistry, OutboxRelay, DeadLetters, QueueDashboardTokens, QueueDashboard],
  exports: [Outbox, JobRegistry, OutboxRelay, DeadLetters],
})
export class JobsModule {
  /** Registers a module's queue (its producer, injectable with `@InjectQueue(queue.name)`) and declares its jobs. */
  static forQueue(queue: QueueDefinition): DynamicModule {
    return {
      module: QueueFeatureModule,
      imports: [BullModule.registerQueue({ name: queue.name })],
      providers: [
        {
          provide: `folio:queue-definition:${queue.name}`,
          inject: [JobRegistry, getQueueToken(queue.name)],
          useFactory: (registry: JobRegistry, producer: Queue) => {
            registry.declare(queue);
            // An emitter's 'error' without a listener would crash the process; a lost connection is retried.
            const logger = new Logger(`Queue ${queue.name}`);
            producer.on('error', (error: Error) => logger.warn(`queue connection: ${error.message}`));
          },
        },
      ],
      exports: [BullModule],
    };
  }
}
