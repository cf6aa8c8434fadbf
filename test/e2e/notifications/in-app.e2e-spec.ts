import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InAppNotifications, type NewInAppNotification } from '../../../src/modules/notifications/index.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';
import { useOwnJobsEnvironment } from '../../support/jobs.js';
import { registerUser, type RegisteredUser, userIdOf } from '../../factories/users.js';

/** The user id an access token names. */
describe('in-app notifications', () => {
  let t: TestApp;
  let drop: () => Promise<void>;
  let inApp: InAppNotifications;

  beforeAll(async () => {
    ({ drop } = await useOwnJobsEnvironment('inapp', { backend: 'redis' }));
    t = await createTestApp();
    inApp = t.app.get(InAppNotifications);
  });

  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  const follower = (userId: string, username: string, key = randomUUID()): NewInAppNotification => ({
    userId,
    kind: 'new-follower',
    key: `test.${key}`,
    data: { follower: { username } },
  });

  const list = (user: RegisteredUser, query = '') =>
    t.request({ method: 'GET', url: `/api/v1/notifications${query}`, token: user.token });

  it('records a follow through the API and the worker as a new-follower notification', async () => {
    const followee = await registerUser(t);
    const fan = await registerUser(t);
    const followed = await t.request({
      method: 'POST',
      url: `/api/profiles/${followee.username}/follow`,
      token: fan.token,
    });
    expect(followed.status).toBe(200);
    await vi.waitFor(
      async () => {
        const page = await list(followee);
        expect(page.body.notifications).toHaveLength(1);
      },
      { timeout: 15_000, interval: 100 },
    );
    const page = await list(followee);
    expect(page.body).toEqual({
      notifications: [
        {
          id: expect.any(Number),
          kind: 'new-follower',
          data: { follower: { username: fan.username } },
          createdAt: expect.any(String),
          readAt: null,
        },
      ],
      unreadCount: 1,
      nextCursor: null,
    });
    const rows = await t.dataSource.query('SELECT key FROM notifications WHERE user_id = $1', [userIdOf(followee)]);
    expect(rows).toEqual([{ key: expect.stringContaining('profiles.user-followed.') }]);
  });

  it('pages the caller’s notifications newest first by cursor, with the unread count, and nobody else’s', async () => {
    const owner = await registerUser(t);
    const other = await registerUser(t);
    for (const name of ['first', 'second', 'third']) await inApp.record(follower(userIdOf(owner), name));
    await inApp.record(follower(userIdOf(other), 'elsewhere'));

    const first = await list(owner, '?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.notifications.map((n: any) => n.data.follower.username)).toEqual(['third', 'second']);
    expect(first.body.unreadCount).toBe(3);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(first.body.notifications[0].id).toBeGreaterThan(first.body.notifications[1].id);

    const second = await list(owner, `?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.status).toBe(200);
    expect(second.body.notifications.map((n: any) => n.data.follower.username)).toEqual(['first']);
    expect(second.body).toMatchObject({ unreadCount: 3, nextCursor: null });

    const others = await list(other);
    expect(others.body.notifications.map((n: any) => n.data.follower.username)).toEqual(['elsewhere']);
  });

  it('marks one read, answers 404 for another user’s, then marks all read', async () => {
    const owner = await registerUser(t);
    const stranger = await registerUser(t);
    for (const name of ['a', 'b', 'c']) await inApp.record(follower(userIdOf(owner), name));
    const [newest] = (await list(owner)).body.notifications;

    const read = await t.request({
      method: 'POST',
      url: `/api/v1/notifications/${newest.id}/read`,
      token: owner.token,
    });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ notification: { id: newest.id, readAt: expect.any(String) }, unreadCount: 2 });
    const again = await t.request({
      method: 'POST',
      url: `/api/v1/notifications/${newest.id}/read`,
      token: owner.token,
    });
    expect(again.status).toBe(200);
    expect(again.body.notification.readAt).toBe(read.body.notification.readAt);

    const foreign = await t.request({
      method: 'POST',
      url: `/api/v1/notifications/${newest.id}/read`,
      token: stranger.token,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('NOTIFICATION_NOT_FOUND');
    const missing = await t.request({
      method: 'POST',
      url: '/api/v1/notifications/2147483647/read',
      token: owner.token,
    });
    expect(missing.status).toBe(404);

    const all = await t.request({ method: 'POST', url: '/api/v1/notifications/read-all', token: owner.token });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ unreadCount: 0 });
    const after = await list(owner);
    expect(after.body.unreadCount).toBe(0);
    expect(after.body.notifications.every((n: any) => typeof n.readAt === 'string')).toBe(true);
    const [row] = await t.dataSource.query(
      'SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL',
      [userIdOf(owner)],
    );
    expect(row.n).toBe(0);
  });

  it('keeps one notification per key when recording twice (a job that ran twice)', async () => {
    const owner = await registerUser(t);
    const key = randomUUID();
    await inApp.record(follower(userIdOf(owner), 'once', key));
    await inApp.record(follower(userIdOf(owner), 'twice', key));
    const rows = await t.dataSource.query('SELECT data FROM notifications WHERE key = $1', [`test.${key}`]);
    expect(rows).toEqual([{ data: { follower: { username: 'once' } } }]);
    expect((await list(owner)).body.notifications).toHaveLength(1);
  });

  it('refuses anonymous callers and cursors it did not issue', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/notifications'],
      ['GET', '/api/v1/notifications/stream'],
      ['POST', '/api/v1/notifications/1/read'],
      ['POST', '/api/v1/notifications/read-all'],
    ] as const) {
      const response = await t.request({ method, url });
      expect(response.status, `${method} ${url}`).toBe(401);
    }
    const owner = await registerUser(t);
    for (const cursor of ['not!base64', 'MA', Buffer.from('12a').toString('base64url'), 'x'.repeat(200)]) {
      const response = await list(owner, `?cursor=${cursor}`);
      expect(response.status, cursor).toBe(422);
      expect(response.body.code).toBe('INVALID_CURSOR');
    }
    const badId = await t.request({ method: 'POST', url: '/api/v1/notifications/abc/read', token: owner.token });
    expect(badId.status).toBe(422);
  });
});
