import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import { pino } from 'pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logConfig, type LogConfig } from '../config/app.config.js';
import { logTraceFields } from './log-trace-fields.js';
import { telemetryStarted } from './telemetry.js';

type RawRequest = IncomingMessage & { id?: string; routeTemplate?: string; originalUrl?: string };

/** The fields of the request line, flat so that log queries need no nesting. */
function requestFields(req: RawRequest, res: ServerResponse) {
  return { requestId: req.id, method: req.method, route: req.routeTemplate, status: res.statusCode };
}

function requestMessage(req: RawRequest, res: ServerResponse): string {
  return `${req.method} ${req.routeTemplate ?? req.url} ${res.statusCode}`;
}

const QUEUE_DASHBOARD = /^\/admin\/queues(\/|\?|$)/;

/**
 * 5xx are errors and 4xx warnings. The queue dashboard's page polls its api and loads a dozen assets: its
 * successful reads are debug lines, while its changes (retry, clean, pause) and refusals stay visible.
 */
export function requestLogLevel(
  req: RawRequest,
  res: ServerResponse,
  error?: Error,
): 'error' | 'warn' | 'info' | 'debug' {
  if (error || res.statusCode >= 500) return 'error';
  if (res.statusCode >= 400) return 'warn';
  const read = req.method === 'GET' || req.method === 'HEAD';
  return read && QUEUE_DASHBOARD.test(req.originalUrl ?? req.url ?? '') ? 'debug' : 'info';
}

/**
 * Log lines leave through an asynchronous stdout writer (sonic-boom): while one write is in flight the next
 * lines are buffered and go out together, so under load a write carries many lines instead of one blocking
 * write per request; when idle, a line is written at once. pino flushes what is buffered when the process
 * exits. Pretty output in a terminal keeps its own transport.
 */
function withDestination<T extends object>(config: LogConfig, options: T): T | [T, pino.DestinationStream] {
  if (config.pretty) return options;
  return [options, pino.destination({ dest: 1, sync: false })];
}

/** One JSON line per request: request id, method, route, status and duration (responseTime, ms). */
@Module({
  imports: [
    PinoLoggerModule.forRootAsync({
      inject: [logConfig.KEY],
      useFactory: (config: LogConfig) => ({
        // nestjs-pino's default route pattern matches nothing under Nest 12's Fastify middleware.
        forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
        pinoHttp: withDestination(config, {
          level: config.level,
          // trace_id and span_id of the active span on every line, the request line included.
          // Trace ids on every line only when tracing runs: off, a log line costs nothing more.
          mixin: telemetryStarted() ? logTraceFields : undefined,
          transport: config.pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
          // The id is assigned by Fastify (see http/fastify.ts) and mirrored on the raw request.
          genReqId: (req: RawRequest) => req.id ?? 'unknown',
          // Probes hit /health and Prometheus /metrics every few seconds; their lines would drown the rest.
          autoLogging: {
            ignore: (req: RawRequest) => /^\/(health\/|metrics(\?|$))/.test(req.originalUrl ?? req.url ?? ''),
          },
          redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url,
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          customSuccessObject: (req: RawRequest, res: ServerResponse, value: Record<string, unknown>) => ({
            ...value,
            ...requestFields(req, res),
          }),
          // pino-http attaches a synthetic "failed with status code 500" error; the filter has already logged
          // the real one with this request id, so the request line carries only the facts.
          customErrorObject: (
            req: RawRequest,
            res: ServerResponse,
            _error: Error,
            { err: _synthetic, ...value }: Record<string, unknown>,
          ) => ({ ...value, ...requestFields(req, res) }),
          customSuccessMessage: requestMessage,
          customErrorMessage: requestMessage,
          customLogLevel: requestLogLevel,
        }),
      }),
    }),
  ],
})
export class LoggerModule {}
