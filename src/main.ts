import 'reflect-metadata';
import { httpConfig, environment } from './core/config/app.config.js';
import { InvalidEnvironmentError } from './core/config/env.schema.js';
import { closeApp, createApp } from './bootstrap.js';

async function main(): Promise<void> {
  try {
    environment();
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const app = await createApp();
  const config = app.get<ReturnType<typeof httpConfig>>(httpConfig.KEY);
  await app.listen({ port: config.port, host: config.host });
  const logger = app.get(await import('nestjs-pino').then((m) => m.Logger));
  logger.log(`Folio API listening on http://localhost:${config.port} (Swagger UI at /docs)`, 'Bootstrap');

  // Not app.enableShutdownHooks(): Nest re-raises the signal right after its hooks, leaving no point at
  // which the embedded database can be stopped after the pool has closed. This does the same steps.
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining in-flight requests and closing pools`, 'Bootstrap');
    setTimeout(() => {
      logger.error(`shutdown did not finish within ${config.shutdownTimeoutMs} ms; exiting`, 'Bootstrap');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    closeApp(app).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(error, 'Bootstrap');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
