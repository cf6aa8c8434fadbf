import { Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppModule } from '../../../src/app.module.js';
import { DeadLetters } from '../../../src/core/jobs/dead-letters.service.js';
import { JobProcessor, type JobOf } from '../../../src/core/jobs/job-processor.js';
import { JobsModule } from '../../../src/core/jobs/jobs.module.js';
import { Outbox } from '../../../src/core/jobs/outbox.js';
import { OutboxRelay } from '../../../src/core/jobs/outbox-relay.js';
import { defineQueue } from '../../../src/core/jobs/queue-definition.js';
import { QueueProcessor } from '../../../src/core/jobs/queue-processor.decorator.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';
import { useOwnJobsEnvironment } from '../../support/jobs.js';
import { adminToken, registerUser } from '../../factories/users.js';

const PROBE_QUEUE = defineQueue({
  name: 'probe',
  jobs: ['echo', 'doomed'],
  subscriptions: { 'probe.pinged': 'echo', 'probe.doomed': 'doomed' },
});

/** What the probe's handlers saw, per job id: a job that ran twice shows up twice. */
const runs: Array<{ id: string; name: string; payload: object; trace?: Record<string, string> }> = [];
let doomedShouldFail = true;

@QueueProcessor(PROBE_QUEUE)
class ProbeProcessor extends JobProcessor<'echo' | 'doomed'> {
  readonly queue = PROBE_QUEUE;
  protected readonly handlers = {
    echo: async (job: JobOf) => {
      runs.push({ id: String(job.id), name: job.name, payload: job.data.payload, trace: job.data.trace });
    },
    doomed: async (job: JobOf) => {
      if (doomedShouldFail) throw new Error('the probe always fails');
      runs.push({ id: String(job.id), name: job.name, payload: job.data.payload });
    },
  };
}

@Module({ imports: [JobsModule.forQueue(PROBE_QUEUE)], providers: [ProbeProcessor] })
class ProbeModule {}

@Module({ imports: [AppModule, ProbeModule] })
class ProbeAppModule {}

@Injectable()
class Publisher {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}
  /** A write and its event in one transaction; `fail` rolls both back. */
  publish(topic: string, key: string, options: { fail?: boolean } = {}) {
    return this.dataSource.transaction(async (manager) => {
      await this.outbox.publish(manager, { topic, key, payload: { key } });
      if (options.fail) throw new Error('rolled back');
    });
  }
}

async function pending(t: TestApp): Promise<number> {
  const [row] = await t.dataSource.query('SELECT count(*)::int AS n FROM outbox_messages WHERE sent_at IS NULL');
  return row.n;
}

describe.each(['redis', 'postgres'] as const)('outbox and queue on %s', (backend) => {
  let t: TestApp;
  let drop: () => Promise<void>;
  let publisher: Publisher;

  beforeAll(async () => {
    ({ drop } = await useOwnJobsEnvironment(`outbox_${backend}`, { backend }));
    t = await createTestApp(ProbeAppModule);
    publisher = new Publisher(t.dataSource, t.app.get(Outbox));
  });

  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('runs a job for a committed event, and nothing for a rolled-back one', async () => {
    await publisher.publish('probe.pinged', `committed-${backend}`);
    await expect(publisher.publish('probe.pinged', `rolled-back-${backend}`, { fail: true })).rejects.toThrow();
    await vi.waitFor(() => expect(runs.map((r) => r.id)).toContain(`probe.pinged.committed-${backend}`), {
      timeout: 10_000,
    });
    expect(runs.find((r) => r.id === `probe.pinged.committed-${backend}`)?.payload).toEqual({
      key: `committed-${backend}`,
    });
    expect(runs.some((r) => r.id === `probe.pinged.rolled-back-${backend}`)).toBe(false);
    const [row] = await t.dataSource.query('SELECT sent_at FROM outbox_messages WHERE key = $1', [
      `committed-${backend}`,
    ]);
    expect(row.sent_at).not.toBeNull();
  });

  it('loses nothing and runs once when the relay stops between commit and enqueue', async () => {
    const relay = t.app.get(OutboxRelay);
    await relay.stop();
    const key = `paused-${backend}`;
    await publisher.publish('probe.pinged', key);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runs.some((r) => r.id === `probe.pinged.${key}`)).toBe(false);
    expect(await pending(t)).toBe(1);
    // A relay that handed the job over but died before stamping the message: the message is relayed again.
    await t.dataSource.query('UPDATE outbox_messages SET sent_at = NULL');
    relay.start();
    await vi.waitFor(() => expect(runs.filter((r) => r.id === `probe.pinged.${key}`)).toHaveLength(1), {
      timeout: 10_000,
    });
    await vi.waitFor(async () => expect(await pending(t)).toBe(0));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Every message was handed over again (sent_at reset), yet each job ran exactly once.
    for (const id of new Set(runs.map((r) => r.id))) expect(runs.filter((r) => r.id === id)).toHaveLength(1);
  });

  it('keeps a job that fails every attempt as a dead letter, which an admin can retry', async () => {
    doomedShouldFail = true;
    const key = `doomed-${backend}`;
    await publisher.publish('probe.doomed', key);
    const token = adminToken(t, await registerUser(t));
    const user = await registerUser(t);

    const forbidden = await t.request({ method: 'GET', url: '/api/v1/admin/jobs/dead-letters', token: user.token });
    expect(forbidden.status).toBe(403);

    let letter: any;
    await vi.waitFor(
      async () => {
        const list = await t.request({ method: 'GET', url: '/api/v1/admin/jobs/dead-letters', token });
        expect(list.status).toBe(200);
        letter = list.body.deadLetters.find((l: any) => l.id === `probe.doomed.${key}`);
        expect(letter).toBeDefined();
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(letter).toMatchObject({
      queue: 'probe',
      name: 'doomed',
      state: 'failed',
      failedReason: 'the probe always fails',
      attemptsMade: 5,
    });
    expect(letter.data.payload).toEqual({ key });

    doomedShouldFail = false;
    const retried = await t.request({
      method: 'POST',
      url: `/api/v1/admin/jobs/dead-letters/probe/${letter.id}/retry`,
      token,
    });
    expect(retried.status).toBe(200);
    // A worker runs it at once: by the time the answer is made it may have finished already.
    expect(retried.body.state).toMatch(/^(waiting|active|prioritized|completed)$/);
    await vi.waitFor(() => expect(runs.some((r) => r.id === `probe.doomed.${key}`)).toBe(true), { timeout: 10_000 });
    expect((await t.app.get(DeadLetters).list(100)).some((l) => l.id === letter.id)).toBe(false);

    const again = await t.request({
      method: 'POST',
      url: `/api/v1/admin/jobs/dead-letters/probe/${letter.id}/retry`,
      token,
    });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('DEAD_LETTER_NOT_FOUND');
  });
});
