import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import {
  CURSOR_AT_SQL,
  decodeKeysetCursor,
  encodeKeysetCursor,
  InvalidKeysetCursorError,
  isBigintId,
} from '../http/keyset-cursor.js';
import type { AuditLogEntryDto, AuditLogPageDto, AuditLogQuery } from './dto/audit-log.dto.js';

interface AuditRow {
  id: string;
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  reason: string | null;
  details: Record<string, unknown>;
  requestId: string;
  createdAt: Date;
  cursorAt: string;
}

/** Keyset pages of `audit_log`, newest first (`IDX_audit_log_created_id`; the filters have their own indexes). */
@Injectable()
export class AuditLogReader {
  constructor(private readonly reads: ReadDatabase) {}

  async page(query: AuditLogQuery): Promise<AuditLogPageDto> {
    const limit = query.limit ?? 20;
    const after = query.cursor === undefined ? undefined : decodeKeysetCursor(query.cursor, isBigintId);
    if (query.cursor !== undefined && !after) throw new InvalidKeysetCursorError();
    const params: unknown[] = [];
    const add = (value: unknown) => `$${params.push(value)}`;
    const conditions: string[] = [];
    if (query.action !== undefined) conditions.push(`action = ${add(query.action)}`);
    if (query.actorId !== undefined) conditions.push(`actor_id = ${add(query.actorId)}::uuid`);
    if (query.targetType !== undefined) conditions.push(`target_type = ${add(query.targetType)}`);
    if (query.targetId !== undefined) conditions.push(`target_id = ${add(query.targetId)}`);
    if (after) {
      conditions.push(`(created_at, id) < (${add(after.createdAt)}::timestamptz, ${add(after.id)}::bigint)`);
    }
    const rows = await this.reads.query<AuditRow>(
      `SELECT id::text AS id, actor_id AS "actorId", action, target_type AS "targetType", target_id AS "targetId",
              reason, details, request_id AS "requestId", created_at AS "createdAt",
              ${CURSOR_AT_SQL} AS "cursorAt"
       FROM audit_log${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT ${add(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      entries: page.map(toEntry),
      nextCursor: rows.length > limit && last ? encodeKeysetCursor({ createdAt: last.cursorAt, id: last.id }) : null,
    };
  }
}

function toEntry(row: AuditRow): AuditLogEntryDto {
  return {
    id: row.id,
    actor: { id: row.actorId },
    action: row.action,
    target: { type: row.targetType, id: row.targetId },
    reason: row.reason,
    details: row.details,
    requestId: row.requestId,
    createdAt: row.createdAt,
  };
}
