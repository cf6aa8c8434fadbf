import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeApp } from '../../../src/bootstrap.js';
import { InAppNotifications } from '../../../src/modules/notifications/index.js';
import { createTestApp, listenOnSocket, type TestApp } from '../../setup/test-app.js';
import { applyEnvironment, useOwnJobsEnvironment } from '../../support/jobs.js';
import { registerUser, type RegisteredUser, userIdOf } from '../../factories/users.js';

interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
  comment?: string;
}

/** One Server-Sent Events block (the lines between blank lines), as RFC-less but WHATWG-style parsing reads it. */
function parseFrame(block: string): SseFrame {
  const frame: SseFrame = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comment = line.slice(1).trim();
    const [field, ...rest] = line.split(':');
    const value = rest.join(':').replace(/^ /, '');
    if (field === 'id') frame.id = value;
    if (field === 'event') frame.event = value;
    if (field === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
    if (field === 'retry') frame.retry = Number(value);
  }
  return frame;
}

/** A real streaming client: `fetch` over the socket, the body read chunk by chunk as it arrives. */
async function openStream(port: number, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/notifications/stream`, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const frames: SseFrame[] = [];
  let ended = false;
  const finished = (async () => {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let at = buffer.indexOf('\n\n'); at >= 0; at = buffer.indexOf('\n\n')) {
          frames.push(parseFrame(buffer.slice(0, at)));
          buffer = buffer.slice(at + 2);
        }
      }
    } catch {
      // Aborted by the test.
    } finally {
      ended = true;
    }
  })();
  return {
    response,
    frames,
    notifications: () =>
      frames
        .filter((frame) => frame.event === 'notification')
        .map((frame) => ({ eventId: frame.id, ...JSON.parse(frame.data!) })),
    heartbeats: () => frames.filter((frame) => frame.comment === 'heartbeat').length,
    get ended() {
      return ended;
    },
    finished,
    close: () => controller.abort(),
  };
}

const auth = (user: RegisteredUser) => ({ authorization: `Token ${user.token}` });

async function listening(t: TestApp): Promise<number> {
  await listenOnSocket(t);
  return (t.app.getHttpServer().address() as AddressInfo).port;
}

function followerNotification(user: RegisteredUser, username: string) {
  return {
    userId: userIdOf(user),
    kind: 'new-follower' as const,
    key: `test.${randomUUID()}`,
    data: { follower: { username } },
  };
}

describe('notification stream across two api instances (Redis pub/sub)', () => {
  let a: TestApp;
  let b: TestApp;
  let aPort: number;
  let aClosed = false;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ drop } = await useOwnJobsEnvironment('sse', { backend: 'redis', inProcessWorker: false }));
    applyEnvironment({ NOTIFICATIONS_HEARTBEAT_MS: '200' });
    a = await createTestApp();
    b = await createTestApp();
    aPort = await listening(a);
    await listening(b);
  });

  afterAll(async () => {
    if (!aClosed) await a?.close();
    await b?.close();
    await drop?.();
    applyEnvironment({}, ['NOTIFICATIONS_HEARTBEAT_MS']);
  });

  it('delivers to a client of instance A what instance B records, only to its user, with heartbeats', async () => {
    const user = await registerUser(a);
    const other = await registerUser(a);
    const stream = await openStream(aPort, auth(user));
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(stream.response.headers.get('cache-control')).toBe('no-cache');
      expect(stream.response.headers.get('x-accel-buffering')).toBe('no');
      expect(stream.response.headers.get('etag')).toBeNull();
      await vi.waitFor(() => expect(stream.frames[0]).toEqual({ retry: 3000 }), { timeout: 2_000 });

      const inB = b.app.get(InAppNotifications);
      await inB.record(followerNotification(other, 'not-for-you'));
      await inB.record(followerNotification(user, 'fan'));
      await vi.waitFor(() => expect(stream.notifications()).toHaveLength(1), { timeout: 2_000 });
      const [row] = await a.dataSource.query('SELECT id FROM notifications WHERE user_id = $1', [userIdOf(user)]);
      const [received] = stream.notifications();
      expect(received).toEqual({
        eventId: row.id,
        id: Number(row.id),
        kind: 'new-follower',
        data: { follower: { username: 'fan' } },
        createdAt: expect.any(String),
        readAt: null,
      });
      await vi.waitFor(() => expect(stream.heartbeats()).toBeGreaterThanOrEqual(2), { timeout: 2_000 });
      // Nothing for the other user reached this stream.
      expect(stream.notifications().map((n) => n.data.follower.username)).toEqual(['fan']);
    } finally {
      stream.close();
    }
  });

  it('replays exactly what a client missed when it reconnects with Last-Event-ID, then goes on live', async () => {
    const user = await registerUser(a);
    const inB = b.app.get(InAppNotifications);
    const first = await openStream(aPort, auth(user));
    await vi.waitFor(() => expect(first.frames[0]?.retry).toBe(3000), { timeout: 2_000 });
    await inB.record(followerNotification(user, 'seen'));
    await vi.waitFor(() => expect(first.notifications()).toHaveLength(1), { timeout: 2_000 });
    const lastEventId = first.notifications()[0]!.eventId as string;
    first.close();
    await first.finished;

    await inB.record(followerNotification(user, 'missed-1'));
    await inB.record(followerNotification(user, 'missed-2'));
    const resumed = await openStream(aPort, { ...auth(user), 'last-event-id': lastEventId });
    try {
      await vi.waitFor(() => expect(resumed.notifications()).toHaveLength(2), { timeout: 2_000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const replayed = resumed.notifications();
      expect(replayed.map((n) => n.data.follower.username)).toEqual(['missed-1', 'missed-2']);
      expect(BigInt(replayed[0]!.eventId)).toBeGreaterThan(BigInt(lastEventId));
      expect(BigInt(replayed[1]!.eventId)).toBeGreaterThan(BigInt(replayed[0]!.eventId));

      await inB.record(followerNotification(user, 'live'));
      await vi.waitFor(() => expect(resumed.notifications()).toHaveLength(3), { timeout: 2_000 });
      expect(resumed.notifications().map((n) => n.data.follower.username)).toEqual(['missed-1', 'missed-2', 'live']);
    } finally {
      resumed.close();
    }
  });

  it('answers 401 without a token and 422 for a Last-Event-ID it never sent', async () => {
    const anonymous = await fetch(`http://127.0.0.1:${aPort}/api/v1/notifications/stream`, {
      headers: { accept: 'text/event-stream' },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await anonymous.json()) as { code: string }).code).toBe('AUTH_REQUIRED');

    const user = await registerUser(a);
    const bad = await fetch(`http://127.0.0.1:${aPort}/api/v1/notifications/stream`, {
      headers: { ...auth(user), 'last-event-id': 'abc' },
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { code: string }).code).toBe('INVALID_LAST_EVENT_ID');
  });

  it('answers HEAD with the stream headers and ends, rather than holding the connection', async () => {
    const user = await registerUser(a);
    const head = await fetch(`http://127.0.0.1:${aPort}/api/v1/notifications/stream`, {
      method: 'HEAD',
      headers: auth(user),
      signal: AbortSignal.timeout(2_000),
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await head.text()).toBe('');
  });

  it('is neither compressed nor buffered when the client accepts gzip and br', async () => {
    const user = await registerUser(a);
    const startedAt = performance.now();
    const stream = await openStream(aPort, { ...auth(user), 'accept-encoding': 'gzip, br' });
    try {
      expect(stream.response.headers.get('content-encoding')).toBeNull();
      await vi.waitFor(() => expect(stream.frames[0]?.retry).toBe(3000), { timeout: 1_000, interval: 10 });
      expect(performance.now() - startedAt).toBeLessThan(1_000);
      const recordedAt = performance.now();
      await b.app.get(InAppNotifications).record(followerNotification(user, 'prompt'));
      await vi.waitFor(() => expect(stream.notifications()).toHaveLength(1), { timeout: 1_000, interval: 10 });
      expect(performance.now() - recordedAt).toBeLessThan(1_000);
    } finally {
      stream.close();
    }
  });

  it('ends open streams when instance A shuts down, so closeApp finishes promptly', async () => {
    const user = await registerUser(a);
    const stream = await openStream(aPort, auth(user));
    await vi.waitFor(() => expect(stream.frames[0]?.retry).toBe(3000), { timeout: 2_000 });
    const startedAt = performance.now();
    aClosed = true;
    await closeApp(a.app);
    expect(performance.now() - startedAt).toBeLessThan(5_000);
    await stream.finished;
    expect(stream.ended).toBe(true);
  });
});

describe('notification stream in one process without Redis (embedded-style)', () => {
  let t: TestApp;
  let port: number;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ drop } = await useOwnJobsEnvironment('sse_local', { backend: 'postgres' }));
    t = await createTestApp();
    port = await listening(t);
  });

  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('delivers a recorded notification to the same instance’s stream', async () => {
    const user = await registerUser(t);
    const stream = await openStream(port, auth(user));
    try {
      await vi.waitFor(() => expect(stream.frames[0]?.retry).toBe(3000), { timeout: 2_000 });
      await t.app.get(InAppNotifications).record(followerNotification(user, 'local'));
      await vi.waitFor(() => expect(stream.notifications()).toHaveLength(1), { timeout: 2_000 });
      expect(stream.notifications()[0]).toMatchObject({
        kind: 'new-follower',
        data: { follower: { username: 'local' } },
      });
    } finally {
      stream.close();
    }
  });
});
