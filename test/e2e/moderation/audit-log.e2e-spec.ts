import { Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisConnection } from '../../../src/core/jobs/queue-connection.js';
import { adminToken, moderatorToken, registerUser, userIdOf } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

const LOG = '/api/v1/admin/audit-log';

/** A notifications job that failed its only attempt in a worker of its own (as the contract fixture makes one). */
async function createDeadLetter(): Promise<string> {
  const options = {
    connection: redisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
    prefix: `${process.env.REDIS_KEY_PREFIX ?? 'folio:'}bull`,
  };
  const id = `audit.dead-letter.${randomUUID()}`;
  const queue = new Queue('notifications', options);
  const worker = new Worker(
    'notifications',
    async () => {
      throw new Error('audit test: this job always fails');
    },
    { ...options, autorun: false },
  );
  try {
    const failed = new Promise<void>((resolve) => worker.on('failed', (job) => job?.id === id && resolve()));
    await queue.add('welcome', { payload: { userId: randomUUID() } }, { jobId: id, attempts: 1 });
    void worker.run();
    await failed;
    return id;
  } finally {
    await worker.close();
    await queue.close();
  }
}
const FLAG = '/api/v1/admin/feature-flags/tag-counts';

describe('audit log', () => {
  let t: TestApp;
  let admin: string;
  let adminId: string;
  let moderator: string;
  let user: string;

  beforeAll(async () => {
    t = await createTestApp();
    const owner = await registerUser(t);
    admin = adminToken(t, owner);
    adminId = userIdOf(owner);
    moderator = moderatorToken(t, await registerUser(t));
    user = (await registerUser(t)).token;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is for admins only: 401 anonymous, 403 for users and moderators', async () => {
    expect((await t.request({ method: 'GET', url: LOG })).status).toBe(401);
    for (const token of [user, moderator]) {
      const response = await t.request({ method: 'GET', url: LOG, token });
      expect(response.status).toBe(403);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect((await t.request({ method: 'GET', url: LOG, token: admin })).status).toBe(200);
  });

  it('records a feature flag change and its reset with the request id, in the same transaction', async () => {
    // The flag's default values: other files sharing the database see no change in behaviour.
    const set = await t.request({
      method: 'PUT',
      url: FLAG,
      token: admin,
      body: { enabled: false, rolloutPercent: 100 },
    });
    expect(set.status).toBe(200);
    const reset = await t.request({ method: 'DELETE', url: FLAG, token: admin });
    expect(reset.status).toBe(200);

    const page = await t.request({
      method: 'GET',
      url: `${LOG}?targetType=feature-flag&targetId=tag-counts&actorId=${adminId}`,
      token: admin,
    });
    expect(page.status).toBe(200);
    const [newest, older] = page.body.entries;
    expect(newest).toEqual({
      id: expect.stringMatching(/^[1-9][0-9]*$/),
      actor: { id: adminId },
      action: 'feature-flag.reset',
      target: { type: 'feature-flag', id: 'tag-counts' },
      reason: null,
      details: { enabled: false, rolloutPercent: 100 },
      requestId: reset.headers['x-request-id'],
      createdAt: expect.any(String),
    });
    expect(older).toMatchObject({
      action: 'feature-flag.changed',
      details: { enabled: false, rolloutPercent: 100 },
      requestId: set.headers['x-request-id'],
    });
    const rows = await t.dataSource.query('SELECT action FROM audit_log WHERE request_id = ANY($1)', [
      [set.headers['x-request-id'], reset.headers['x-request-id']],
    ]);
    expect(rows.map((row: { action: string }) => row.action).sort()).toEqual([
      'feature-flag.changed',
      'feature-flag.reset',
    ]);
  });

  it('records a dead-letter retry once: the call that sends the job back', async () => {
    const id = await createDeadLetter();
    const url = `/api/v1/admin/jobs/dead-letters/notifications/${id}/retry`;
    const retried = await t.request({ method: 'POST', url, token: admin });
    expect(retried.status).toBe(200);
    const rows = await t.dataSource.query('SELECT * FROM audit_log WHERE target_type = $1 AND target_id = $2', [
      'job',
      `notifications/${id}`,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_id: adminId,
      action: 'job.retried',
      request_id: retried.headers['x-request-id'],
      details: {
        queue: 'notifications',
        name: 'welcome',
        attemptsMade: 1,
        failedReason: 'audit test: this job always fails',
      },
    });
    // A second click finds it waiting (or gone): answered, but nothing new happened, so nothing new is recorded.
    const again = await t.request({ method: 'POST', url, token: admin });
    expect([200, 404]).toContain(again.status);
    expect(
      await t.dataSource.query('SELECT 1 FROM audit_log WHERE request_id = $1', [again.headers['x-request-id']]),
    ).toHaveLength(0);
  });

  it('records nothing when the action fails (unknown flag)', async () => {
    const response = await t.request({
      method: 'PUT',
      url: '/api/v1/admin/feature-flags/nope',
      token: admin,
      body: { enabled: true },
    });
    expect(response.status).toBe(404);
    const rows = await t.dataSource.query('SELECT 1 FROM audit_log WHERE request_id = $1', [
      response.headers['x-request-id'],
    ]);
    expect(rows).toHaveLength(0);
  });

  it('pages newest first with opaque cursors, and filters by action', async () => {
    const actor = await registerUser(t);
    const actorId = userIdOf(actor);
    await t.dataSource.query(
      `INSERT INTO audit_log (actor_id, action, target_type, target_id, request_id, created_at)
       SELECT $1, CASE WHEN n % 2 = 0 THEN 'test.even' ELSE 'test.odd' END, 'test', n::text, 'req-' || n,
              '2026-01-01T00:00:00Z'::timestamptz + (n / 2) * interval '1 microsecond'
       FROM generate_series(1, 5) AS n`,
      [actorId],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `${LOG}?actorId=${actorId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await t.request({ method: 'GET', url: query, token: admin });
      expect(page.status).toBe(200);
      expect(page.body.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.entries.map((entry: { target: { id: string } }) => entry.target.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    // Ties on created_at (n = 2, 3 share one microsecond) are broken by id, newest first.
    expect(seen).toEqual(['5', '4', '3', '2', '1']);

    const even = await t.request({ method: 'GET', url: `${LOG}?actorId=${actorId}&action=test.even`, token: admin });
    expect(even.body.entries.map((entry: { target: { id: string } }) => entry.target.id)).toEqual(['4', '2']);
    expect(even.body.nextCursor).toBeNull();
  });

  it('answers 422 for a cursor it did not issue and for malformed filters', async () => {
    const cursor = await t.request({ method: 'GET', url: `${LOG}?cursor=bm9wZQ`, token: admin });
    expect(cursor.status).toBe(422);
    expect(cursor.body).toMatchObject({ code: 'INVALID_CURSOR', errors: [{ field: 'cursor' }] });
    const actor = await t.request({ method: 'GET', url: `${LOG}?actorId=not-a-uuid`, token: admin });
    expect(actor.status).toBe(422);
    const action = await t.request({ method: 'GET', url: `${LOG}?action=Not%20Dotted`, token: admin });
    expect(action.status).toBe(422);
  });

  it('is append-only in the database: UPDATE, DELETE and TRUNCATE raise', async () => {
    const [row] = await t.dataSource.query(
      `INSERT INTO audit_log (actor_id, action, target_type, target_id, request_id)
       VALUES ($1, 'test.kept', 'test', 'kept', 'req-kept') RETURNING id`,
      [adminId],
    );
    await expect(
      t.dataSource.query(`UPDATE audit_log SET reason = 'rewritten' WHERE id = $1`, [row.id]),
    ).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(t.dataSource.query('DELETE FROM audit_log WHERE id = $1', [row.id])).rejects.toThrow(
      /append-only: DELETE refused/,
    );
    await expect(t.dataSource.query('TRUNCATE audit_log')).rejects.toThrow(/append-only: TRUNCATE refused/);
    const [kept] = await t.dataSource.query('SELECT reason FROM audit_log WHERE id = $1', [row.id]);
    expect(kept).toEqual({ reason: null });
  });
});
