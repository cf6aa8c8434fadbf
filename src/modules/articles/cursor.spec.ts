import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('keyset cursor', () => {
  const position = { createdAt: '2026-12-02T17:22:54.123456Z', id: '0b7e6a4c-2f1d-4c3b-9a8e-1d2c3b4a5f60' };

  it('round-trips the exact position, microseconds included', () => {
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/='],
    ['no separator', Buffer.from('2026-12-02T17:22:54.123456Z').toString('base64url')],
    ['milliseconds only', encodeCursor({ ...position, createdAt: '2026-12-02T17:22:54.123Z' })],
    ['impossible date', encodeCursor({ ...position, createdAt: '2026-02-30T17:22:54.123456Z' })],
    ['not a uuid', encodeCursor({ ...position, id: 'x' })],
    ['extra part', Buffer.from(`${position.createdAt}~${position.id}~x`).toString('base64url')],
  ])('rejects %s', (_name, cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});
