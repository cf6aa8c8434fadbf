import { ApiProperty } from '@nestjs/swagger';

export class NotificationDto {
  /** Increases with every notification: the stream's event id, and the order of the list. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  id: number;
  /** What happened: `new-follower` or `new-comment` (clients ignore kinds they do not know). */
  @ApiProperty({ enum: ['new-follower', 'new-comment'] })
  kind: string;
  /**
   * What the client shows, by kind: `{ follower: { username } }` for `new-follower`,
   * `{ article: { slug, title }, comment: { id, author } }` for `new-comment`.
   */
  @ApiProperty({ type: 'object', additionalProperties: true })
  data: Record<string, unknown>;
  createdAt: Date;
  /** When the caller marked it read; `null` while unread. */
  readAt: Date | null;
}

export class NotificationPageDto {
  /** The caller's notifications, newest first. */
  notifications: NotificationDto[];
  /** How many of the caller's notifications are unread (all of them, not only this page's). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  unreadCount: number;
  /**
   * Pass as `cursor` to get the next (older) page; `null` on the last page.
   * @example MTIz
   */
  nextCursor: string | null;
}

export class NotificationReadResponseDto {
  notification: NotificationDto;
  @ApiProperty({ type: 'integer', minimum: 0 })
  unreadCount: number;
}

export class AllReadResponseDto {
  /** Always 0 after marking everything read (notifications recorded meanwhile are counted on the next read). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  unreadCount: number;
}
