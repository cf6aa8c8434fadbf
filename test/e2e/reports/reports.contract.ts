// The reports operations in the contract suites (docs/testing-contract.md).
//
// One exception to "state through the API": the contract app runs no worker, so a report asked for through the
// API stays queued for ever. The fixtures insert the row the worker would have finished (ready, with its file
// written through the same storage adapter and directory as the app's), into the live app's database
// (DATABASE_URL, set by startLiveApp / scripts/fuzz.ts). Requests through the API would also hit the limit of
// three reports in progress per user within a fuzz session.
import { Readable } from 'node:stream';
import pg from 'pg';
import { expect } from 'vitest';
import { storageConfig } from '../../../src/core/config/app.config.js';
import { LocalFileStorage } from '../../../src/core/storage/local-file-storage.js';
import { registerAccount, SetupError, type Account } from '../../support/contract/fixtures.js';
import type { ModuleContract } from '../../support/contract/modules.js';
import { userIdOf } from '../../factories/users.js';

const CSV = 'slug,title,createdAt,favoritesCount,commentsCount,tags,followersCount\n';

/** A ready, empty CSV report of `account`'s, as the worker leaves it; returns its id. */
async function seedReadyReport(account: Account): Promise<string> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new SetupError('reports/{id} needs DATABASE_URL: reports are only made by the worker');
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const ownerId = userIdOf(account);
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO reports (owner_id, format, status, progress, row_count, size_bytes, started_at, finished_at, expires_at)
       VALUES ($1, 'csv', 'ready', 100, 0, $2, now(), now(), now() + interval '1 day') RETURNING id`,
      [ownerId, Buffer.byteLength(CSV)],
    );
    const id = rows[0]!.id;
    const fileKey = `reports/${ownerId}/${id}.csv`;
    await new LocalFileStorage(storageConfig().dir).write(fileKey, Readable.from([CSV]));
    await db.query('UPDATE reports SET file_key = $2 WHERE id = $1', [id, fileKey]);
    return id;
  } finally {
    await db.end();
  }
}

export const contract: ModuleContract = {
  scenarios: {
    'POST /api/v1/reports': async ({ client }) => ({
      as: await registerAccount(client, 'reporter'),
      body: { format: 'pdf' },
      verify: (json) => expect(json.report).toMatchObject({ format: 'pdf', status: 'queued', progress: 0, downloadUrl: null }),
    }),
    'GET /api/v1/reports': async ({ client }) => {
      const user = await registerAccount(client, 'reporter');
      const id = await seedReadyReport(user);
      return { as: user, verify: (json) => expect(json.reports.map((r: { id: string }) => r.id)).toEqual([id]) };
    },
    'GET /api/v1/reports/{id}': async ({ client }) => {
      const user = await registerAccount(client, 'reporter');
      const id = await seedReadyReport(user);
      return {
        as: user,
        params: { id },
        verify: (json) => expect(json.report).toMatchObject({ id, status: 'ready', downloadUrl: `/api/v1/reports/${id}/download` }),
      };
    },
    'GET /api/v1/reports/{id}/download': async ({ client }) => {
      const user = await registerAccount(client, 'reporter');
      return { as: user, params: { id: await seedReadyReport(user) } };
    },
  },
  pathParameters: {
    'reports/{id}': ({ owner }) => seedReadyReport(owner),
  },
};
