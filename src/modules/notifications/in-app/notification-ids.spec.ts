import { describe, expect, it } from 'vitest';
import { decodeNotificationCursor, encodeNotificationCursor, parseNotificationId } from './notification-ids.js';

describe('notification ids', () => {
  it('round-trips a cursor', () => {
    expect(decodeNotificationCursor(encodeNotificationCursor('123'))).toBe('123');
    expect(encodeNotificationCursor('123')).toBe('MTIz');
  });

  it('rejects cursors it could not have issued', () => {
    for (const cursor of ['', 'MA', 'not!base64', Buffer.from('12a').toString('base64url'), 'MTIz=', 'MTIzA']) {
      expect(decodeNotificationCursor(cursor), cursor).toBeUndefined();
    }
    expect(decodeNotificationCursor(encodeNotificationCursor('1'.repeat(19)))).toBeUndefined();
  });

  it('reads Last-Event-ID values: canonical decimals of 18 digits at most', () => {
    expect(parseNotificationId('0')).toBe('0');
    expect(parseNotificationId('999999999999999999')).toBe('999999999999999999');
    for (const text of ['', '01', '-1', '1.5', ' 1', '9999999999999999999', 'abc']) {
      expect(parseNotificationId(text), text).toBeUndefined();
    }
  });
});
