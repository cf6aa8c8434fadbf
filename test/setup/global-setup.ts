import type { TestProject } from 'vitest/node';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/core/database/data-source.options.js';
import { baseTestUrl, runDatabaseName, withAdminClient } from './test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    redisKeyPrefix: string;
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

  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  // This run's keys only: runs (and sessions) sharing one Redis never see each other's cache or rate limits.
  const redisKeyPrefix = `${name}:`;
  project.provide('databaseUrl', url.toString());
  project.provide('redisUrl', redisUrl);
  project.provide('redisKeyPrefix', redisKeyPrefix);

  return async () => {
    await withAdminClient(base, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    await deleteRedisKeys(redisUrl, redisKeyPrefix);
  };
}

/**
 * The run's Redis keys (under `<database name>:`): most expire by themselves, but the
 * cache's version clock must not, so a shared Redis would otherwise keep one key per run.
 */
async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.unlink(...keys);
    }
  } catch {
    // Cleanup only: a Redis that went away takes its keys with it.
  } finally {
    redis.disconnect();
  }
}
