import 'reflect-metadata';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type ProxyTracerProvider } from '@opentelemetry/api';
import { InMemorySpanExporter, SamplingDecision, type TracerProvider } from '@opentelemetry/sdk-trace';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { logTraceFields } from './log-trace-fields.js';
import { nestInstrumentation, traceInstance } from './nest-instrumentation.js';
import { FolioSampler, samplerFromEnv } from './sampler.js';
import { startTelemetry } from './start-telemetry.js';
import { shutdownTelemetry, telemetryStarted, tracingConfigured } from './telemetry.js';

const ROUTE = 'test:route';

class ArticlesService {
  calls = 0;
  get label(): string {
    return 'articles';
  }
  async list(limit: number): Promise<number[]> {
    this.calls += 1;
    return this.page(limit);
  }
  page(limit: number): number[] {
    return Array.from({ length: limit }, (_, i) => i);
  }
  async broken(): Promise<never> {
    throw new Error('the database is gone');
  }
  onModuleInit(): void {}
}
Reflect.defineMetadata(ROUTE, '/articles', ArticlesService.prototype.list);

/** Not a controller, service, repository, guard or processor: never wrapped. */
class SlugHelper {
  slug(title: string): string {
    return title.toLowerCase();
  }
}

/** A pino logger with Folio's mixin, writing JSON lines into `lines`. */
function capturingLogger(lines: Array<Record<string, unknown>>) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return pino({ mixin: logTraceFields }, sink);
}

describe('without an OTLP endpoint', () => {
  it('is not configured unless an endpoint is set and the SDK is not disabled', () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBe(
      false,
    );
  });

  it('starts no SDK: Nest gets no instrument option and instances stay untouched', async () => {
    expect(telemetryStarted()).toBe(false);
    expect(nestInstrumentation()).toEqual({});
    const service = new ArticlesService();
    const ownBefore = Object.getOwnPropertyNames(service);
    expect(traceInstance(service)).toBe(service);
    expect(Object.getOwnPropertyNames(service)).toEqual(ownBefore);
    expect(service.list).toBe(ArticlesService.prototype.list);
    expect(await service.list(2)).toEqual([0, 1]);
  });

  it('adds no trace fields to log lines', () => {
    const lines: Array<Record<string, unknown>> = [];
    capturingLogger(lines).info('no tracing');
    expect(lines[0]).not.toHaveProperty('trace_id');
  });
});

describe('with the SDK started (in-memory exporter)', () => {
  const exporter = new InMemorySpanExporter();
  const flush = () => ((trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as TracerProvider).forceFlush();

  afterAll(() => shutdownTelemetry());

  it('wraps each method of a traced class in a span named Class.method, nested, metadata kept', async () => {
    startTelemetry({ defaultServiceName: 'folio-test', serviceVersion: '0.0.0', exporter });
    expect(telemetryStarted()).toBe(true);
    expect(nestInstrumentation().instrument?.instanceDecorator).toBe(traceInstance);

    const service = traceInstance(new ArticlesService());
    expect(service.list).not.toBe(ArticlesService.prototype.list);
    expect(Reflect.getMetadata(ROUTE, service.list)).toBe('/articles'); // Nest reads route metadata from it
    expect(service.list.name).toBe('list');
    expect(service.label).toBe('articles'); // getters untouched
    expect(service.onModuleInit).toBe(ArticlesService.prototype.onModuleInit); // lifecycle hooks untouched
    expect(traceInstance(service)).toBe(service); // wrapped once

    expect(await service.list(3)).toEqual([0, 1, 2]);
    expect(service.calls).toBe(1);
    await flush();
    const spans = exporter.getFinishedSpans();
    const list = spans.find((span) => span.name === 'ArticlesService.list')!;
    const page = spans.find((span) => span.name === 'ArticlesService.page')!;
    expect(list).toBeDefined();
    expect(page.parentSpanContext?.spanId).toBe(list.spanContext().spanId);
    expect(list.instrumentationScope.name).toBe('folio');
    expect(list.resource.attributes['service.name']).toBe('folio-test');
  });

  it('records a rejection on the span and rethrows it unchanged', async () => {
    exporter.reset();
    const service = traceInstance(new ArticlesService());
    await expect(service.broken()).rejects.toThrow('the database is gone');
    await flush();
    const [span] = exporter.getFinishedSpans().filter((s) => s.name === 'ArticlesService.broken');
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'the database is gone' });
    expect(span!.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('leaves classes that are not controllers, services, repositories, guards or processors alone', () => {
    const helper = new SlugHelper();
    expect(traceInstance(helper)).toBe(helper);
    expect(helper.slug).toBe(SlugHelper.prototype.slug);
  });

  it('puts trace_id and span_id of the active span on log lines, and nothing outside a span', () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = capturingLogger(lines);
    trace.getTracer('test').startActiveSpan('request', (span) => {
      logger.info('inside');
      span.end();
      expect(lines[0]).toMatchObject({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
    });
    context.with(ROOT_CONTEXT, () => logger.info('outside'));
    expect(lines[1]).not.toHaveProperty('trace_id');
  });
});

describe('sampling', () => {
  const traceId = '0af7651916cd43dd8448eb211c80319c';

  it('reads OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG', () => {
    const none = samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' });
    const all = samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' });
    expect(none.shouldSample(ROOT_CONTEXT, traceId, 'GET', SpanKind.SERVER, {}, []).decision).toBe(
      SamplingDecision.NOT_RECORD,
    );
    expect(all.shouldSample(ROOT_CONTEXT, traceId, 'GET', SpanKind.SERVER, {}, []).decision).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
    expect(samplerFromEnv({}).toString()).toMatch(/ParentBased\{root=AlwaysOnSampler/);
  });

  it("drops BullMQ's housekeeping root spans and keeps its job spans", () => {
    const sampler = new FolioSampler(samplerFromEnv({}));
    const decide = (name: string, kind: SpanKind) =>
      sampler.shouldSample(ROOT_CONTEXT, traceId, name, kind, {}, []).decision;
    expect(decide('getNextJob notifications', SpanKind.INTERNAL)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide('moveStalledJobsToWait notifications', SpanKind.INTERNAL)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide('process notifications', SpanKind.CONSUMER)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide('add notifications.welcome', SpanKind.PRODUCER)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});
