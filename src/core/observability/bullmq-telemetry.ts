import type { Telemetry } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import { telemetryStarted } from './telemetry.js';

/**
 * BullMQ's `telemetry` option when tracing runs: the producer's span context travels in the job, the worker's
 * `process` span continues the trace (a job relayed from the outbox continues the request that published the
 * event, see OutboxRelay). @nestjs/bullmq hands the queue's option to the workers of that queue as well.
 * Undefined without tracing: BullMQ then does no telemetry work at all.
 */
export function bullmqTelemetry(): Telemetry | undefined {
  return telemetryStarted() ? (new BullMQOtel({ tracerName: 'folio.bullmq' }) as Telemetry) : undefined;
}
