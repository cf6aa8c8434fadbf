import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsConfig, type MetricsConfig } from '../config/app.config.js';
import { FolioMetrics } from './folio-metrics.js';
import { recordHttpMetrics } from './http-metrics.hook.js';

export const METRICS_PATH = '/metrics';

/**
 * Where the api's `/metrics` is served. In development and test: a plain Fastify route on the api port (no Nest
 * controller, so no guard, rate limit or OpenAPI entry: it is not part of the API). In production: only on
 * METRICS_PORT, a separate small server that no Service or Ingress of the API exposes, so the numbers are never
 * public by accident; the api port answers it 404 like any unknown path. The worker, which has no Nest HTTP
 * app, serves it on its health port (jobs/worker-health.ts) and this provider does nothing there.
 */
@Injectable()
export class MetricsExposure implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: FolioMetrics,
    @Inject(metricsConfig.KEY) private readonly config: MetricsConfig,
  ) {}

  /** The port of the separate metrics server, once listening (production only). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  /** During app.init(): hooks and routes added here still apply, Fastify builds them when it gets ready. */
  onModuleInit(): void {
    const fastify = this.fastify();
    if (!fastify) return;
    recordHttpMetrics(fastify, this.metrics);
    if (!this.config.onApiPort) return;
    fastify.get(METRICS_PATH, async (_request, reply) => {
      const { contentType, body } = await this.metrics.render();
      return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.fastify() || this.config.onApiPort) return;
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (path !== METRICS_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
        return;
      }
      this.metrics.render().then(
        ({ contentType, body }) => {
          response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
          response.end(request.method === 'HEAD' ? undefined : body);
        },
        (error: unknown) => {
          this.logger.error(error, 'metrics scrape failed');
          response.writeHead(500, { 'content-type': 'text/plain' }).end('Scrape failed\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port, this.config.host, () => resolve());
    });
    this.server = server;
    this.logger.log(`metrics on port ${this.port}${METRICS_PATH}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The api's Fastify instance; undefined in the worker (an application context without HTTP). */
  private fastify(): FastifyInstance | undefined {
    return this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
  }
}
