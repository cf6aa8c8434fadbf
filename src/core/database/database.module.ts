import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseConfig, type DatabaseConfig } from '../config/app.config.js';
import { dataSourceOptions } from './data-source.options.js';
import { EmbeddedDatabase } from './embedded-postgres.js';
import { PoolDrain } from './pool-drain.js';
import { ReadDatabase } from './read-database.js';
import { ReadRoutingInterceptor } from './read-routing.interceptor.js';
import { RecentWriters } from './recent-writers.js';
import { reachableReplicas } from './replica-probe.js';

/**
 * The embedded server (null when DATABASE_URL is set). It is stopped by the bootstrap code after
 * `app.close()`, once the pool is closed: Nest's own hooks give no ordering guarantee against
 * TypeORM's shutdown hook.
 */
export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

@Global()
@Module({
  providers: [
    {
      provide: EMBEDDED_DATABASE,
      inject: [databaseConfig.KEY],
      useFactory: (config: DatabaseConfig) => (config.embedded ? new EmbeddedDatabase(config.embeddedDataDir) : null),
    },
  ],
  exports: [EMBEDDED_DATABASE],
})
class EmbeddedDatabaseModule {}

@Global()
@Module({
  imports: [
    EmbeddedDatabaseModule,
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedDatabaseModule],
      inject: [databaseConfig.KEY, EMBEDDED_DATABASE],
      useFactory: async (config: DatabaseConfig, embedded: EmbeddedDatabase | null) => ({
        ...dataSourceOptions({
          url: embedded ? await embedded.start() : (config.url as string),
          poolSize: config.poolSize,
          migrationsRun: config.migrateOnStart,
          replicaUrls: embedded ? [] : await reachableReplicas(config.replicaUrls, config.connectTimeoutMs),
          connectTimeoutMs: config.connectTimeoutMs,
          idleTimeoutMs: config.idleTimeoutMs,
          statementTimeoutMs: config.statementTimeoutMs,
        }),
        autoLoadEntities: true,
        retryAttempts: embedded ? 0 : 3,
        retryDelay: 1_000,
      }),
    }),
  ],
  providers: [
    PoolDrain,
    ReadDatabase,
    RecentWriters,
    // Global: every request runs in a read scope, so list reads know whether they may use a replica.
    { provide: APP_INTERCEPTOR, useClass: ReadRoutingInterceptor },
  ],
  exports: [ReadDatabase],
})
export class DatabaseModule {}
