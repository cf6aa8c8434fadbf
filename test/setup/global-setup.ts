import type { TestProject } from 'vitest/node';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/core/database/data-source.options.js';
import { baseTestUrl, runDatabaseName, withAdminClient } from './test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
  }
}

/** One fresh database per run, migrated once, dropped at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const base = baseTestUrl();
  const name = runDatabaseName(base);
  await withAdminClient(base, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(base);
  url.pathname = `/${name}`;

  const dataSource = new DataSource(dataSourceOptions({ url: url.toString(), poolSize: 2 }));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }

  project.provide('databaseUrl', url.toString());
  project.provide('redisUrl', process.env.REDIS_URL || 'redis://127.0.0.1:6379');

  return async () => {
    await withAdminClient(base, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  };
}
