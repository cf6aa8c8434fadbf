import { Module, type DynamicModule, type LoggerService, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { environment, jobsConfig } from './core/config/app.config.js';
import { EMBEDDED_DATABASE } from './core/database/database.module.js';
import type { EmbeddedDatabase } from './core/database/embedded-postgres.js';
import { corsOriginAllowed, refuseDisallowedPreflights } from './core/http/cors.js';
import { createFastifyAdapter } from './core/http/fastify.js';
import { registerHttpCaching } from './core/http/http-caching.js';
import { setupOpenApi } from './core/http/openapi.js';
import { IDEMPOTENT_REPLAYED_HEADER } from './core/idempotency/idempotency-key.js';
import { registerSecurityHeaders } from './core/http/security-headers.js';
import { HttpDrainService, type DrainOptions } from './core/lifecycle/http-drain.service.js';
import { nestInstrumentation } from './core/observability/nest-instrumentation.js';
import { RATE_LIMIT_HEADERS } from './core/throttling/rate-limit-headers.js';
import { WorkerFeaturesModule } from './worker-features.module.js';

const SILENT_LOGGER: LoggerService = { log: () => {}, error: () => {}, warn: () => {} };

/** Methods a cross-origin page may use (the CORS-safelisted ones alone would refuse PUT and DELETE). */
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Response headers a cross-origin page may read. */
const CORS_EXPOSED_HEADERS = [
  'x-request-id',
  ...RATE_LIMIT_HEADERS.map((name) => name.toLowerCase()),
  // Request headers are not listed: @fastify/cors allows those a preflight asks for (`Idempotency-Key` among them).
  IDEMPOTENT_REPLAYED_HEADER,
];

@Module({})
class ApiRootModule {}

/** `rootModule`, plus the workers and the outbox relay when they run in this process (read at call time). */
function apiRoot(rootModule: Type): DynamicModule {
  return {
    module: ApiRootModule,
    imports: [rootModule, ...(jobsConfig().inProcessWorker ? [WorkerFeaturesModule] : [])],
  };
}

export interface CreateAppOptions {
  /** Runs on the Fastify instance before any route is registered (tests add hooks that see every answer). */
  configureFastify?: (fastify: FastifyInstance) => void | Promise<void>;
}

/**
 * Builds the API application, fully initialised but not listening. Shared by main.ts and the tests
 * (which may wrap AppModule to add test-only routes).
 */
export async function createApp(
  rootModule: Type = AppModule,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const env = environment();
  const app = await NestFactory.create<NestFastifyApplication>(
    apiRoot(rootModule),
    createFastifyAdapter({
      bodyLimit: env.BODY_LIMIT_BYTES,
      trustProxy: env.TRUST_PROXY,
      maxUrlLength: env.MAX_URL_LENGTH,
      maxHeaderBytes: env.MAX_HEADER_BYTES,
    }),
    // Start-up logs are buffered and replayed into pino below. If the start fails they go to a logger that
    // prints nothing: main.ts says why in one line instead of Nest's module log and every retry's stack.
    { logger: SILENT_LOGGER, bufferLogs: true, abortOnError: false, bodyParser: false, ...nestInstrumentation() },
  );
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  // Helmet's headers and a per-route Content-Security-Policy (docs/security.md): before any route is registered.
  await registerSecurityHeaders(fastify, { production: env.NODE_ENV === 'production' });
  await options.configureFastify?.(fastify);
  // RealWorld frontends are served from their own origins and send the token in a header, not a cookie.
  // @fastify/cors allows only the CORS-safelisted methods by default: a browser would refuse PUT and DELETE.
  // Only the origins of CORS_ORIGINS (unset: loopback origins outside production) get the CORS headers.
  const corsAllowed = corsOriginAllowed({ origins: env.CORS_ORIGINS, production: env.NODE_ENV === 'production' });
  app.enableCors({
    origin: (origin: string | undefined, allow: (error: Error | null, allowed: boolean) => void) =>
      allow(null, origin !== undefined && corsAllowed(origin)),
    methods: CORS_METHODS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
  });
  refuseDisallowedPreflights(fastify, corsAllowed);
  // ETag/304, Cache-Control, Vary and compression on every route: before any route is registered.
  await registerHttpCaching(app, { compressionThreshold: env.COMPRESSION_THRESHOLD_BYTES });
  await setupOpenApi(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/**
 * Stops the app without failing a request, in this order: readiness 503 and the grace period, the HTTP drain
 * (listener closed, in-flight requests finished, connections closed between requests), then `app.close()`
 * (pools), then the embedded database if there is one.
 */
export async function closeApp(app: NestFastifyApplication, options: DrainOptions = {}): Promise<void> {
  const embedded = app.get<EmbeddedDatabase | null>(EMBEDDED_DATABASE, { strict: false });
  try {
    try {
      // Before app.close(): Fastify's close() would answer requests arriving meanwhile with 503 and Node's
      // server.close() would destroy connections whose request is not read yet; the drain leaves them nothing.
      await app.get(HttpDrainService, { strict: false }).drain(options);
    } finally {
      await app.close();
    }
  } finally {
    await embedded?.stop();
  }
}
