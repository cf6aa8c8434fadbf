import type { INestApplicationContext } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { FolioMetrics } from '../metrics/folio-metrics.js';
import { withTimeout } from '../net/with-timeout.js';
import { REDIS } from '../redis/redis.module.js';

const CHECK_TIMEOUT_MS = 1_000;

export interface WorkerHealthServer {
  port: number;
  /** From now on readiness answers 503 (the process is stopping). */
  drain(): void;
  close(): Promise<void>;
}

/**
 * The worker's own small HTTP server, never the public API: `/health/live` (the process answers) and
 * `/health/ready` (PostgreSQL and, when used, Redis answer; 503 while stopping), and `/metrics` for Prometheus.
 */
export async function startWorkerHealthServer(
  app: INestApplicationContext,
  options: { port: number; host: string },
): Promise<WorkerHealthServer> {
  const dataSource = app.get(DataSource);
  const redis = app.get<Redis | null>(REDIS, { strict: false });
  const metrics = app.get(FolioMetrics, { strict: false });
  let draining = false;

  const ready = async (): Promise<Record<string, 'up' | 'down'>> => {
    const check = (work: Promise<unknown>) =>
      withTimeout(work, CHECK_TIMEOUT_MS).then(
        () => 'up' as const,
        () => 'down' as const,
      );
    return {
      database: await check(dataSource.query('SELECT 1')),
      ...(redis ? { redis: await check(redis.ping()) } : {}),
    };
  };

  const server: Server = createServer((request, response) => {
    const send = (status: number, body: object) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return send(405, { status: 'error', code: 'METHOD_NOT_ALLOWED' });
    if (path === '/health/live') return send(200, { status: 'ok' });
    // The worker's own Prometheus metrics (job outcomes, queue depth, process): it has no Nest HTTP app.
    if (path === '/metrics') {
      void metrics.render().then(
        ({ contentType, body }) => {
          response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
          response.end(body);
        },
        () => send(500, { status: 'error', code: 'METRICS_FAILED' }),
      );
      return;
    }
    if (path === '/health/ready') {
      if (draining) return send(503, { status: 'error', code: 'DRAINING' });
      void ready().then((checks) =>
        send(Object.values(checks).every((state) => state === 'up') ? 200 : 503, {
          status: Object.values(checks).every((state) => state === 'up') ? 'ok' : 'error',
          checks,
        }),
      );
      return;
    }
    send(404, { status: 'error', code: 'NOT_FOUND' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    drain: () => {
      draining = true;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
