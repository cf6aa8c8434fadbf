import { isISO8601 } from 'class-validator';
import { ValidationFailedError } from './app-error.js';

/**
 * Keyset cursors of `/api/v1` lists ordered `created_at DESC, id DESC`: base64url of `<created_at>~<id>`, where
 * `created_at` is PostgreSQL's exact text (UTC, microseconds: a JS Date would round to milliseconds and skip or
 * repeat rows sharing one). Opaque to clients; one that does not decode to a valid position is 422.
 */
export interface KeysetPosition {
  createdAt: string;
  id: string;
}

/** Select this beside the row (`created_at` as `cursorAt`) to build the next cursor from the last row. */
export const CURSOR_AT_SQL = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const CREATED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const SEPARATOR = '~';

export function encodeKeysetCursor(position: KeysetPosition): string {
  return Buffer.from(`${position.createdAt}${SEPARATOR}${position.id}`, 'utf8').toString('base64url');
}

/** The position, or undefined when `encodeKeysetCursor` could not have made `cursor` with an id `isId` accepts. */
export function decodeKeysetCursor(cursor: string, isId: (id: string) => boolean): KeysetPosition | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const [createdAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split(SEPARATOR);
  if (rest.length > 0 || !createdAt || !id || !CREATED_AT.test(createdAt) || !isId(id)) return undefined;
  // Strict: impossible dates (month 13, February 30) are rejected before PostgreSQL would turn them into a 500.
  if (!isISO8601(createdAt, { strict: true })) return undefined;
  return { createdAt, id };
}

/** Canonical decimal within bigint's range (identity ids). */
export function isBigintId(id: string): boolean {
  return /^[1-9][0-9]{0,17}$/.test(id);
}

/** A `cursor` query parameter that is not a `nextCursor` this endpoint issued (422, field `cursor`). */
export class InvalidKeysetCursorError extends ValidationFailedError {
  override readonly code: string = 'INVALID_CURSOR';
  constructor() {
    super(
      [{ field: 'cursor', message: 'cursor must be a nextCursor returned by this endpoint' }],
      'The cursor is not valid',
    );
  }
}
