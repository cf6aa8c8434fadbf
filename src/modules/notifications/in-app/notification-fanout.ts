import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { EventEmitter } from 'node:events';
import { redisConfig, type RedisConfig } from '../../../core/config/app.config.js';
import { withTimeout } from '../../../core/net/with-timeout.js';
import { REDIS } from '../../../core/redis/redis.module.js';
import type { NotificationDto } from '../dto/notification-response.dto.js';

/** A notification on its way to its user's open streams, on whichever api instance they are. */
export interface DeliveredNotification {
  userId: string;
  notification: NotificationDto;
}

export type DeliveryListener = (delivery: DeliveredNotification) => void;

/** Recording must not wait on a slow Redis: the row is stored, and a reconnecting stream replays it. */
const PUBLISH_TIMEOUT_MS = 1_000;
const SUBSCRIBE_TIMEOUT_MS = 5_000;

/**
 * Carries recorded notifications to every api instance: Redis pub/sub on `<REDIS_KEY_PREFIX>notifications`
 * when Redis is configured, an in-process emitter otherwise (embedded mode, where the worker runs in the api
 * process). Pub/sub is fire-and-forget: an instance that is not subscribed at that moment misses the message,
 * which is fine because the table is the truth and `Last-Event-ID` catches a stream up.
 *
 * The subscription is opened on the first `listen()` (the first stream), not at boot: worker processes record
 * and publish but never hold a stream, and need no subscriber connection.
 */
@Injectable()
export class NotificationFanout implements OnApplicationShutdown {
  private readonly logger = new Logger('NotificationFanout');
  private readonly local = new EventEmitter();
  private readonly channel: string;
  private subscriber: Redis | undefined;
  private subscribed: Promise<void> | undefined;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(redisConfig.KEY) config: RedisConfig,
  ) {
    this.channel = `${config.keyPrefix}notifications`;
  }

  async publish(delivery: DeliveredNotification): Promise<void> {
    if (!this.redis) {
      this.local.emit('delivery', delivery);
      return;
    }
    await withTimeout(this.redis.publish(this.channel, JSON.stringify(delivery)), PUBLISH_TIMEOUT_MS);
  }

  /** Calls `listener` for every notification published by any process; resolves once subscribed. */
  listen(listener: DeliveryListener): Promise<void> {
    if (this.local.listenerCount('delivery') === 0) this.local.on('delivery', listener);
    this.subscribed ??= this.subscribe().catch((error: unknown) => {
      // The next stream tries again.
      this.subscribed = undefined;
      throw error;
    });
    return this.subscribed;
  }

  async onApplicationShutdown(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.local.removeAllListeners();
    if (subscriber && subscriber.status !== 'end') await subscriber.quit().catch(() => subscriber.disconnect());
  }

  private async subscribe(): Promise<void> {
    if (!this.redis) return;
    if (!this.subscriber) {
      // A connection in subscriber mode can run no other command: one of its own per process, re-subscribed by
      // ioredis after a reconnect.
      const subscriber = this.redis.duplicate({ connectionName: 'folio-notifications' });
      subscriber.on('error', (error: Error) => this.logger.warn(`redis subscriber: ${error.message}`));
      subscriber.on('message', (channel: string, message: string) => this.receive(channel, message));
      this.subscriber = subscriber;
    }
    await withTimeout(this.subscriber.subscribe(this.channel), SUBSCRIBE_TIMEOUT_MS);
  }

  private receive(channel: string, message: string): void {
    if (channel !== this.channel) return;
    try {
      this.local.emit('delivery', JSON.parse(message) as DeliveredNotification);
    } catch (error) {
      this.logger.warn(`dropped an unreadable notification message: ${(error as Error).message}`);
    }
  }
}
