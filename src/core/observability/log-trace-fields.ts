import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * pino's `mixin`: every log line written while a span is active (a request, a job) carries `trace_id` and
 * `span_id`, so a line found in the logs leads to its trace and back. Nothing is added without tracing: no
 * context manager is registered then, and there is never an active span.
 */
export function logTraceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const context = span.spanContext();
  if (!isSpanContextValid(context)) return {};
  return { trace_id: context.traceId, span_id: context.spanId };
}
