import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { folioTracer } from './telemetry.js';

/**
 * Runs `work` inside a client span of its own, for I/O no instrumentation sees (SMTP). The span ends when the
 * work settles; a failure is recorded on it and rethrown. Without tracing the span is a no-op.
 */
export function withClientSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return folioTracer().startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
