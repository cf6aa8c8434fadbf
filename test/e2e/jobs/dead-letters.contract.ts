// The dead-letter operations (admin) in the contract suites (docs/testing-contract.md).
//
// A dead letter is a job that failed every attempt in a worker; the contract app runs none, so the fixture
// makes one the way it happens: a job of one attempt on the notifications queue, taken by a worker that
// fails it. It needs the app's Redis (REDIS_URL and REDIS_KEY_PREFIX, as test/setup/env.ts sets them).
import { Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { redisConnection } from '../../../src/core/jobs/queue-connection.js';
import { SetupError } from '../../support/contract/fixtures.js';
import type { ModuleContract } from '../../support/contract/modules.js';

const QUEUE = 'notifications';

/** A job of QUEUE that failed its only attempt; returns its id. */
async function createDeadLetter(): Promise<string> {
  const url = process.env.REDIS_URL;
  if (!url) throw new SetupError("dead letters need the app's REDIS_URL: they are made by a BullMQ worker");
  const options = { connection: redisConnection(url), prefix: `${process.env.REDIS_KEY_PREFIX ?? 'folio:'}bull` };
  const id = `contract.dead-letter.${randomUUID()}`;
  const queue = new Queue(QUEUE, options);
  const worker = new Worker(
    QUEUE,
    async () => {
      throw new Error('contract fixture: this job always fails');
    },
    { ...options, autorun: false },
  );
  try {
    const failed = new Promise<void>((resolve) =>
      worker.on('failed', (job) => {
        if (job?.id === id) resolve();
      }),
    );
    await queue.add('welcome', { payload: { userId: randomUUID() } }, { jobId: id, attempts: 1 });
    void worker.run();
    await failed;
    return id;
  } finally {
    await worker.close();
    await queue.close();
  }
}

export const contract: ModuleContract = {
  scenarios: {
    'GET /api/v1/admin/jobs/dead-letters': async ({ admin }) => {
      const id = await createDeadLetter();
      return {
        as: admin,
        verify: (json) =>
          expect(json.deadLetters).toContainEqual(
            expect.objectContaining({ id, queue: QUEUE, name: 'welcome', attemptsMade: 1 }),
          ),
      };
    },
    'POST /api/v1/admin/jobs/dead-letters/{queue}/{id}/retry': async ({ admin }) => {
      const id = await createDeadLetter();
      return {
        as: admin,
        params: { queue: QUEUE, id },
        verify: (json) => expect(json).toMatchObject({ id, queue: QUEUE, failedReason: expect.any(String) }),
      };
    },
  },
  pathParameters: {
    'dead-letters/{queue}': async () => QUEUE,
    '{queue}/{id}': () => createDeadLetter(),
  },
};
