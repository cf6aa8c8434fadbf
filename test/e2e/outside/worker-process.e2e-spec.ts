import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../src/core/net/free-port.js';
import { messageIdFor } from '../../../src/modules/notifications/index.js';
import { registerUser, userIdOf } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';
import { applyEnvironment, useOwnJobsEnvironment } from '../../support/jobs.js';
import { byMessageId, startSmtpServer, type TestSmtpServer } from '../../support/smtp.js';

// The built worker (`node dist/src/main.worker.js`, what the worker Deployment runs) is SIGKILLed while the SMTP
// server holds the welcome mail's DATA unanswered: the mail was not accepted, so a second worker must send it
// exactly once after the first one's lock expires. The api process never runs jobs here (WORKER_IN_PROCESS=false).
const root = join(import.meta.dirname, '..', '..', '..');
const LOCK_MS = 2_000;

interface Worker {
  child: ChildProcess;
  port: number;
  output: string[];
  exited: Promise<number | null>;
}

describe('the worker process: SIGKILL mid-job, then another worker', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let drop: () => Promise<void>;
  let workerEnv: Record<string, string>;
  const workers: Worker[] = [];

  async function startWorker(): Promise<Worker> {
    const port = await freePort();
    const output: string[] = [];
    const child = spawn(process.execPath, ['dist/src/main.worker.js'], {
      cwd: root,
      env: { ...process.env, ...workerEnv, WORKER_PORT: String(port), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const worker = { child, port, output, exited };
    workers.push(worker);
    await vi.waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`worker exited ${child.exitCode}:\n${output.join('')}`);
        const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up' } });
      },
      { timeout: 30_000, interval: 200 },
    );
    return worker;
  }

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build-if-needed.ts'], { cwd: root, stdio: 'inherit' });
    smtp = await startSmtpServer();
    const own = await useOwnJobsEnvironment('mail_worker', { backend: 'redis', inProcessWorker: false });
    drop = own.drop;
    workerEnv = {
      ...own.env,
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'http://folio.test',
      JOB_LOCK_DURATION_MS: String(LOCK_MS),
      DATABASE_MIGRATE_ON_START: 'false',
    };
    applyEnvironment({ SMTP_URL: smtp.url, PUBLIC_URL: 'http://folio.test' });
    t = await createTestApp(); // migrates the scratch database before any worker starts
  }, 180_000);

  afterAll(async () => {
    for (const { child } of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await t?.close();
    await smtp?.stop();
    await drop?.();
  });

  it(
    'retries the job killed mid-send on another worker: the mail arrives exactly once',
    { timeout: 90_000 },
    async () => {
      const first = await startWorker();
      smtp.holdNextData();
      const user = await registerUser(t);
      const jobId = `identity.user-registered.${userIdOf(user)}`;

      await vi.waitFor(() => expect(smtp.dataStarted).toBe(1), { timeout: 20_000, interval: 20 });
      first.child.kill('SIGKILL');
      expect(await first.exited).toBeNull();
      expect(smtp.messages).toHaveLength(0);
      const queue = t.app.get<Queue>(getQueueToken('notifications'), { strict: false });
      expect(await (await queue.getJob(jobId))?.getState()).toBe('active'); // locked by a dead worker

      const second = await startWorker();
      const messageId = messageIdFor(jobId, userIdOf(user));
      await vi
        .waitFor(() => expect(byMessageId(smtp, messageId)).toHaveLength(1), { timeout: 30_000, interval: 100 })
        .catch(async (error: unknown) => {
          const job = await queue.getJob(jobId);
          throw new Error(
            `${String(error)}\njob ${await job?.getState()} ${job?.failedReason ?? ''}\nsecond worker:\n${second.output.join('').slice(-4000)}`,
          );
        });
      await vi.waitFor(async () => expect(await (await queue.getJob(jobId))?.getState()).toBe('completed'), {
        timeout: 10_000,
      });
      await sleep(LOCK_MS);
      expect(byMessageId(smtp, messageId)).toHaveLength(1);
      expect(smtp.messages.filter((m) => m.subject === `Welcome to Folio, ${user.username}`)).toHaveLength(1);
      const [row] = await t.dataSource.query('SELECT message_id FROM mail_deliveries WHERE key = $1', [
        `${jobId}:${userIdOf(user)}`,
      ]);
      expect(row.message_id).toBe(messageId);

      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    },
  );
});
