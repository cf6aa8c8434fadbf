import { getQueueToken } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { UnrecoverableError, type Queue } from 'bullmq';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppModule } from '../../../src/app.module.js';
import { JobProcessor } from '../../../src/core/jobs/job-processor.js';
import { JobsModule } from '../../../src/core/jobs/jobs.module.js';
import { defineQueue } from '../../../src/core/jobs/queue-definition.js';
import { QueueProcessor } from '../../../src/core/jobs/queue-processor.decorator.js';
import { startWorkerHealthServer, type WorkerHealthServer } from '../../../src/core/jobs/worker-health.js';
import { registerUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';
import { applyEnvironment, useOwnJobsEnvironment } from '../../support/jobs.js';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtp.js';
import { has, parseMetrics, valueOf } from './metrics-text.js';

const PROBE_QUEUE = defineQueue({ name: 'metrics-probe', jobs: ['doomed'] });

/** A queue whose one job always fails at once (no retries): the failure the metrics must count. */
@QueueProcessor(PROBE_QUEUE)
class DoomedProcessor extends JobProcessor<'doomed'> {
  readonly queue = PROBE_QUEUE;
  protected readonly handlers = {
    doomed: async () => {
      throw new UnrecoverableError('the probe always fails');
    },
  };
}

@Module({ imports: [JobsModule.forQueue(PROBE_QUEUE)], providers: [DoomedProcessor] })
class ProbeModule {}

@Module({ imports: [AppModule, ProbeModule] })
class ProbeAppModule {}

/** A TCP relay to PostgreSQL that can be cut: while cut, open connections are dropped and new ones closed at once. */
interface DatabaseLink {
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

async function linkTo(databaseUrl: string): Promise<DatabaseLink> {
  const upstream = new URL(databaseUrl);
  const open = new Set<Socket>();
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) return void client.destroy();
    const backend = createConnection(Number(upstream.port || 5432), upstream.hostname);
    for (const socket of [client, backend]) {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      socket.on('error', () => {
        client.destroy();
        backend.destroy();
      });
    }
    client.pipe(backend).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    cut: () => {
      cut = true;
      for (const socket of open) socket.destroy();
    },
    restore: () => {
      cut = false;
    },
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// The worker has no Nest HTTP app: its health server (the one main.worker.ts starts on WORKER_PORT) serves the
// probes and its own /metrics. Here the workers run in the test's app (WORKER_IN_PROCESS), on a database reached
// through a relay the test can cut.
describe.each(['redis', 'postgres'] as const)('the worker health server on %s: /metrics and probes', (backend) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let link: DatabaseLink;
  let drop: () => Promise<void>;
  let health: WorkerHealthServer;
  const get = (path: string) => fetch(`http://127.0.0.1:${health.port}${path}`);
  const scrape = async () => {
    const response = await get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseMetrics(await response.text());
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    const own = await useOwnJobsEnvironment(`metrics_worker_${backend}`, { backend });
    drop = own.drop;
    link = await linkTo(own.databaseUrl);
    applyEnvironment({ DATABASE_URL: link.url, SMTP_URL: smtp.url, PUBLIC_URL: 'http://folio.test' });
    t = await createTestApp(ProbeAppModule);
    health = await startWorkerHealthServer(t.app, { port: 0, host: '127.0.0.1' });
  }, 120_000);

  afterAll(async () => {
    await health?.close();
    await t?.close();
    await link?.close();
    await smtp?.stop();
    await drop?.();
  });

  it('counts the jobs its workers completed, by queue, with their duration', async () => {
    const user = await registerUser(t);
    await vi.waitFor(
      () => expect(smtp.messages.some((m) => m.subject === `Welcome to Folio, ${user.username}`)).toBe(true),
      { timeout: 20_000, interval: 50 },
    );
    await vi.waitFor(async () => {
      const samples = await scrape();
      expect(valueOf(samples, 'folio_jobs_completed_total', { queue: 'notifications' })).toBeGreaterThanOrEqual(1);
      expect(
        valueOf(samples, 'folio_job_duration_seconds_count', { queue: 'notifications', outcome: 'completed' }),
      ).toBeGreaterThanOrEqual(1);
    });
    const samples = await scrape();
    expect(has(samples, 'folio_queue_jobs', { queue: 'notifications', state: 'waiting' })).toBe(true);
    expect(has(samples, 'folio_queue_jobs', { queue: 'reports', state: 'failed' })).toBe(true);
    expect(has(samples, 'nodejs_eventloop_lag_seconds')).toBe(true);
    expect(has(samples, 'folio_db_pool_connections', { state: 'idle' })).toBe(true);
  });

  it('counts a failed job by queue, and the queue depth shows it as failed', async () => {
    const before = await scrape();
    const probe = t.app.get<Queue>(getQueueToken(PROBE_QUEUE.name), { strict: false });
    await probe.add('doomed', { payload: {}, messageId: 'metrics-doomed' }, { jobId: 'metrics-doomed' });
    await vi.waitFor(
      async () => {
        const after = await scrape();
        expect(valueOf(after, 'folio_jobs_failed_total', { queue: PROBE_QUEUE.name })).toBe(
          valueOf(before, 'folio_jobs_failed_total', { queue: PROBE_QUEUE.name }) + 1,
        );
        expect(valueOf(after, 'folio_queue_jobs', { queue: PROBE_QUEUE.name, state: 'failed' })).toBe(1);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(valueOf(await scrape(), 'folio_jobs_completed_total', { queue: PROBE_QUEUE.name })).toBe(0);
  });

  it('liveness answers 200 and readiness 503 while the database is unreachable (worker and api)', async () => {
    expect((await get('/health/ready')).status).toBe(200);
    link.cut();
    try {
      const ready = await get('/health/ready');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: 'error',
        checks: { database: 'down', ...(backend === 'redis' ? { redis: 'up' } : {}) },
      });
      const live = await get('/health/live');
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'ok' });
      // Metrics still answer (a pool with no connection is a fact worth scraping).
      expect((await get('/metrics')).status).toBe(200);
      // The api process (this same app) says the same on its own probes.
      const apiReady = await t.request({ method: 'GET', url: '/health/ready' });
      expect(apiReady.status).toBe(503);
      expect(apiReady.body).toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
        errors: [{ field: 'database', message: 'database is down' }],
      });
      expect(await t.request({ method: 'GET', url: '/health/live' })).toMatchObject({
        status: 200,
        body: { status: 'ok', checks: {} },
      });
      // The workers lose their database (postgres backend) or keep Redis: their errors are counted, not printed.
      if (backend === 'postgres') {
        await vi.waitFor(async () => expect(valueOf(await scrape(), 'folio_worker_errors_total')).toBeGreaterThan(0));
      }
    } finally {
      link.restore();
    }
    await vi.waitFor(async () => expect((await get('/health/ready')).status).toBe(200), { timeout: 10_000 });
  });

  it('readiness answers 503 from the moment it drains; liveness stays 200', async () => {
    health.drain();
    const ready = await get('/health/ready');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'error', code: 'DRAINING' });
    expect((await get('/health/live')).status).toBe(200);
  });
});
