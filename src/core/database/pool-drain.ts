import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/** The pool counts as idle once no query has run, and none has waited for a connection, for this long. */
const QUIET_MS = 50;
/** The process-wide drain timeout (SHUTDOWN_TIMEOUT_MS) still bounds the whole shutdown; this bounds the wait. */
const MAX_WAIT_MS = 5_000;
const POLL_MS = 10;

/**
 * Holds TypeORM's pool open until the queries in progress have finished. The HTTP drain waits for
 * connections, but a request whose client has gone away keeps running in its handler; destroying the
 * pool under it would cut its transaction ("Connection terminated") and answer nobody with a 500.
 * Runs before TypeORM's own shutdown hook, which destroys the pool (Nest calls every
 * beforeApplicationShutdown before any onApplicationShutdown).
 */
@Injectable()
export class PoolDrain implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  constructor(private readonly dataSource: DataSource) {}

  async beforeApplicationShutdown(): Promise<void> {
    const driver = this.dataSource.driver as PostgresDriver;
    // The primary's pool and each read replica's: a list read in flight is as much a query as a write.
    const pools = [driver.master, ...(driver.slaves ?? [])].filter(Boolean) as Pool[];
    if (!this.dataSource.isInitialized || pools.length === 0) return;
    const start = performance.now();
    let quietSince = start;
    while (performance.now() - start < MAX_WAIT_MS) {
      const busy = pools.reduce((sum, pool) => sum + pool.totalCount - pool.idleCount + pool.waitingCount, 0);
      if (busy > 0) quietSince = performance.now();
      else if (performance.now() - quietSince >= QUIET_MS) return;
      await sleep(POLL_MS);
    }
    this.logger.warn(`database queries still running after ${MAX_WAIT_MS} ms; closing the pool anyway`);
  }
}
