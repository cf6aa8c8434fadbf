import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { buildInfo } from './build-info.js';

/** Request durations in seconds: from a cache hit (a millisecond) to a slow export (ten seconds). */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Job durations in seconds: a mail is sent in a fraction of a second, a report may take a minute. */
const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * The app's Prometheus metrics (docs/observability.md), in a registry of its own rather than prom-client's
 * global one: tests boot several apps in one process, and each must count only its own requests. The gauges
 * that are read on scrape (pool, queues) are added by their collectors (db-pool.collector.ts,
 * queue-depth.collector.ts) on this registry.
 */
@Injectable()
export class FolioMetrics {
  readonly registry = new Registry();

  /** RED: rate and errors. `route` is the route template (`/api/articles/:slug`), `UNMATCHED` when none matched. */
  readonly httpRequests = new Counter({
    name: 'http_server_requests_total',
    help: 'HTTP requests answered, by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  /** RED: duration. By status class (2xx, 4xx, 5xx) rather than code: a histogram's series cost ×12 each. */
  readonly httpDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Time from the request to the end of its answer, by method, route template and status class.',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  /** What the read cache answered (`x-cache`: hit, miss, or bypass for an authenticated caller). */
  readonly cacheRequests = new Counter({
    name: 'folio_cache_requests_total',
    help: 'Cacheable reads by route template and result (hit, miss, bypass).',
    labelNames: ['route', 'result'] as const,
    registers: [this.registry],
  });

  readonly rateLimitRejections = new Counter({
    name: 'folio_rate_limit_rejections_total',
    help: 'Requests refused with 429 by the rate limiter, by route template.',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  readonly jobsCompleted = new Counter({
    name: 'folio_jobs_completed_total',
    help: 'Jobs this process completed, by queue.',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  /** Every failed attempt, retried or not: a rising rate with no dead letters means retries are succeeding. */
  readonly jobsFailed = new Counter({
    name: 'folio_jobs_failed_total',
    help: 'Job attempts this process failed, by queue (each attempt counts, including those retried later).',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  readonly workerErrors = new Counter({
    name: 'folio_worker_errors_total',
    help: "Errors of this process's BullMQ workers themselves (lost connection, lock renewal), by queue.",
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'folio_job_duration_seconds',
    help: 'Time a job ran in this process, by queue and outcome.',
    labelNames: ['queue', 'outcome'] as const,
    buckets: JOB_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    const info = buildInfo();
    new Gauge({
      name: 'folio_build_info',
      help: 'Always 1; the labels say which build of Folio and which Node.js run this process.',
      labelNames: ['version', 'node_version'] as const,
      registers: [this.registry],
    }).set(info, 1);
  }

  /** The registries scraped together: the process's (shared by every app in it) and this app's. */
  registries(): Registry[] {
    return [processMetrics(), this.registry];
  }

  /** The exposition in Prometheus text format, with its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    const parts = await Promise.all(this.registries().map((registry) => registry.metrics()));
    return { contentType: this.registry.contentType, body: `${parts.map((part) => part.trimEnd()).join('\n\n')}\n` };
  }
}

let processRegistry: Registry | undefined;

/**
 * Event-loop lag, heap and RSS, GC pauses, handles: no prefix, so stock Node.js dashboards work as they are.
 * Collected once per process, not per app: they describe the process, and prom-client's collectors (an
 * event-loop delay monitor, a GC observer) cannot be stopped, so one per app would pile up in the tests.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
