import 'reflect-metadata';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { jobsConfig } from './core/config/app.config.js';
import { startWorkerHealthServer } from './core/jobs/worker-health.js';
import { nestInstrumentation } from './core/observability/nest-instrumentation.js';
import { shutdownTelemetry } from './core/observability/telemetry.js';
import { describeStartupFailure, environmentOrExit } from './startup-failure.js';
import { WorkerModule } from './worker.module.js';

const SILENT_LOGGER: LoggerService = { log: () => {}, error: () => {}, warn: () => {} };

/**
 * The worker process (`npm run start:worker`): BullMQ processors and the outbox relay, no public HTTP server;
 * only /health/live and /health/ready on WORKER_PORT. Stops on SIGTERM after the jobs in progress finish.
 */
async function main(): Promise<void> {
  const env = environmentOrExit();
  if (!env.DATABASE_URL || !env.REDIS_URL) {
    // Without Redis the api runs the workers itself: what a separate worker records (a live notification) could
    // not reach the api's open streams, and both processes would take the same jobs.
    console.error(
      'The worker process needs DATABASE_URL and REDIS_URL. Without Redis (embedded mode, or DATABASE_URL alone) the api runs the workers itself.',
    );
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: SILENT_LOGGER,
    bufferLogs: true,
    abortOnError: false,
    ...nestInstrumentation(),
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.flushLogs();
  const jobs = app.get<ReturnType<typeof jobsConfig>>(jobsConfig.KEY);
  const health = await startWorkerHealthServer(app, { port: jobs.workerPort, host: jobs.workerHost });
  logger.log(`Folio worker running on ${jobs.backend}; health on port ${health.port}`, 'Bootstrap');

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.log(`${signal} received: finishing the jobs in progress`, 'Bootstrap');
    health.drain();
    setTimeout(() => {
      logger.error('jobs did not finish in time; exiting (they will be retried)', 'Bootstrap');
      process.exit(1);
    }, env.SHUTDOWN_TIMEOUT_MS).unref();
    app
      .close()
      .then(() => health.close())
      .then(() => shutdownTelemetry())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(error, 'Bootstrap');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error(`Folio worker could not start: ${describeStartupFailure(error)}`);
  process.exit(1);
});
