import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../src/core/net/free-port.js';
import { useOwnJobsEnvironment } from '../../support/jobs.js';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtp.js';

// The built api and worker, started as `npm start` / `npm run start:worker` start them (`--import instrument.js`),
// export their spans over OTLP/HTTP to a real receiver started here. One registration must make one trace:
// HTTP request -> Nest spans -> SQL -> outbox -> (worker) BullMQ job -> processor -> mail -> SMTP.
const root = join(import.meta.dirname, '..', '..', '..');

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  start: bigint;
}

interface Child {
  process: ChildProcess;
  output: string[];
}

/** OTLP/HTTP JSON (`ExportTraceServiceRequest`) as @opentelemetry/exporter-trace-otlp-http sends it. */
interface ExportRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        /** A decimal string, or a number from an exporter that does not keep long bits. */
        startTimeUnixNano: string | number;
      }>;
    }>;
  }>;
}

/** A real OTLP/HTTP receiver: POST /v1/traces with a JSON body, answered 200 `{}` like a collector. */
async function startReceiver(
  spans: ReceivedSpan[],
  contentTypes: Set<string>,
): Promise<{ server: Server; port: number }> {
  const port = await freePort();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      contentTypes.add(String(request.headers['content-type']));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExportRequest;
      for (const resourceSpan of body.resourceSpans ?? []) {
        const service =
          resourceSpan.resource?.attributes?.find((attribute) => attribute.key === 'service.name')?.value.stringValue ??
          '?';
        for (const scope of resourceSpan.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({
              service,
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ?? '',
              name: span.name,
              kind: span.kind,
              start: BigInt(String(span.startTimeUnixNano).split('.')[0]!),
            });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port };
}

/** The trace as an indented tree, children by start time: `name [service]`. */
function renderTree(spans: ReceivedSpan[]): string {
  const ids = new Set(spans.map((span) => span.spanId));
  const lines: string[] = [];
  const walk = (parent: string, depth: number) => {
    const children = spans.filter((s) => (parent === '' ? !ids.has(s.parentSpanId) : s.parentSpanId === parent));
    for (const span of children.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))) {
      lines.push(`${'  '.repeat(depth)}${span.name} [${span.service}]`);
      walk(span.spanId, depth + 1);
    }
  };
  walk('', 0);
  return lines.join('\n');
}

/** The chain of span names from `span` up to the root. */
function ancestry(spans: ReceivedSpan[], span: ReceivedSpan): string[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const names: string[] = [];
  for (let current: ReceivedSpan | undefined = span; current; current = byId.get(current.parentSpanId)) {
    names.push(current.name);
  }
  return names;
}

describe('tracing: one trace from the HTTP request to the SMTP server (built api and worker)', () => {
  const spans: ReceivedSpan[] = [];
  const contentTypes = new Set<string>();
  const children: Child[] = [];
  let receiver: Server;
  let smtp: TestSmtpServer;
  let drop: () => Promise<void>;
  let apiPort: number;

  function start(entry: string, env: Record<string, string>): Child {
    const output: string[] = [];
    const child = spawn(process.execPath, ['--import', './dist/src/instrument.js', entry], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const started = { process: child, output };
    children.push(started);
    return started;
  }

  async function untilReady(child: Child, port: number): Promise<void> {
    await vi.waitFor(
      async () => {
        if (child.process.exitCode !== null) {
          throw new Error(`exited ${child.process.exitCode}:\n${child.output.join('')}`);
        }
        expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
      },
      { timeout: 60_000, interval: 200 },
    );
  }

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build-if-needed.ts'], { cwd: root, stdio: 'inherit' });
    const otlp = await startReceiver(spans, contentTypes);
    receiver = otlp.server;
    smtp = await startSmtpServer();
    const own = await useOwnJobsEnvironment('tracing', { backend: 'redis', inProcessWorker: false });
    drop = own.drop;
    const common = {
      ...own.env,
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'http://folio.test',
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlp.port}`,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OUTBOX_POLL_INTERVAL_MS: '100',
    };
    apiPort = await freePort();
    const api = start('dist/src/main.js', {
      ...common,
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      SHUTDOWN_GRACE_PERIOD_MS: '0',
    });
    await untilReady(api, apiPort); // the api migrates the scratch database first
    const workerPort = await freePort();
    const worker = start('dist/src/main.worker.js', {
      ...common,
      WORKER_PORT: String(workerPort),
      DATABASE_MIGRATE_ON_START: 'false',
    });
    await untilReady(worker, workerPort);
  }, 180_000);

  afterAll(async () => {
    for (const { process: child } of children) if (child.exitCode === null) child.kill('SIGKILL');
    await new Promise((resolve) => receiver?.close(resolve));
    await smtp?.stop();
    await drop?.();
  });

  it(
    'connects the request, its SQL, the job, the mail and the SMTP send in one trace',
    { timeout: 60_000 },
    async () => {
      const username = `traced${Date.now()}`;
      const response = await fetch(`http://127.0.0.1:${apiPort}/api/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ user: { username, email: `${username}@example.com`, password: 'correct horse 42' } }),
      });
      expect(response.status).toBe(201);
      await vi.waitFor(() => expect(smtp.messages.map((m) => m.subject)).toContain(`Welcome to Folio, ${username}`), {
        timeout: 20_000,
        interval: 100,
      });

      // The request's trace, found from its server span; then wait until the worker's SMTP span has arrived in it.
      let traceId = '';
      await vi.waitFor(
        () => {
          const server = spans.find((s) => s.service === 'folio-api' && s.kind === 2 && s.name.startsWith('POST'));
          expect(server).toBeDefined();
          traceId = server!.traceId;
          expect(spans.some((s) => s.traceId === traceId && s.name === 'smtp send')).toBe(true);
        },
        { timeout: 20_000, interval: 100 },
      );
      // The last batches (the job's completion) follow within the 200 ms schedule delay.
      await new Promise((resolve) => setTimeout(resolve, 800));
      const trace = spans.filter((s) => s.traceId === traceId);
      console.log(`one registration, one trace (${trace.length} spans):\n${renderTree(trace)}`);

      expect([...contentTypes]).toEqual(['application/json']);
      const names = trace.map((s) => s.name);
      // api: the HTTP server span, the Nest spans, SQL (pg) spans under them.
      expect(names).toEqual(
        expect.arrayContaining([
          'RateLimitGuard.canActivate',
          'IdentityController.registerUser',
          'IdentityService.register',
          'UsersRepository.takenFields',
          'smtp send',
        ]),
      );
      // The throttler's per-request helpers (inherited from @nestjs/throttler) are plumbing, not spans.
      expect(names).not.toContain('RateLimitGuard.toNumber');
      const root = trace.find((s) => !trace.some((p) => p.spanId === s.parentSpanId))!;
      expect(root).toMatchObject({ service: 'folio-api', kind: 2 });
      expect(root.name).toBe('POST /api/users');
      const sql = trace.filter(
        (s) => s.service === 'folio-api' && s.kind === 3 && /^(INSERT|SELECT|pg\.)/.test(s.name),
      );
      expect(sql.length).toBeGreaterThan(0);
      expect(sql.some((s) => ancestry(trace, s).includes('IdentityService.register'))).toBe(true);
      // worker: the BullMQ consumer span, the processor, the mail, the SMTP send, in that ancestry.
      const smtpSpan = trace.find((s) => s.name === 'smtp send')!;
      expect(smtpSpan.service).toBe('folio-worker');
      const chain = ancestry(trace, smtpSpan);
      expect(chain).toEqual(expect.arrayContaining(['Mailer.send', 'NotificationsProcessor.process']));
      expect(chain).toContain('process notifications'); // BullMQ's consumer span
      expect(chain).toContain('add notifications.welcome'); // the relay's producer span, in the request's trace
      expect(chain.at(-1)).toBe(root.name);
      // No probe was traced: the readiness polls above hit /health/ready many times.
      expect(spans.some((s) => s.name.includes('/health'))).toBe(false);

      // Log correlation: the api's request line for the registration carries the trace and a span of it.
      const lines = children[0]!.output
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const requestLine = lines.find((line) => line.route === '/api/users' && line.method === 'POST');
      expect(requestLine).toMatchObject({ status: 201, trace_id: traceId });
      expect(trace.map((s) => s.spanId)).toContain(requestLine!.span_id);
    },
  );

  it('stops cleanly on SIGTERM with tracing on: the SDK is flushed after the app closed, exit 0', async () => {
    const exits = children.map(
      (child) => new Promise<number | null>((resolve) => child.process.once('exit', (code) => resolve(code))),
    );
    for (const child of children) child.process.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0]);
  });
});
