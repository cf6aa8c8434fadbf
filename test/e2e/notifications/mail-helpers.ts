import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { vi, expect } from 'vitest';
import type { TestApp } from '../../setup/test-app.js';

export function notificationsQueue(t: TestApp): Queue {
  return t.app.get<Queue>(getQueueToken('notifications'), { strict: false });
}

/** Waits until the job is completed (and fails the test at once if it became a dead letter). */
export async function waitForCompleted(t: TestApp, id: string, timeout = 15_000): Promise<Job> {
  let job: Job | undefined;
  await vi.waitFor(
    async () => {
      job = await notificationsQueue(t).getJob(id);
      const state = await job?.getState();
      if (state === 'failed') throw new Error(`job ${id} failed: ${job?.failedReason}`);
      expect(state).toBe('completed');
    },
    { timeout, interval: 100 },
  );
  return job!;
}

/** The unsubscribe path (with its token) from a mail's plain-text footer. */
export function unsubscribePath(text: string | undefined): string {
  const match = /https?:\/\/[^/\s]+(\/api\/v1\/unsubscribe\/\S+)/.exec(text ?? '');
  if (!match) throw new Error(`no unsubscribe link in:\n${text}`);
  return match[1]!;
}
