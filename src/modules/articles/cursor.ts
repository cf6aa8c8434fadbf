import { isISO8601, isUUID } from 'class-validator';
import type { Keyset } from './article-queries.js';

/**
 * Keyset cursors for `/api/v1`: base64url of `<created_at>~<id>`, where `created_at` is PostgreSQL's exact
 * text (UTC, microseconds; a JS Date would round to milliseconds and skip or repeat rows that share one).
 * Opaque to clients: they send back `nextCursor` as they got it. Not signed: a forged cursor is only a
 * position in the public order, and one that does not decode to a valid position is rejected.
 */

const CREATED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const SEPARATOR = '~';

export function encodeCursor(position: Keyset): string {
  return Buffer.from(`${position.createdAt}${SEPARATOR}${position.id}`, 'utf8').toString('base64url');
}

/** The position, or undefined when `cursor` is not one `encodeCursor` could have made. */
export function decodeCursor(cursor: string): Keyset | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const [createdAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split(SEPARATOR);
  if (rest.length > 0 || !createdAt || !id || !CREATED_AT.test(createdAt) || !isUUID(id)) return undefined;
  // Strict: impossible dates (month 13, February 30) are rejected before PostgreSQL would turn them into a 500.
  if (!isISO8601(createdAt, { strict: true })) return undefined;
  return { createdAt, id };
}
