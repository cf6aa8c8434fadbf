// Loaded before the application with `node --import ./dist/src/instrument.js dist/src/main.js` (npm start,
// start:prod, start:worker): instrumentations must patch http, pg and ioredis before anything imports them.
// Without an OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) it does nothing:
// no SDK, no loader hook, no overhead. docs/observability.md, "Traces".
import { existsSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { tracingConfigured } from './core/observability/telemetry.js';

/** service.version: the version in Folio's package.json (two levels up from dist/src, one from src). */
function packageVersion(): string {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === 'folio') return manifest.version ?? '0.0.0';
  }
  return '0.0.0';
}

/** The entry point names the process: main.worker.js is the worker, anything else the API. */
function defaultServiceName(): string {
  return basename(process.argv[1] ?? '').startsWith('main.worker') ? 'folio-worker' : 'folio-api';
}

if (tracingConfigured()) {
  // ESM imports (ours of ioredis, BullMQ's) are patched only through the import-in-the-middle loader; it is told to
  // intercept just the modules an instrumentation hooks, not the whole module graph.
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const { startTelemetry } = await import('./core/observability/start-telemetry.js');
  startTelemetry({ defaultServiceName: defaultServiceName(), serviceVersion: packageVersion() });
  await waitForAllMessagesAcknowledged();
}
