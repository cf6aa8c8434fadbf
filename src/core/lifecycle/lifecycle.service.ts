import { Injectable } from '@nestjs/common';

/**
 * Where the process is in its life:
 * - `serving`: normal operation.
 * - `draining`: a stop signal arrived; readiness answers 503 so the load balancer removes the endpoint, while
 *   requests are still served (each answer closing its connection) for the grace period.
 * - `quiescing`: the grace period is over; the listener closes as soon as no connection has arrived for a moment.
 * - `closing`: the listener is closed; in-flight requests finish and connections close between requests.
 */
export type LifecyclePhase = 'serving' | 'draining' | 'quiescing' | 'closing';

const ORDER: readonly LifecyclePhase[] = ['serving', 'draining', 'quiescing', 'closing'];

/** The process's shutdown state, read by the readiness check and by the HTTP connection drain. */
@Injectable()
export class LifecycleService {
  private current: LifecyclePhase = 'serving';
  private readonly stopListeners = new Set<() => void>();

  get phase(): LifecyclePhase {
    return this.current;
  }

  /** False from the stop signal on: the endpoint must leave the load balancer before the listener closes. */
  get ready(): boolean {
    return this.current === 'serving';
  }

  /**
   * Whether answers carry `Connection: close`. Not while quiescing: every such answer makes a keep-alive client
   * open a new connection at once, and a connection still queued in the kernel when the listener closes is reset
   * (its request already sent), which no server can prevent. Keep-alive answers keep clients on their sockets
   * until the listener is closed; closing then makes their next connection attempt be refused instead.
   */
  get closesConnections(): boolean {
    return this.current === 'draining' || this.current === 'closing';
  }

  /** Moves forward only: a late or repeated call never brings an earlier phase back. */
  enter(phase: LifecyclePhase): void {
    if (ORDER.indexOf(phase) <= ORDER.indexOf(this.current)) return;
    const wasServing = this.current === 'serving';
    this.current = phase;
    if (wasServing) for (const listener of this.stopListeners) listener();
  }

  /**
   * Calls `listener` once, when the process stops serving (the stop signal): for connections that never end by
   * themselves (event streams), which the HTTP drain would otherwise wait for. Returns the unsubscribe.
   */
  onStop(listener: () => void): () => void {
    this.stopListeners.add(listener);
    return () => this.stopListeners.delete(listener);
  }
}
