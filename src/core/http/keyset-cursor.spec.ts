import { isUUID } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { decodeKeysetCursor, encodeKeysetCursor, isBigintId } from './keyset-cursor.js';

const encode = (text: string) => Buffer.from(text).toString('base64url');

describe('keyset cursors', () => {
  it('round-trip a position exactly, microseconds included', () => {
    for (const position of [
      { createdAt: '2026-12-03T01:02:03.123456Z', id: '42' },
      { createdAt: '2026-12-03T01:02:03.000001Z', id: '0b7e6a4c-2f1d-4c3b-9a8e-1d2c3b4a5f60' },
    ]) {
      const cursor = encodeKeysetCursor(position);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeKeysetCursor(cursor, (id) => isBigintId(id) || isUUID(id))).toEqual(position);
    }
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['no separator', encode('2026-12-03T01:02:03.123456Z')],
    ['milliseconds only', encode('2026-12-03T01:02:03.123Z~1')],
    ['an impossible date', encode('2026-02-30T01:02:03.123456Z~1')],
    ['an id the endpoint does not issue', encode('2026-12-03T01:02:03.123456Z~abc')],
    ['a leading zero', encode('2026-12-03T01:02:03.123456Z~01')],
    ['an id beyond bigint', encode('2026-12-03T01:02:03.123456Z~9999999999999999999')],
    ['an extra part', encode('2026-12-03T01:02:03.123456Z~1~2')],
  ])('reject %s', (_name, cursor) => {
    expect(decodeKeysetCursor(cursor, isBigintId)).toBeUndefined();
  });
});
