import { Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { setImmediate as nextLoopTurn, setTimeout as sleep } from 'node:timers/promises';
import { LifecycleService } from './lifecycle.service.js';

/**
 * After the grace period the listener closes once, for this long, no connection has been accepted and no answer
 * has told a client to reconnect: then none is waiting in the kernel's accept queue, where closing would reset it.
 */
const QUIET_MS = 500;
/** A client that never stops connecting (the endpoint was not removed) must not hold the listener open forever. */
const MAX_QUIESCE_MS = 2_000;
/**
 * A connection with no request for this long is between requests and may be closed. A keep-alive client sends
 * its next request right after an answer, and a new connection sends its first at once; one that has sent
 * nothing for this long is idle (a pooled or preconnected socket), and closing an idle connection is the race
 * every HTTP client must handle (RFC 9112 §9.3.1), the same as a keep-alive timeout.
 */
const IDLE_MS = 1_000;
const POLL_MS = 25;

export interface DrainOptions {
  /** How long to keep serving, with readiness at 503, before the listener closes (0: close at once). */
  gracePeriodMs?: number;
  /** Called when the grace period is over and the drain begins, e.g. to start the drain timeout. */
  onDrainStart?: () => void;
}

interface ConnectionState {
  /** Requests received (headers parsed) and not yet answered. */
  inFlight: number;
  /** When the last answer ended, or when the connection was accepted. */
  idleSince: number;
  /** `bytesRead` at that moment: more means a next request is being read, though its headers are not complete. */
  bytesAtIdle: number;
}

/**
 * Stops the HTTP server without failing a request: tracks every connection from the start, then on shutdown
 * keeps serving for the grace period, closes the listener once no connection is arriving, lets every request
 * finish and closes connections only between requests.
 */
@Injectable()
export class HttpDrainService implements OnModuleInit {
  private readonly logger = new Logger('Shutdown');
  private readonly connections = new Map<Socket, ConnectionState>();
  private server: HttpServer | undefined;
  private lastAcceptAt = 0;
  private lastClosingAnswerAt = 0;

  constructor(
    private readonly lifecycle: LifecycleService,
    // Absent in an application context without HTTP (a worker process): then there is nothing to drain.
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost?.httpAdapter;
    if (!adapter) return;
    this.server = adapter.getHttpServer() as HttpServer;
    this.server.on('connection', (socket: Socket) => this.track(socket));
    this.server.on('request', (request: IncomingMessage, response: ServerResponse) => this.count(request, response));
    // Decided when the answer leaves, not when the request arrives: a request in flight when the phase changes
    // must still tell its client to let go of the connection.
    const fastify = adapter.getInstance<FastifyInstance>();
    fastify.addHook('onSend', async (_request, reply, payload) => {
      if (this.lifecycle.closesConnections) {
        void reply.header('connection', 'close');
        this.lastClosingAnswerAt = performance.now();
      }
      return payload;
    });
  }

  /**
   * Runs the HTTP part of a shutdown; resolves once the listener is closed and no connection is left.
   * Readiness answers 503 from the first line on.
   */
  async drain(options: DrainOptions = {}): Promise<void> {
    const { gracePeriodMs = 0, onDrainStart } = options;
    this.lifecycle.enter('draining');
    const server = this.server;
    if (!server?.listening) {
      this.lifecycle.enter('closing');
      onDrainStart?.();
      return;
    }
    if (gracePeriodMs > 0) {
      this.logger.log(`readiness is 503; serving ${gracePeriodMs} ms more (grace period) before closing the listener`);
      await sleep(gracePeriodMs);
    }
    onDrainStart?.();
    this.lifecycle.enter('quiescing');
    await this.waitUntilNoConnectionArrives();
    this.logger.log(`closing the listener; draining ${this.connections.size} open connection(s)`);
    await this.closeListener(server);
  }

  private track(socket: Socket): void {
    this.lastAcceptAt = performance.now();
    this.connections.set(socket, { inFlight: 0, idleSince: this.lastAcceptAt, bytesAtIdle: 0 });
    socket.once('close', () => this.connections.delete(socket));
  }

  private count(request: IncomingMessage, response: ServerResponse): void {
    const state = this.connections.get(request.socket);
    if (!state) return;
    state.inFlight += 1;
    response.once('close', () => {
      state.inFlight -= 1;
      state.idleSince = performance.now();
      state.bytesAtIdle = request.socket.bytesRead;
    });
  }

  private async waitUntilNoConnectionArrives(): Promise<void> {
    const start = performance.now();
    const quietFor = () => performance.now() - Math.max(this.lastAcceptAt, this.lastClosingAnswerAt);
    while (quietFor() < QUIET_MS && performance.now() - start < MAX_QUIESCE_MS) await sleep(POLL_MS);
    // Close right after the event loop has polled (and accepted) rather than from a timer, which runs before
    // the poll: the shortest window for a connection to land in the accept queue unseen.
    await nextLoopTurn();
  }

  private closeListener(server: HttpServer): Promise<void> {
    return new Promise((resolve) => {
      this.lifecycle.enter('closing');
      const sweep = setInterval(() => this.closeConnectionsBetweenRequests(), POLL_MS);
      // net.Server#close, not http.Server#close: the latter first calls closeIdleConnections(), which destroys
      // every connection whose parser is not inside a request, including one just accepted whose request bytes
      // are still unread. The callback runs once the listener is closed and the last connection has ended.
      NetServer.prototype.close.call(server, () => {
        clearInterval(sweep);
        resolve();
      });
      this.closeConnectionsBetweenRequests();
    });
  }

  /** Connections with a request in flight close themselves after their answer (`Connection: close`). */
  private closeConnectionsBetweenRequests(): void {
    const now = performance.now();
    for (const [socket, state] of this.connections) {
      const reading = socket.bytesRead !== state.bytesAtIdle;
      if (state.inFlight > 0 || reading || now - state.idleSince < IDLE_MS || socket.writableEnded) continue;
      // A FIN after everything written, then the socket is released.
      socket.end(() => socket.destroy());
    }
  }
}
