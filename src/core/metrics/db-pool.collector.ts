import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { ReadDatabase } from '../database/read-database.js';
import { FolioMetrics } from './folio-metrics.js';

/**
 * The primary's pg pool (TypeORM's own, shared with BullMQ's PostgreSQL backend), read on each scrape:
 * connections in use and idle, and queries waiting for a connection. Waiting above zero for long means the pool
 * is the bottleneck (docs/operations.md, DATABASE_POOL_SIZE).
 */
@Injectable()
export class DbPoolCollector {
  constructor(metrics: FolioMetrics, reads: ReadDatabase) {
    const pool = () => {
      try {
        return reads.primaryPool();
      } catch {
        return undefined; // The data source is not initialised (yet, or any more): no sample.
      }
    };
    new Gauge({
      name: 'folio_db_pool_connections',
      help: 'Connections of the primary database pool, by state (in_use, idle).',
      labelNames: ['state'] as const,
      registers: [metrics.registry],
      collect() {
        const current = pool();
        this.reset();
        if (!current) return;
        this.set({ state: 'in_use' }, current.totalCount - current.idleCount);
        this.set({ state: 'idle' }, current.idleCount);
      },
    });
    new Gauge({
      name: 'folio_db_pool_waiting_requests',
      help: 'Queries waiting for a connection of the primary database pool.',
      registers: [metrics.registry],
      collect() {
        const current = pool();
        this.reset();
        if (current) this.set(current.waitingCount);
      },
    });
    new Gauge({
      name: 'folio_db_pool_max_connections',
      help: 'Size limit of the primary database pool.',
      registers: [metrics.registry],
      collect() {
        const current = pool();
        this.reset();
        const max = (current as { options?: { max?: number } } | undefined)?.options?.max;
        if (max !== undefined) this.set(max);
      },
    });
  }
}
