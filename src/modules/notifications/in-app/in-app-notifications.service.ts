import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '../../../core/auth/auth.types.js';
import type { CursorPageQuery } from '../../../core/http/cursor-page.query.js';
import type {
  AllReadResponseDto,
  NotificationDto,
  NotificationPageDto,
  NotificationReadResponseDto,
} from '../dto/notification-response.dto.js';
import { InvalidNotificationCursorError, NotificationNotFoundError } from './in-app-notifications.errors.js';
import { toNotificationDto } from './in-app-notifications.mapper.js';
import { InAppNotificationsRepository } from './in-app-notifications.repository.js';
import { NotificationFanout } from './notification-fanout.js';
import { decodeNotificationCursor, encodeNotificationCursor } from './notification-ids.js';

export type InAppNotificationKind = 'new-follower' | 'new-comment';

export interface NewInAppNotification {
  userId: string;
  kind: InAppNotificationKind;
  /** Idempotency: recording the same key twice keeps one notification (a job may run twice). */
  key: string;
  /** What the client shows, e.g. `{ follower: { username } }` or `{ article: { slug, title }, comment: { id, author } }`. */
  data: Record<string, unknown>;
}

/**
 * In-app notifications: recorded by the notifications processor only (no HTTP endpoint creates one), listed,
 * marked read by their user, and pushed to the user's open streams on every api instance.
 */
@Injectable()
export class InAppNotifications {
  private readonly logger = new Logger('InAppNotifications');

  constructor(
    private readonly notifications: InAppNotificationsRepository,
    private readonly fanout: NotificationFanout,
  ) {}

  /**
   * Stores the notification (once per key) and pushes it to the user's open streams on every api instance.
   * Only a new row is pushed; a failed push is logged, not thrown: the row is the truth, and failing the job
   * would only retry a push that a reconnecting stream's replay already covers.
   */
  async record(notification: NewInAppNotification): Promise<void> {
    const row = await this.notifications.insertOnce(notification);
    if (!row) return;
    try {
      await this.fanout.publish({ userId: row.userId, notification: toNotificationDto(row) });
    } catch (error) {
      this.logger.warn(`notification ${row.id} stored but not pushed to streams: ${(error as Error).message}`);
    }
  }

  /** The caller's notifications newest first, by keyset pages, with the unread count. */
  async page(caller: AuthUser, query: CursorPageQuery): Promise<NotificationPageDto> {
    const before = query.cursor === undefined ? undefined : decodeNotificationCursor(query.cursor);
    if (query.cursor !== undefined && before === undefined) throw new InvalidNotificationCursorError();
    const limit = query.limit ?? 20;
    const [rows, unreadCount] = await Promise.all([
      this.notifications.page(caller.id, limit + 1, before),
      this.notifications.unreadCount(caller.id),
    ]);
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    return {
      notifications: shown.map(toNotificationDto),
      unreadCount,
      nextCursor: more ? encodeNotificationCursor(shown[shown.length - 1]!.id) : null,
    };
  }

  /** Marks one of the caller's notifications read (idempotent); another user's answers 404 like a missing one. */
  async markRead(caller: AuthUser, id: number): Promise<NotificationReadResponseDto> {
    const row = await this.notifications.markRead(caller.id, id);
    if (!row) throw new NotificationNotFoundError();
    return { notification: toNotificationDto(row), unreadCount: await this.notifications.unreadCount(caller.id) };
  }

  async markAllRead(caller: AuthUser): Promise<AllReadResponseDto> {
    await this.notifications.markAllRead(caller.id);
    return { unreadCount: 0 };
  }

  /** What a stream missed after `afterId`, oldest first, `limit` at most. */
  async missed(userId: string, afterId: string, limit: number): Promise<NotificationDto[]> {
    return (await this.notifications.after(userId, afterId, limit)).map(toNotificationDto);
  }
}
