import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Span } from '@opentelemetry/api';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { FolioSampler } from './sampler.js';
import { markTelemetryStarted, telemetryStarted } from './telemetry.js';

/** Incoming requests that are never traced: probes and scrapes arrive every few seconds and mean nothing. */
const UNTRACED_PATHS = [/^\/health\//, /^\/metrics(\/|\?|$)/];

export interface TelemetryOptions {
  /** service.name when OTEL_SERVICE_NAME is not set. */
  defaultServiceName: string;
  serviceVersion: string;
  /** Where the spans go; by default the OTLP/HTTP (JSON) exporter configured by the standard OTEL_* variables. */
  exporter?: SpanExporter;
}

/** Whether an incoming request goes untraced (ignoreIncomingRequestHook of the http instrumentation). */
export function untracedRequest(request: Pick<IncomingMessage, 'url'>): boolean {
  const url = request.url ?? '';
  return UNTRACED_PATHS.some((pattern) => pattern.test(url));
}

/**
 * Names a server span after its route template (`POST /api/users`, `http.route`) as the request ends: Fastify's
 * onRequest hook (core/http/fastify.ts) leaves the template on the raw request; the http instrumentation alone
 * knows only the method. A request no route matched keeps the bare method (no unbounded span names).
 */
export function nameServerSpan(span: Span, request: ClientRequest | IncomingMessage, _response: unknown): void {
  // Only incoming requests carry it; a client request (ClientRequest) never does.
  const route = (request as IncomingMessage & { routeTemplate?: string }).routeTemplate;
  if (typeof route !== 'string') return;
  span.setAttribute('http.route', route);
  span.updateName(`${request.method ?? 'GET'} ${route}`);
}

/**
 * Starts the OpenTelemetry Node SDK: W3C trace context, the sampler of OTEL_TRACES_SAMPLER /
 * OTEL_TRACES_SAMPLER_ARG (`parentbased_traceidratio` with a ratio in production) minus BullMQ's housekeeping, batch export
 * (OTEL_BSP_*), instrumentations for http (server and client), pg and ioredis. Metrics and logs are not exported
 * through OpenTelemetry: metrics are Prometheus' (/metrics), logs are pino's stdout lines carrying the trace id.
 * Loaded only when tracing is configured (instrument.ts imports it dynamically). Idempotent.
 */
export function startTelemetry(options: TelemetryOptions): void {
  if (telemetryStarted()) return;
  const sdk = new NodeSDK({
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: process.env.OTEL_SERVICE_NAME?.trim() || options.defaultServiceName,
        [ATTR_SERVICE_VERSION]: options.serviceVersion,
      }),
    ),
    sampler: new FolioSampler(),
    traceExporter: options.exporter ?? new OTLPTraceExporter(),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: untracedRequest,
        applyCustomAttributesOnSpan: nameServerSpan,
      }),
      // requireParentSpan: a pool's housekeeping and BullMQ's polling outside any request or job are not traces.
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  markTelemetryStarted(sdk);
}
