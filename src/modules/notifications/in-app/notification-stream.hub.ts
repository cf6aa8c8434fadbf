import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { inAppNotificationsConfig, type InAppNotificationsConfig } from '../../../core/config/app.config.js';
import { LifecycleService } from '../../../core/lifecycle/lifecycle.service.js';
import { InAppNotifications } from './in-app-notifications.service.js';
import { NotificationFanout, type DeliveredNotification } from './notification-fanout.js';
import { NotificationStream } from './notification-stream.js';

/** What a browser's EventSource waits before reconnecting after the stream ends. */
export const STREAM_RETRY_MS = 3_000;
/** Replayed on reconnect at most; a client away longer reloads the list, which is the truth. */
export const REPLAY_LIMIT = 100;
/**
 * This api instance's open notification streams, by user: writes each delivered notification to its user's
 * streams only, sends heartbeats, and ends every stream when the process starts shutting down.
 */
@Injectable()
export class NotificationStreamHub implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('NotificationStreams');
  private readonly streams = new Map<string, Set<NotificationStream>>();
  private timers: NodeJS.Timeout[] = [];
  private stopWatch: (() => void) | undefined;

  constructor(
    private readonly notifications: InAppNotifications,
    private readonly fanout: NotificationFanout,
    private readonly lifecycle: LifecycleService,
    @Inject(inAppNotificationsConfig.KEY) private readonly config: InAppNotificationsConfig,
  ) {}

  /** Resolves once this instance receives what any instance records (the Redis subscription is up). */
  prepare(): Promise<void> {
    return this.fanout.listen((delivery) => this.deliver(delivery));
  }

  /**
   * Streams `userId`'s notifications on `response` until the client leaves or the process stops: first what
   * came after `lastEventId` (when the client resumes), then each new one as it is recorded.
   */
  async open(
    userId: string,
    response: ServerResponse,
    headers: OutgoingHttpHeaders,
    lastEventId: string | undefined,
  ): Promise<void> {
    const stream = new NotificationStream(response, lastEventId);
    stream.start(headers, STREAM_RETRY_MS);
    // Shutting down: the client reconnects (after `retry`) to a replica that is not. Gone already: nothing to do.
    // HEAD: the headers are the whole answer (Node drops the body), so it must end rather than stay open.
    if (!this.lifecycle.ready || !stream.open || response.req?.method === 'HEAD') {
      stream.end();
      return;
    }
    this.add(userId, stream);
    response.once('close', () => this.remove(userId, stream));
    if (lastEventId === undefined) return;
    try {
      stream.replay(await this.notifications.missed(userId, lastEventId, REPLAY_LIMIT));
    } catch (error) {
      // Headers are sent: the only way left to report it is to end the stream; the client resumes from its id.
      this.logger.warn(`replay failed, stream closed: ${(error as Error).message}`);
      stream.end();
    }
  }

  /** Streams open on this instance (all users). */
  get size(): number {
    let count = 0;
    for (const set of this.streams.values()) count += set.size;
    return count;
  }

  beforeApplicationShutdown(): void {
    this.endAll();
  }

  onApplicationShutdown(): void {
    this.stopTimers();
  }

  private deliver({ userId, notification }: DeliveredNotification): void {
    for (const stream of this.streams.get(userId) ?? []) stream.notify(notification);
  }

  private add(userId: string, stream: NotificationStream): void {
    const set = this.streams.get(userId) ?? new Set();
    set.add(stream);
    this.streams.set(userId, set);
    if (this.timers.length === 0) this.startTimers();
  }

  private remove(userId: string, stream: NotificationStream): void {
    const set = this.streams.get(userId);
    if (!set?.delete(stream)) return;
    if (set.size === 0) this.streams.delete(userId);
    if (this.streams.size === 0) this.stopTimers();
  }

  private startTimers(): void {
    const heartbeat = setInterval(() => this.each((stream) => stream.heartbeat()), this.config.heartbeatMs);
    heartbeat.unref();
    this.timers = [heartbeat];
    // The drain waits for every response to end: streams end as soon as the stop signal arrives.
    this.stopWatch = this.lifecycle.onStop(() => this.endAll());
  }

  private stopTimers(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.stopWatch?.();
    this.stopWatch = undefined;
  }

  private endAll(): void {
    if (this.streams.size > 0) this.logger.log(`ending ${this.size} notification stream(s) for shutdown`);
    this.each((stream) => stream.end());
  }

  private each(action: (stream: NotificationStream) => void): void {
    // A snapshot: an action may end a stream, and its removal must not disturb the walk.
    const all = Array.from(this.streams.values(), (set) => Array.from(set)).flat();
    for (const stream of all) action(stream);
  }
}
