/**
 * Notification ids on the wire. The list cursor is base64url of the last id (opaque: clients send back
 * `nextCursor` as received); the stream's event ids are the ids themselves, so `Last-Event-ID` is one too.
 */

/** Canonical decimal, at most 18 digits: always inside PostgreSQL's bigint, so a comparison never fails there. */
export const NOTIFICATION_ID_PATTERN = '^(0|[1-9][0-9]{0,17})$';
const DIGITS = new RegExp(NOTIFICATION_ID_PATTERN);

/** The id when `text` is one (0 allowed: "from the beginning"), else undefined. */
export function parseNotificationId(text: string): string | undefined {
  return DIGITS.test(text) ? text : undefined;
}

export function encodeNotificationCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** The id a cursor stands for, or undefined when `encodeNotificationCursor` could not have made it. */
export function decodeNotificationCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  // Round trip: rejects the non-canonical encodings that decode to the same digits.
  if (encodeNotificationCursor(id) !== cursor) return undefined;
  const parsed = parseNotificationId(id);
  return parsed === '0' ? undefined : parsed;
}
