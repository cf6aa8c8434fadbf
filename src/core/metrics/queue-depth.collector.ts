import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { JobRegistry } from '../jobs/job-registry.js';
import { withTimeout } from '../net/with-timeout.js';
import { FolioMetrics } from './folio-metrics.js';

/** A scrape must answer within Prometheus's timeout (10 s by default) even when Redis does not. */
const COUNT_TIMEOUT_MS = 1_000;
const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Jobs per queue and state, counted on each scrape for every queue declared in this process (the api and the
 * worker declare the same ones, so either can be scraped). A queue whose counts do not come back in time has no
 * depth samples on that scrape and `folio_queue_up` 0, instead of a stale or zero depth.
 */
@Injectable()
export class QueueDepthCollector {
  constructor(metrics: FolioMetrics, registry: JobRegistry, moduleRef: ModuleRef) {
    const queueOf = (name: string) => moduleRef.get<Queue>(getQueueToken(name), { strict: false });
    const counts = async () =>
      Promise.all(
        registry.definitions().map(async ({ name }) => {
          try {
            return { name, counts: await withTimeout(queueOf(name).getJobCounts(...STATES), COUNT_TIMEOUT_MS) };
          } catch {
            return { name, counts: undefined };
          }
        }),
      );
    // One count per scrape serves both gauges: the first to collect starts it, the second reuses it.
    let pending: ReturnType<typeof counts> | undefined;
    const shared = () => {
      pending ??= counts().finally(() => setImmediate(() => (pending = undefined)));
      return pending;
    };
    new Gauge({
      name: 'folio_queue_jobs',
      help: 'Jobs in each queue by state (waiting, active, delayed, failed), counted at scrape time.',
      labelNames: ['queue', 'state'] as const,
      registers: [metrics.registry],
      async collect() {
        const queues = await shared();
        this.reset();
        for (const { name, counts: found } of queues) {
          if (!found) continue;
          for (const state of STATES) this.set({ queue: name, state }, found[state] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'folio_queue_up',
      help: '1 when the queue answered its job counts within the scrape timeout, 0 otherwise.',
      labelNames: ['queue'] as const,
      registers: [metrics.registry],
      async collect() {
        const queues = await shared();
        this.reset();
        for (const { name, counts: found } of queues) this.set({ queue: name }, found ? 1 : 0);
      },
    });
  }
}
