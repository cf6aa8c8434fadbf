// The in-app notification operations in the contract suites (docs/testing-contract.md).
//
// One exception to "state through the API": no endpoint creates a notification (only the worker records them,
// from integration events, and the contract app runs no worker), so the fixtures insert the row the worker
// would have recorded, into the live app's database (DATABASE_URL, set by startLiveApp / scripts/fuzz.ts).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { expect } from 'vitest';
import { registerAccount, SetupError, type Account } from '../../support/contract/fixtures.js';
import type { ModuleContract } from '../../support/contract/modules.js';
import { userIdOf } from '../../factories/users.js';

/** A new-follower notification of `account`'s, as the worker records it; returns its id. */
async function seedNotification(account: Account): Promise<string> {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new SetupError('notifications/{id} needs DATABASE_URL: notifications are only recorded by the worker');
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>(
      'INSERT INTO notifications (user_id, kind, key, data) VALUES ($1, $2, $3, $4) RETURNING id',
      [userIdOf(account), 'new-follower', `contract.${randomUUID()}`, { follower: { username: 'contract_fan' } }],
    );
    return rows[0]!.id;
  } finally {
    await db.end();
  }
}

export const contract: ModuleContract = {
  scenarios: {
    'GET /api/v1/notifications': async ({ client }) => {
      const user = await registerAccount(client, 'notified');
      await seedNotification(user);
      await seedNotification(user);
      return {
        as: user,
        query: { limit: '1' },
        verify: (json) => {
          expect(json.notifications).toHaveLength(1);
          expect(json.unreadCount).toBe(2);
          expect(json.nextCursor).toEqual(expect.any(String));
        },
      };
    },
    'GET /api/v1/notifications/stream': async ({ reader }) => ({ as: reader }),
    'POST /api/v1/notifications/{id}/read': async ({ client }) => {
      const user = await registerAccount(client, 'notified');
      const id = await seedNotification(user);
      return {
        as: user,
        params: { id },
        verify: (json) => {
          expect(json.notification).toMatchObject({ id: Number(id), readAt: expect.any(String) });
          expect(json.unreadCount).toBe(0);
        },
      };
    },
    'POST /api/v1/notifications/read-all': async ({ client }) => {
      const user = await registerAccount(client, 'notified');
      await seedNotification(user);
      return { as: user, verify: (json) => expect(json).toEqual({ unreadCount: 0 }) };
    },
  },
  pathParameters: {
    'notifications/{id}': ({ owner }) => seedNotification(owner),
  },
};
