import autocannon from 'autocannon';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/core/net/free-port.js';

// SIGTERM on the built API (`node dist/src/main.js`, the process Kubernetes runs) while 50 keep-alive
// connections load it: no request that reached the wire may fail.
const root = join(import.meta.dirname, '..', '..', '..');
const GRACE_MS = 1_000;
const DRAIN_TIMEOUT_MS = 5_000;
const CONNECTIONS = 50;
const PATH = '/api/tags';

/** What each request sent by the load became; filled by the instrumented autocannon clients below. */
interface Tally {
  closeAnswers: number;
  /** Connection attempts refused: the listener was closed, so no request went out on them. */
  refusedConnects: number;
  /** Anything else: a reset, a socket error, or a connection ended with a request unanswered. */
  failures: Record<string, number>;
}

/** autocannon's Client internals used below (autocannon 9, lib/httpClient.js). */
interface ClientInternals {
  conn: Socket;
  _connect(): void;
  _doRequest(): void;
  _destroyConnection(): void;
  on(event: 'headers', listener: (info: { headers: string[] }) => void): void;
  on(event: 'response', listener: () => void): void;
}

/**
 * Makes an autocannon client a well-behaved HTTP/1.1 client and accounts for every request honestly.
 * - autocannon writes its next request on the same socket even after `Connection: close`, which RFC 9112 §9.6
 *   forbids and which no real client (browsers, undici, Node's agent) does: that request would be lost by the
 *   client's fault. Here it opens a new connection instead, as they do.
 * - autocannon reconnects silently when the server ends a connection, even with a request unanswered, and
 *   counts a refused connect and a reset alike as "errors". Here each connection is watched: a refused connect
 *   (never established) is counted apart, everything else is a failure.
 */
function instrument(client: ClientInternals, tally: Tally): void {
  const unanswered = new Map<Socket, number>();
  let closeAfterAnswer = false;
  const fail = (reason: string) => (tally.failures[reason] = (tally.failures[reason] ?? 0) + 1);

  client.on('headers', ({ headers }) => {
    for (let i = 0; i < headers.length; i += 2) {
      if (headers[i]?.toLowerCase() === 'connection' && /close/i.test(headers[i + 1] ?? '')) closeAfterAnswer = true;
    }
    if (closeAfterAnswer) tally.closeAnswers += 1;
  });
  client.on('response', () => unanswered.set(client.conn, (unanswered.get(client.conn) ?? 1) - 1));

  const doRequest = client._doRequest;
  client._doRequest = function (this: ClientInternals) {
    if (closeAfterAnswer) {
      closeAfterAnswer = false;
      this._destroyConnection();
      this._connect();
      return;
    }
    doRequest.call(this);
    unanswered.set(this.conn, (unanswered.get(this.conn) ?? 0) + 1);
  };

  const connect = client._connect;
  client._connect = function (this: ClientInternals) {
    connect.call(this);
    const conn = this.conn;
    let established = false;
    conn.once('connect', () => (established = true));
    conn.on('end', () => {
      if ((unanswered.get(conn) ?? 0) > 0) fail('ended with a request unanswered');
    });
    conn.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' && !established) tally.refusedConnects += 1;
      else fail(error.code ?? error.message);
    });
    conn.once('close', () => unanswered.delete(conn));
  };
}

/** One request on its own connection (`Connection: close`), as a kubelet probe is made. */
function status(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).once('error', reject);
  });
}

async function untilReady(port: number, api: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (api.exitCode !== null) throw new Error(`the API exited with code ${api.exitCode} before it was ready`);
    if ((await status(port, '/health/ready').catch(() => 0)) === 200) return;
    await sleep(100);
  }
  throw new Error('the API was not ready within 60 s');
}

describe('SIGTERM under load (the built process)', () => {
  let port: number;
  let api: ChildProcess;
  let output = '';

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-if-needed.ts')], { cwd: root, stdio: 'inherit' });
    port = await freePort();
    api = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
      cwd: root,
      // DATABASE_URL, REDIS_URL, JWT_SECRET and NODE_ENV come from test/setup/env.ts: this run's database.
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        DATABASE_MIGRATE_ON_START: 'false',
        SHUTDOWN_GRACE_PERIOD_MS: String(GRACE_MS),
        SHUTDOWN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    api.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    api.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await untilReady(port, api);
  });

  afterAll(() => {
    if (api?.exitCode === null) api.kill('SIGKILL');
  });

  it('keeps every request whole: readiness 503 at once, served through the grace period, drained, exit 0', async () => {
    const tally: Tally = { closeAnswers: 0, refusedConnects: 0, failures: {} };
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      api.once('exit', (code) => resolve({ code, at: performance.now() })),
    );
    let load: autocannon.Instance | undefined;
    const finished = new Promise<autocannon.Result>((resolve, reject) => {
      load = autocannon(
        {
          url: `http://127.0.0.1:${port}${PATH}`,
          connections: CONNECTIONS,
          // Stopped as soon as the process has exited; the duration only bounds a run that goes wrong.
          duration: 30,
          setupClient: (client) => instrument(client as unknown as ClientInternals, tally),
        },
        (error: unknown, result: autocannon.Result) => (error ? reject(error as Error) : resolve(result)),
      );
    });

    await sleep(1_000);
    api.kill('SIGTERM');
    const signalledAt = performance.now();
    let probes = 0;
    let readiness = 0;
    while (readiness !== 503 && performance.now() - signalledAt < GRACE_MS / 2) {
      probes += 1;
      // -1: the probe itself failed (connection refused or reset), reported below rather than thrown.
      readiness = await status(port, '/health/ready').catch(() => -1);
    }
    const readinessMs = performance.now() - signalledAt;
    const liveness = await status(port, '/health/live').catch(() => -1);

    const exit = await exited;
    load?.stop();
    const result = await finished;
    const exitMs = exit.at - signalledAt;

    const ok = result['2xx'];
    console.log(
      `shutdown under load: ${ok} requests ok (${tally.closeAnswers} with Connection: close), ` +
        `${result.non2xx} non-2xx, failures ${JSON.stringify(tally.failures)}, ${result.timeouts} timeouts, ` +
        `${tally.refusedConnects} refused connects after the listener closed; ` +
        `readiness ${readiness} after ${readinessMs.toFixed(0)} ms (${probes} probe(s)), liveness ${liveness} then; ` +
        `exit code ${exit.code} ${exitMs.toFixed(0)} ms after SIGTERM (grace ${GRACE_MS} ms + drain timeout ${DRAIN_TIMEOUT_MS} ms)`,
    );
    if (exit.code !== 0) console.log(output);

    expect(readiness).toBe(503);
    expect(liveness).toBe(200);
    expect(ok).toBeGreaterThan(0);
    // The grace period served real traffic, each answer telling its client to move on.
    expect(tally.closeAnswers).toBeGreaterThan(0);
    expect(result.non2xx).toBe(0);
    expect(tally.failures).toEqual({});
    expect(result.timeouts).toBe(0);
    expect(result.mismatches).toBe(0);
    // Cross-check with autocannon's own count: every socket error it saw was one of the refused connects.
    expect(result.errors).toBe(tally.refusedConnects);
    expect(exit.code).toBe(0);
    expect(exitMs).toBeGreaterThanOrEqual(GRACE_MS);
    expect(exitMs).toBeLessThan(GRACE_MS + DRAIN_TIMEOUT_MS);
  }, 45_000);
});
