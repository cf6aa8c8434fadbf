import type { DataSourceOptions } from 'typeorm';
import { migrationsGlob } from './paths.js';

export interface ConnectionSettings {
  url: string;
  poolSize: number;
  migrationsRun?: boolean;
}

/** The one set of TypeORM options used by Nest, the TypeORM CLI and the test setup. */
export function dataSourceOptions(settings: ConnectionSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: settings.migrationsRun ?? false,
    migrations: [migrationsGlob],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    extra: {
      max: settings.poolSize,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      application_name: 'folio',
    },
  };
}
