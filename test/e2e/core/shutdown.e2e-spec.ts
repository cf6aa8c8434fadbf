import { Controller, Get, Module, Query } from '@nestjs/common';
import type { Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { AppModule } from '../../../src/app.module.js';
import { closeApp } from '../../../src/bootstrap.js';
import { Public } from '../../../src/core/auth/auth.decorators.js';
import { createTestApp } from '../../setup/test-app.js';

@Controller('api/v1/test-slow')
@Public()
class SlowController {
  @Get()
  async getSlowly(@Query('ms') ms?: string): Promise<{ done: boolean }> {
    await sleep(Number(ms ?? 400));
    return { done: true };
  }
}

/** What the handler of a request whose client went away saw: the query's result or its error. */
const abandoned: string[] = [];

@Controller('api/v1/test-slow-query')
@Public()
class SlowQueryController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async querySlowly(): Promise<{ done: boolean }> {
    try {
      await this.dataSource.query('SELECT pg_sleep(1.2)');
      await this.dataSource.query('SELECT 1');
      abandoned.push('completed');
    } catch (error) {
      abandoned.push((error as Error).message);
    }
    return { done: true };
  }
}

@Module({ imports: [AppModule], controllers: [SlowController, SlowQueryController] })
class ShutdownTestModule {}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Reads one HTTP/1.1 response (Content-Length framed) from a socket: what a keep-alive client sees. */
function readResponse(socket: Socket): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = buffer.slice(0, end).split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const body = buffer.slice(end + 4);
      if (body.length < Number(headers['content-length'] ?? 0)) return;
      socket.off('data', onData).off('error', reject).off('end', onEnd);
      resolve({ status: Number(statusLine?.split(' ')[1]), headers, body });
    };
    const onEnd = () => reject(new Error('the server ended the connection without answering'));
    socket.on('data', onData).once('error', reject).once('end', onEnd);
  });
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket)).once('error', reject);
  });
}

/** Resolves with how the server ended the connection: 'end' for a FIN, the error code for a reset. */
function howItEnds(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('end', () => resolve('end'));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const get = (path: string, keepAlive = false) =>
  `GET ${path} HTTP/1.1\r\nHost: folio\r\nConnection: ${keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`;

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}

describe('graceful shutdown', () => {
  it('finishes in-flight requests, then stops listening and closes the pool', async () => {
    const t = await createTestApp(ShutdownTestModule);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = await t.app.getUrl();

    const inFlight = fetch(`${url}/api/v1/test-slow`);
    await sleep(100);
    const closing = t.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    await closing;

    expect(t.dataSource.isInitialized).toBe(false);
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });

  it('serves through the grace period with readiness at 503, then closes connections only between requests', async () => {
    const t = await createTestApp(ShutdownTestModule);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const server = t.app.getHttpServer() as Server;
    const port = (server.address() as { port: number }).port;

    // A keep-alive connection that served a request before the signal and then stays idle.
    const idle = await open(port);
    idle.write(get('/health/live', true));
    expect((await readResponse(idle)).headers.connection).not.toBe('close');
    const idleEnd = howItEnds(idle);

    const closing = closeApp(t.app, { gracePeriodMs: 500 });

    const ready = await open(port);
    ready.write(get('/health/ready'));
    const readiness = await readResponse(ready);
    expect(readiness.status).toBe(503);
    expect(JSON.parse(readiness.body)).toMatchObject({ code: 'SHUTTING_DOWN' });

    // Still served during the grace period, liveness included, each answer closing its connection.
    const during = await open(port);
    during.write(get('/health/live', true));
    const live = await readResponse(during);
    expect(live.status).toBe(200);
    expect(live.headers.connection).toBe('close');

    await sleep(300);
    // Accepted before the listener closes: one whose request is read only after it has closed, one whose
    // request is half read then, and one whose request is being served then (the listener closes once no
    // connection has arrived for 500 ms, so 1.5 s is in flight then whatever the machine's load).
    const fresh = await open(port);
    const partial = await open(port);
    partial.write('GET /health/live HTTP/1.1\r\nHost: fol');
    const slow = await open(port);
    slow.write(get('/api/v1/test-slow?ms=1500', true));
    const slowResponse = readResponse(slow);
    const ends = [fresh, partial, slow].map(howItEnds);

    await until(() => !server.listening);
    fresh.write(get('/health/live', true));
    partial.write('io\r\n\r\n');
    for (const answer of await Promise.all([readResponse(fresh), readResponse(partial), slowResponse])) {
      expect(answer).toMatchObject({ status: 200, headers: { connection: 'close' } });
    }
    expect(await Promise.all(ends)).toEqual(['end', 'end', 'end']);
    await expect(open(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await closing;
    // The idle connection was closed with a FIN, not reset.
    expect(await idleEnd).toBe('end');
    expect(t.dataSource.isInitialized).toBe(false);
  });

  it('lets the queries of a request whose client went away finish before the pool closes', async () => {
    const t = await createTestApp(ShutdownTestModule);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = await t.app.getUrl();
    const client = new AbortController();
    const request = fetch(`${url}/api/v1/test-slow-query`, { signal: client.signal }).catch(() => 'aborted');
    await sleep(100);
    client.abort();
    expect(await request).toBe('aborted');
    await t.close();
    expect(abandoned).toEqual(['completed']);
    expect(t.dataSource.isInitialized).toBe(false);
  });
});
