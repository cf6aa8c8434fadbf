import { trace, type Tracer } from '@opentelemetry/api';

/** The tracer of Folio's own spans (Nest methods, SMTP); its name shows as the instrumentation scope. */
export const TRACER_NAME = 'folio';

/**
 * The process-wide state lives on globalThis, not in this module: `node --import` and the application may load
 * this file under different URLs (or a test runner may load it twice), and both must see the one SDK.
 * This file stays light (no SDK import): the application imports it whether tracing runs or not.
 */
const STATE = Symbol.for('folio.telemetry');
interface TelemetryState {
  shutdown(): Promise<void>;
}
const globals = globalThis as { [STATE]?: TelemetryState };

/**
 * Tracing is on only when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) and OTEL_SDK_DISABLED is not true: without a collector there is no SDK at
 * all, so the spans cost nothing.
 */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return Boolean(endpoint?.trim()) && env.OTEL_SDK_DISABLED?.trim().toLowerCase() !== 'true';
}

/** True once startTelemetry() (start-telemetry.ts) has started the SDK in this process. */
export function telemetryStarted(): boolean {
  return globals[STATE] !== undefined;
}

/** Records the started SDK (start-telemetry.ts). */
export function markTelemetryStarted(state: TelemetryState): void {
  globals[STATE] = state;
}

/** Folio's tracer (a no-op one when the SDK is not started). */
export function folioTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/**
 * Flushes the spans still buffered and stops the SDK; a no-op without one. main.ts and main.worker.ts await it
 * after the app has closed, so the spans of the last requests and jobs are exported before the exit.
 */
export async function shutdownTelemetry(): Promise<void> {
  const state = globals[STATE];
  if (!state) return;
  globals[STATE] = undefined;
  try {
    await state.shutdown();
  } catch {
    // An unreachable collector must not turn a clean shutdown into a failed one.
  }
}
