import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A stored notification as the queries return it (`id` is a bigint, kept as its decimal text). */
export interface NotificationRow {
  id: string;
  userId: string;
  kind: string;
  data: Record<string, unknown>;
  createdAt: Date;
  readAt: Date | null;
}

const COLUMNS = `id, user_id AS "userId", kind, data, created_at AS "createdAt", read_at AS "readAt"`;

/** Hand-written SQL (ADR 0002): each call is one statement on `(user_id, id)` or the unread partial index. */
@Injectable()
export class InAppNotificationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The new row, or undefined when `key` was recorded before (a job that ran twice). */
  async insertOnce(fields: {
    userId: string;
    kind: string;
    key: string;
    data: object;
  }): Promise<NotificationRow | undefined> {
    const rows: NotificationRow[] = await this.dataSource.query(
      `INSERT INTO notifications (user_id, kind, key, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO NOTHING RETURNING ${COLUMNS}`,
      [fields.userId, fields.kind, fields.key, fields.data],
    );
    return rows[0];
  }

  /** Newest first, below `beforeId` when given; `limit` rows at most. */
  page(userId: string, limit: number, beforeId?: string): Promise<NotificationRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM notifications
       WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint) ORDER BY id DESC LIMIT $3`,
      [userId, beforeId ?? null, limit],
    );
  }

  /** Oldest first, above `afterId`: what a reconnecting stream missed. */
  after(userId: string, afterId: string, limit: number): Promise<NotificationRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM notifications WHERE user_id = $1 AND id > $2::bigint ORDER BY id ASC LIMIT $3`,
      [userId, afterId, limit],
    );
  }

  async unreadCount(userId: string): Promise<number> {
    const [row] = await this.dataSource.query(
      'SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL',
      [userId],
    );
    return row.n;
  }

  /** The row, read (keeping the first read time), or undefined when `userId` has no notification `id`. */
  async markRead(userId: string, id: number): Promise<NotificationRow | undefined> {
    const [rows]: [NotificationRow[], number] = await this.dataSource.query(
      `UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
      [id, userId],
    );
    return rows[0];
  }

  async markAllRead(userId: string): Promise<void> {
    await this.dataSource.query('UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL', [
      userId,
    ]);
  }
}
