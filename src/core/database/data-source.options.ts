import type { ClientBase } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { migrationsGlob } from './paths.js';

export interface ConnectionSettings {
  url: string;
  poolSize: number;
  migrationsRun?: boolean;
  /** Read replicas: when given, TypeORM opens one pool per replica beside the primary's (see ReadDatabase). */
  replicaUrls?: string[];
  /** How long a query waits for a pooled connection, or for a new connection to open (default 5 s). */
  connectTimeoutMs?: number;
  /** An idle pooled connection is closed after this long (default 30 s). */
  idleTimeoutMs?: number;
  /** PostgreSQL's `statement_timeout` for every connection; 0 or unset: none (the CLI and migrations run without). */
  statementTimeoutMs?: number;
}

/** The one set of TypeORM options used by Nest, the TypeORM CLI and the test setup. */
export function dataSourceOptions(settings: ConnectionSettings): DataSourceOptions {
  const replicas = settings.replicaUrls ?? [];
  return {
    type: 'postgres',
    // With replicas, TypeORM reads the primary's address from `replication.master` instead.
    ...(replicas.length > 0
      ? {
          replication: {
            master: { url: settings.url },
            slaves: replicas.map((url) => ({ url })),
            // Everything not routed on purpose (ReadDatabase asks for 'slave') stays on the primary, including
            // the entity manager's finds, which TypeORM would otherwise send to a replica.
            defaultMode: 'master' as const,
          },
        }
      : { url: settings.url }),
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: settings.migrationsRun ?? false,
    migrations: [migrationsGlob],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    // node-postgres Pool options, shared by the primary's pool and each replica's.
    extra: {
      max: settings.poolSize,
      // Bounds both the wait for a free pooled connection and the opening of a new one: past it the request
      // answers 503 DATABASE_TIMEOUT instead of queueing without end.
      connectionTimeoutMillis: settings.connectTimeoutMs ?? 5_000,
      idleTimeoutMillis: settings.idleTimeoutMs ?? 30_000,
      application_name: 'folio',
      // BullMQ's PostgreSQL backend (src/core/jobs) shares this pool and calls its functions unqualified: its
      // schema comes after the app's own, so it never shadows a table of ours.
      options: '-c search_path="$user",public,bullmq',
      // Sent at connection start-up, so enforced by the server: a runaway statement is cancelled even when
      // the process that sent it is stuck.
      ...(settings.statementTimeoutMs ? { statement_timeout: settings.statementTimeoutMs } : {}),
      onConnect: keepErrorListener,
    },
  };
}

/**
 * pg-pool hands a new connection to its borrower by removing its own 'error' listener and resolving a
 * promise; TypeORM adds its listener a microtask later. When the server's "ready" and a FATAL (57P01, a
 * restart) arrive in one TCP read, node-postgres parses both in one go and emits 'error' in between, on a
 * client with no listener: an uncaught exception that kills the process. This listener keeps one attached
 * for the connection's life; the error itself still reaches the pool or the query that uses the connection.
 */
function keepErrorListener(client: ClientBase): void {
  client.on('error', ignore);
}

function ignore(): void {}
