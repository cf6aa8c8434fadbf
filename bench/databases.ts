// The benchmark databases, folio_bench_<size>: created, migrated and seeded only when missing or when what
// they were built from changed, so a re-run starts measuring at once. What a database was built from is kept
// as JSON in its COMMENT (no table of ours in the schema that `migration:check` compares).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { DATA_SIZES, type BenchOptions, type SizeName } from './options.js';

/** Bump when scripts/seed changes what it writes: every benchmark database is then seeded again. */
export const SEED_FORMAT = 2;
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface BuiltFrom {
  seedFormat: number;
  counts: Record<string, number>;
  migrations: string[];
}

export function databaseUrl(size: SizeName): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/folio_bench_${size}`;
  return url.toString();
}

function migrationsOf(folio: string): string[] {
  return readdirSync(join(folio, 'dist', 'migrations'))
    .filter((file) => file.endsWith('.js'))
    .sort();
}

function run(what: string, args: string[], env: Record<string, string>, nice = false): void {
  console.log(`bench: ${what}`);
  const [command, ...rest] = nice ? ['nice', '-n', '10', process.execPath, ...args] : [process.execPath, ...args];
  execFileSync(command, rest, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, application_name: 'folio-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Makes folio_bench_<size> ready for the run; returns its URL. */
export async function ensureDatabase(size: SizeName, opts: BenchOptions, root: string): Promise<string> {
  const name = `folio_bench_${size}`;
  const url = databaseUrl(size);
  const wanted: BuiltFrom = {
    seedFormat: SEED_FORMAT,
    counts: { ...DATA_SIZES[size] },
    migrations: migrationsOf(opts.folio),
  };
  const current = await admin(async (client) => {
    const { rows } = await client.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [name],
    );
    if (rows.length === 0) return undefined;
    try {
      return JSON.parse(rows[0].comment ?? '') as BuiltFrom;
    } catch {
      return { seedFormat: 0, counts: {}, migrations: [] } satisfies BuiltFrom;
    }
  });
  const sameSeed =
    !opts.reseed &&
    current !== undefined &&
    current.seedFormat === wanted.seedFormat &&
    JSON.stringify(current.counts) === JSON.stringify(wanted.counts);
  const migrate = () =>
    run(
      `${name}: migrations`,
      [
        join(root, 'node_modules', 'typeorm', 'cli.js'),
        'migration:run',
        '-d',
        join(opts.folio, 'dist', 'src', 'core', 'database', 'data-source.js'),
      ],
      { DATABASE_URL: url },
    );
  if (!sameSeed) {
    await admin(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${name}`);
    });
    migrate();
    const counts = Object.entries(wanted.counts).flatMap(([key, value]) => [`--${key}`, String(value)]);
    run(
      `${name}: seeding (${size}; 1m takes a few minutes)`,
      [join(root, 'scripts', 'seed.ts'), '--reset', ...counts],
      {
        DATABASE_URL: url,
      },
      true,
    );
  } else if (JSON.stringify(current.migrations) !== JSON.stringify(wanted.migrations)) {
    // New migrations (new counters, indexes): apply them and recompute the counters; the rows stay.
    migrate();
    run(`${name}: recomputing the counters`, [join(root, 'scripts', 'seed.ts'), '--recount'], { DATABASE_URL: url });
  } else {
    console.log(`bench: ${name}: reused (seeded with ${JSON.stringify(wanted.counts)})`);
    return url;
  }
  await admin((client) =>
    client.query(`COMMENT ON DATABASE ${name} IS ${client.escapeLiteral(JSON.stringify(wanted))}`),
  );
  return url;
}
