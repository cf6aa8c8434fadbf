import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/core/database/data-source.options.js';
import { freePort } from '../../src/core/net/free-port.js';

const run = promisify(execFile);

/** PostgreSQL's own server binaries (Debian's layout); override with PG_BIN. */
export const PG_BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';
const POSTGRES_USER = 'postgres';
const DATABASE = 'folio';

/** Whether throwaway clusters can be made here (the binaries exist, and as root a `postgres` user to run them). */
export const pgClusterSupported = existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_basebackup'));

/**
 * A throwaway PostgreSQL cluster of its own (never the system one): its data, socket and log live in a
 * temporary folder under /var/tmp, it listens on a free loopback port, trusts every local connection
 * (replication included), and runs without fsync, since it is removed at the end.
 */
export class PgCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** The app's database on this cluster (`folio`). */
  get url(): string {
    return `postgres://${POSTGRES_USER}@127.0.0.1:${this.port}/${DATABASE}`;
  }

  /** A new primary, started, with the `folio` database migrated by the project's migrations. */
  static async createPrimary(): Promise<PgCluster> {
    const cluster = new PgCluster(makeDir(), await freePort());
    return cluster.removedOnFailure(() => cluster.initPrimary());
  }

  /** A streaming replica of `primary` (`pg_basebackup -R`), started and caught up. */
  static async createReplica(primary: PgCluster): Promise<PgCluster> {
    const replica = new PgCluster(makeDir(), await freePort());
    return replica.removedOnFailure(() => replica.initReplicaOf(primary));
  }

  private async removedOnFailure(work: () => Promise<void>): Promise<PgCluster> {
    try {
      await work();
      return this;
    } catch (error) {
      await this.destroy();
      throw error;
    }
  }

  private async initPrimary(): Promise<void> {
    await asPostgres(join(PG_BIN, 'initdb'), [
      '-D',
      this.dataDir,
      '-U',
      POSTGRES_USER,
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    appendFileSync(join(this.dataDir, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 trust\n');
    this.configure([
      'wal_level = replica',
      'max_wal_senders = 5',
      'hot_standby = on',
      'shared_buffers = 16MB',
      'max_connections = 40',
      'fsync = off',
      'full_page_writes = off',
    ]);
    await this.start();
    await this.withClient('postgres', (client) => client.query(`CREATE DATABASE ${DATABASE}`));
    const dataSource = new DataSource(dataSourceOptions({ url: this.url, poolSize: 1 }));
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await dataSource.destroy();
    }
  }

  private async initReplicaOf(primary: PgCluster): Promise<void> {
    await asPostgres(join(PG_BIN, 'pg_basebackup'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      POSTGRES_USER,
      '-D',
      this.dataDir,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ]);
    await this.start();
    await this.waitForReplayOf(primary);
  }

  async start(): Promise<void> {
    await this.ctl(['start', '-w', '-t', '60', '-l', join(this.dir, 'server.log')]);
  }

  /** `fast`: in-flight transactions are rolled back and sessions cut (57P01), as in a restart or failover. */
  async stop(): Promise<void> {
    await this.ctl(['stop', '-w', '-t', '60', '-m', 'fast']);
  }

  async restart(): Promise<void> {
    await this.ctl(['restart', '-w', '-t', '60', '-m', 'fast', '-l', join(this.dir, 'server.log')]);
  }

  /** Stops the server if it runs and removes its folder. */
  async destroy(): Promise<void> {
    await this.ctl(['stop', '-w', '-t', '30', '-m', 'immediate']).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  async query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.withClient(DATABASE, async (client) => (await client.query<T>(sql, params)).rows);
  }

  /** Waits until this replica has replayed everything `primary` has written so far (at most 30 s). */
  async waitForReplayOf(primary: PgCluster): Promise<void> {
    const [{ lsn }] = await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    for (let attempt = 0; attempt < 300; attempt++) {
      const [row] = await this.query<{ done: boolean | null }>(
        'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done',
        [lsn],
      ).catch(() => [{ done: false }]);
      if (row?.done) return;
      await sleep(100);
    }
    throw new Error(`replica on port ${this.port} did not replay up to ${lsn}`);
  }

  private configure(lines: string[]): void {
    appendFileSync(join(this.dataDir, 'postgresql.conf'), `\n${lines.join('\n')}\n`);
  }

  private async ctl(args: string[]): Promise<void> {
    // The port and socket folder go on the command line: a replica's copied postgresql.conf names the primary's.
    const options = `-c listen_addresses=127.0.0.1 -c port=${this.port} -c unix_socket_directories=${this.dir}`;
    await asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', this.dataDir, '-o', options, ...args]);
  }

  private async withClient<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ host: '127.0.0.1', port: this.port, user: POSTGRES_USER, database });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
}

/** initdb and postgres refuse to run as root: as root, they run as the `postgres` user. */
async function asPostgres(command: string, args: string[]): Promise<void> {
  const asRoot = userInfo().uid === 0;
  try {
    await (asRoot ? run('runuser', ['-u', POSTGRES_USER, '--', command, ...args]) : run(command, args));
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr || stdout || String(error)}`);
  }
}

function makeDir(): string {
  // Not `folio-…`: embedded.e2e-spec.ts removes the /var/tmp/folio-* folders that appear while it runs.
  const dir = mkdtempSync(join(existsSync('/var/tmp') ? '/var/tmp' : '/tmp', 'pg-cluster-folio-'));
  if (userInfo().uid === 0) {
    // The folder is the server's: its data directory, log and socket are created inside by the postgres user.
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  return dir;
}

let ids: { uid: number; gid: number } | undefined;
function postgresIds(): { uid: number; gid: number } {
  ids ??= {
    uid: Number(execFileSync('id', ['-u', POSTGRES_USER]).toString().trim()),
    gid: Number(execFileSync('id', ['-g', POSTGRES_USER]).toString().trim()),
  };
  return ids;
}
