import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { isConnectionFailure } from './database-errors.js';
import { ReadScope, readScopes } from './read-scope.js';
import { withTimeout } from '../net/with-timeout.js';

/** After a replica failed to give a connection, reads skip the replicas for this long. */
const REPLICA_BACKOFF_MS = 5_000;

export type ReplicaState = 'up' | 'down';

/**
 * The port for reads that may be served by a read replica (lists, feeds, profiles). Modules run such
 * reads through `query` instead of their DataSource; writes, and reads inside a transaction, never do.
 *
 * With replicas configured (`DATABASE_REPLICA_URLS`, TypeORM `replication`), a read goes to a replica
 * (a random one of TypeORM's replica pools) unless the request must see the primary: it writes, or
 * its caller wrote within the read-your-writes window (ReadScope, RecentWriters). A replica that cannot
 * give a connection is not an error: the read runs on the primary and replicas are skipped for 5 s.
 * Without replicas every read goes to the primary's pool.
 */
@Injectable()
export class ReadDatabase {
  private readonly logger = new Logger('ReadDatabase');
  private replicasSkippedUntil = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** True when replicas are configured (and reachable at start). */
  get replicated(): boolean {
    return this.replicaPools().length > 0;
  }

  /**
   * Straight on the driver's pg pools (TypeORM's own pools; no query runner is made for a one-statement read:
   * it cost about a tenth of an authenticated list's CPU).
   */
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (!(await this.replicaAllowed())) return rowsOf<T>(this.primaryPool().query(sql, params));
    const replicas = this.replicaPools();
    const replica = replicas[Math.floor(Math.random() * replicas.length)] as Pool;
    try {
      return await rowsOf<T>(replica.query(sql, params));
    } catch (error) {
      if (!isConnectionFailure(error)) throw error;
      this.skipReplicas(error);
      return rowsOf<T>(this.primaryPool().query(sql, params));
    }
  }

  /**
   * Runs `work` with every read it makes through this port sent to the primary. For code that keeps what
   * it reads (a cache fill right after an invalidation): a lagging replica's answer would stay stale there.
   */
  onPrimary<T>(work: () => Promise<T>): Promise<T> {
    return readScopes.run(ReadScope.primary, work);
  }

  /** Each replica's state, for readiness (which reports them but never fails on them). */
  async replicaStates(timeoutMs: number): Promise<ReplicaState[]> {
    return Promise.all(this.replicaPools().map((pool) => ping(pool, timeoutMs)));
  }

  private async replicaAllowed(): Promise<boolean> {
    if (!this.replicated || Date.now() < this.replicasSkippedUntil) return false;
    const scope = readScopes.getStore();
    return !(scope && (await scope.mustReadPrimary()));
  }

  private skipReplicas(error: unknown): void {
    if (Date.now() >= this.replicasSkippedUntil) {
      this.logger.warn(
        `read replica unavailable (${error instanceof Error ? error.message : String(error)}); ` +
          `reads go to the primary for ${REPLICA_BACKOFF_MS} ms`,
      );
    }
    this.replicasSkippedUntil = Date.now() + REPLICA_BACKOFF_MS;
  }

  /** The primary's pg pool, TypeORM's own: shared with BullMQ's PostgreSQL backend (src/core/jobs). */
  primaryPool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  private replicaPools(): Pool[] {
    if (!this.dataSource.isInitialized) return [];
    return ((this.dataSource.driver as PostgresDriver).slaves ?? []) as Pool[];
  }
}

async function rowsOf<T>(result: Promise<{ rows: unknown[] }>): Promise<T[]> {
  return (await result).rows as T[];
}

function ping(pool: Pool, timeoutMs: number): Promise<ReplicaState> {
  return withTimeout(pool.query('SELECT 1'), timeoutMs).then(
    () => 'up' as const,
    () => 'down' as const,
  );
}
