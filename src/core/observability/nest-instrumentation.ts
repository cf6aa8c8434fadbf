import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { folioTracer, telemetryStarted } from './telemetry.js';

/**
 * The classes whose methods become spans: Folio's controllers, services, repositories, guards and job
 * processors, plus the few collaborators named otherwise that do I/O worth seeing in a trace.
 */
const TRACED_CLASS = /(Controller|Service|Repository|Guard|Processor|Queries|Mailer|Mails|Deliveries)$/;

/**
 * Classes that match the pattern but are library plumbing: configuration and JWT helpers called on every request
 * (spans of microseconds), TypeORM's own repositories (their SQL has pg spans already), Nest's and Terminus'.
 */
const UNTRACED_CLASSES = new Set([
  'ConfigService',
  'JwtService',
  'Repository',
  'TreeRepository',
  'MongoRepository',
  'HealthCheckService',
  'TerminusService',
  'MetadataScanner',
  'DiscoveryService',
  'SchedulerRegistry',
  'ThrottlerGuard',
  // Counts every request on the raw server, outside the request's span: plumbing.
  'HttpDrainService',
]);

/** Lifecycle hooks run once, at start and stop: spans without a trace to join. */
const UNTRACED_METHODS = new Set([
  'constructor',
  'onModuleInit',
  'onModuleDestroy',
  'onApplicationBootstrap',
  'beforeApplicationShutdown',
  'onApplicationShutdown',
  'toString',
  'toJSON',
  'valueOf',
  // Hot and trivial: the processor's handler table is read once per job; the throttler's hooks (RateLimitGuard
  // overrides them) compute a key or a flag several times per request.
  'handledJobNames',
  'getTracker',
  'generateKey',
  'shouldSkip',
  'getRequestResponse',
]);

const WRAPPED = Symbol.for('folio.traced');

function endWith(span: Span, error: unknown): never {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.end();
  throw error;
}

/**
 * Wraps one method: a span named `Class.method` is active while it runs, ended when the returned promise settles
 * (or at once for a synchronous result); a throw or a rejection is recorded on the span and rethrown unchanged.
 * The wrapper carries the original's reflect-metadata (route, guards, HTTP code: Nest reads them from the
 * function it calls) and its name and length.
 */
function traced(spanName: string, original: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  const tracer = folioTracer();
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    return tracer.startActiveSpan(spanName, (span) => {
      let result: unknown;
      try {
        result = original.apply(this, args);
      } catch (error) {
        endWith(span, error);
      }
      if (result instanceof Promise) {
        return result.then(
          (value: unknown) => {
            span.end();
            return value;
          },
          (error: unknown) => endWith(span, error),
        );
      }
      span.end();
      return result;
    });
  };
  for (const key of Reflect.getOwnMetadataKeys(original)) {
    Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, original), wrapper);
  }
  Object.defineProperty(wrapper, 'name', { value: original.name });
  Object.defineProperty(wrapper, 'length', { value: original.length });
  return wrapper;
}

/**
 * Library base classes: their methods are plumbing (BullMQ's worker accessors, TypeORM's query helpers, the
 * throttler's key and limit helpers, called many times per request); only the entry points below are traced.
 */
const LIBRARY_BASES = new Set(['WorkerHost', 'EventEmitter', 'Repository', 'ThrottlerGuard']);
/** A guard's or a processor's entry point, traced even when inherited from a library base. */
const ENTRY_METHODS = ['canActivate', 'process'];

/** The plain methods of the instance's class and its own ancestors (no getters, setters, library bases' ones). */
function methodNames(instance: object): string[] {
  const names = new Set<string>();
  for (
    let proto = Object.getPrototypeOf(instance) as object | null;
    proto && proto !== Object.prototype && !LIBRARY_BASES.has(proto.constructor?.name);
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (names.has(name) || UNTRACED_METHODS.has(name) || name.startsWith('_')) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (descriptor && typeof descriptor.value === 'function' && !descriptor.get && !descriptor.set) names.add(name);
    }
  }
  for (const name of ENTRY_METHODS) {
    if (typeof (instance as Record<string, unknown>)[name] === 'function') names.add(name);
  }
  return [...names];
}

/**
 * Nest's `instrument.instanceDecorator` (NestFactory.create and createApplicationContext): each method of a
 * traced class becomes a span named as the code names it (`ArticlesService.list`), since auto-instrumentation no
 * longer sees Nest 12's controllers. The wrappers are own properties of the instance; the prototype, and so any
 * other instance, is left alone. Without a started SDK the instance is returned untouched.
 */
export function traceInstance<T>(instance: T): T {
  if (!telemetryStarted() || instance === null || typeof instance !== 'object') return instance;
  const target = instance as Record<string | symbol, unknown>;
  const className = (instance as object).constructor?.name;
  if (!className || !TRACED_CLASS.test(className) || UNTRACED_CLASSES.has(className) || target[WRAPPED]) {
    return instance;
  }
  for (const name of methodNames(instance as object)) {
    const original = target[name];
    if (typeof original !== 'function') continue;
    Object.defineProperty(target, name, {
      value: traced(`${className}.${name}`, original as (...args: unknown[]) => unknown),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  Object.defineProperty(target, WRAPPED, { value: true });
  return instance;
}

/** The `instrument` option of NestFactory: Folio's spans when tracing runs, nothing otherwise. */
export function nestInstrumentation(): { instrument?: { instanceDecorator: (instance: unknown) => unknown } } {
  return telemetryStarted() ? { instrument: { instanceDecorator: traceInstance } } : {};
}
