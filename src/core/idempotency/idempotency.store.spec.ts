import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore, type CompletedRecord, type InFlightRecord } from './idempotency.store.js';

const claimOf = (token: string, fingerprint = 'f1'): InFlightRecord => ({ state: 'in_flight', fingerprint, token });
const completed = (fingerprint = 'f1'): CompletedRecord => ({
  state: 'completed',
  fingerprint,
  response: { status: 201, headers: { 'content-type': 'application/json' }, body: 'e30=' },
});

describe('MemoryIdempotencyStore', () => {
  it('claims a free key once; a second claim sees the first', async () => {
    const store = new MemoryIdempotencyStore(10);
    expect(await store.claim('s', claimOf('a'), 1_000)).toBeNull();
    expect(await store.claim('s', claimOf('b', 'f2'), 1_000)).toEqual(claimOf('a'));
    expect(await store.claim('other', claimOf('c'), 1_000)).toBeNull();
  });

  it('replaces the claim by the completed answer, then answers it to every later claim', async () => {
    const store = new MemoryIdempotencyStore(10);
    const claim = claimOf('a');
    await store.claim('s', claim, 1_000);
    expect(await store.complete('s', claim, completed(), 60_000)).toBe(true);
    expect(await store.claim('s', claimOf('b'), 1_000)).toEqual(completed());
    expect(await store.claim('s', claimOf('c'), 1_000)).toEqual(completed());
  });

  it('lets an expired claim go (a process that died mid-request), and the late owner cannot complete it', async () => {
    const store = new MemoryIdempotencyStore(10);
    const dead = claimOf('dead');
    await store.claim('s', dead, 20);
    await sleep(40);
    const next = claimOf('next');
    expect(await store.claim('s', next, 1_000)).toBeNull();
    expect(await store.complete('s', dead, completed(), 60_000)).toBe(false);
    expect(await store.renew('s', dead, 1_000)).toBe(false);
    expect(await store.claim('s', claimOf('third'), 1_000)).toEqual(next);
  });

  it('renews a held claim past its first expiry', async () => {
    const store = new MemoryIdempotencyStore(10);
    const claim = claimOf('a');
    await store.claim('s', claim, 40);
    await sleep(20);
    expect(await store.renew('s', claim, 200)).toBe(true);
    await sleep(40);
    expect(await store.claim('s', claimOf('b'), 1_000)).toEqual(claim);
  });

  it('releases only the claim of the caller, so the key is free at once', async () => {
    const store = new MemoryIdempotencyStore(10);
    const claim = claimOf('a');
    await store.claim('s', claim, 1_000);
    await store.release('s', claimOf('intruder'));
    expect(await store.claim('s', claimOf('b'), 1_000)).toEqual(claim);
    await store.release('s', claim);
    expect(await store.claim('s', claimOf('b'), 1_000)).toBeNull();
  });

  it('expires completed answers after their ttl and keeps at most maxEntries of them', async () => {
    const store = new MemoryIdempotencyStore(2);
    for (const scope of ['s1', 's2', 's3']) {
      const claim = claimOf(scope);
      await store.claim(scope, claim, 1_000);
      await store.complete(scope, claim, completed(), scope === 's3' ? 20 : 60_000);
    }
    // s1 was the least recently used: dropped for s3.
    expect(await store.claim('s1', claimOf('x'), 1_000)).toBeNull();
    await sleep(40);
    expect(await store.claim('s3', claimOf('y'), 1_000)).toBeNull();
  });

  it('sweeps claims that expired without an answer', async () => {
    const store = new MemoryIdempotencyStore(10);
    for (let i = 0; i < 1_000; i++) await store.claim(`old-${i}`, claimOf(`t${i}`), 1);
    await sleep(5);
    await store.claim('new', claimOf('n'), 1_000);
    const claims = (store as unknown as { claims: Map<string, unknown> }).claims;
    expect([...claims.keys()]).toEqual(['new']);
  });
});
