import type { NotificationDto } from '../dto/notification-response.dto.js';
import type { NotificationRow } from './in-app-notifications.repository.js';

/** Whitelists the fields a client sees (the idempotency key and the user id stay inside). */
export function toNotificationDto(row: NotificationRow): NotificationDto {
  return {
    id: Number(row.id),
    kind: row.kind,
    data: row.data,
    createdAt: new Date(row.createdAt),
    readAt: row.readAt === null ? null : new Date(row.readAt),
  };
}
