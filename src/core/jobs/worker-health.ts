import type { INestApplicationContext } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
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
 * `/health/ready` (PostgreSQL and, when used, Redis answer; 503 while stopping). Probes and nothing else.
 */
export async function startWorkerHealthServer(
  app: INestApplicationContext,
  options: { port: number; host: string },
): Promise<WorkerHealthServer> {
  const dataSource = app.get(DataSource);
  const redis = app.get<Redis | null>(REDIS, { strict: false });
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
