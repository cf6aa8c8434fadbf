import { AsyncLocalStorage } from 'node:async_hooks';
import type { RecentWriters } from './recent-writers.js';

/**
 * What one request may read from: carried by AsyncLocalStorage from the ReadRoutingInterceptor to
 * ReadDatabase, which modules call without passing the request along.
 */
export class ReadScope {
  /** A scope whose reads all go to the primary. */
  static readonly primary = new ReadScope(true, undefined, undefined);

  private decision?: Promise<boolean>;

  constructor(
    /** The request writes (POST, PUT, PATCH, DELETE): its own reads, before and after the write, see the primary. */
    private readonly writes: boolean,
    private readonly userId: string | undefined,
    private readonly writers: RecentWriters | undefined,
  ) {}

  /** Asked lazily, at most once per request: a request that reads no replica-eligible data costs no lookup. */
  mustReadPrimary(): Promise<boolean> {
    if (this.writes) return Promise.resolve(true);
    if (!this.userId || !this.writers) return Promise.resolve(false);
    this.decision ??= this.writers.wroteRecently(this.userId);
    return this.decision;
  }
}

export const readScopes = new AsyncLocalStorage<ReadScope>();
