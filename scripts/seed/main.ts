// The seed itself; scripts/seed.ts is its entry (it installs the `.js` → `.ts` resolution first).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Algorithm, hash } from '@node-rs/argon2';
import pg from 'pg';
import { contentPools } from './content.js';
import { counterMismatches, recomputeCounters } from './counters.js';
import { BENCH_USER, SeedWriter, type SeedCounts } from './generate.js';

const PASSWORD = 'password123';
const DEFAULTS: SeedCounts = { users: 100, articles: 1000, favorites: 5000, comments: 3000, follows: 20 };
const APP_TABLES = ['users', 'follows', 'articles', 'tags', 'article_tags', 'favorites', 'comments'];
// The app's own argon2id parameters (password.hasher.ts), so a benchmark login costs what a real one does.
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

type Options = SeedCounts & { reset: boolean; recount: boolean };

function fail(message: string): never {
  console.error(`seed: ${message}`);
  process.exit(1);
}

function options(): Options {
  const count = { type: 'string' } as const;
  const { values } = parseArgs({
    options: {
      users: count,
      articles: count,
      favorites: count,
      comments: count,
      follows: count,
      reset: { type: 'boolean', default: false },
      recount: { type: 'boolean', default: false },
    },
  });
  const result: Options = { ...DEFAULTS, reset: values.reset === true, recount: values.recount === true };
  for (const name of Object.keys(DEFAULTS) as (keyof SeedCounts)[]) {
    const raw = values[name];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 0 || n > 100_000_000) fail(`--${name} must be a whole number >= 0`);
    result[name] = n;
  }
  if (result.users === 0 && result.articles > 0) fail('--articles needs --users > 0');
  if (result.articles === 0 && result.favorites + result.comments > 0) fail('favorites and comments need articles');
  return result;
}

async function checkSchema(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT name FROM unnest($1::text[]) name WHERE to_regclass('public.' || name) IS NULL`,
    [APP_TABLES],
  );
  if (rows.length > 0)
    fail(`tables ${rows.map((r) => r.name).join(', ')} are missing: run npm run migration:run first`);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs one step, printing how long it took: at 1M rows the user wants to see it move. */
async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  process.stdout.write(`seed: ${name} ... `);
  const result = await work();
  const detail = typeof result === 'number' ? `${result} rows, ` : typeof result === 'string' ? `${result}, ` : '';
  console.log(`${detail}${seconds(performance.now() - started)}`);
  return result;
}

async function fill(client: pg.Client, opts: Options): Promise<void> {
  const bench = await client.query("SELECT 1 FROM users WHERE lower(username) = 'bench'");
  const withBenchUser = opts.reset || bench.rowCount === 0;
  const passwordHash = await hash(PASSWORD, ARGON2);
  const pools = contentPools();
  const writer = new SeedWriter(client, randomBytes(3).toString('hex'), opts);
  await client.query('BEGIN');
  await client.query('SET LOCAL synchronous_commit = off');
  await client.query(`SET LOCAL work_mem = '256MB'`);
  // Bulk load without triggers: no per-row foreign-key checks (the rows are consistent by construction) and
  // no per-row counter triggers; every counter is recomputed below instead.
  await client.query('SET LOCAL session_replication_role = replica');
  if (opts.reset) await client.query(`TRUNCATE ${APP_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
  await writer.prepare(pools);
  await step('users', () => writer.users(pools, passwordHash));
  await step('tags', () => writer.tags());
  await step('favorites, drawn', () => writer.favoritePairs());
  await step('articles', () => writer.articles(pools));
  await step('article tags', () => writer.articleTags());
  await step('favorites', () => writer.favorites());
  await step('follows', () => writer.follows());
  await step('comments', () => writer.comments(pools));
  if (withBenchUser) await step(`user ${BENCH_USER.username}, follows`, () => writer.benchUser(passwordHash));
  await step('counters', async () => `wrong rows before: ${JSON.stringify(await recomputeCounters(client))}`);
  await step('commit', () => client.query('COMMIT').then(() => undefined));
  console.log(
    withBenchUser
      ? `seed: benchmark user ${BENCH_USER.username} / ${BENCH_USER.email} / ${PASSWORD}`
      : `seed: benchmark user ${BENCH_USER.username} already existed; left as it was`,
  );
}

export async function main(): Promise<void> {
  const opts = options();
  const url = process.env.DATABASE_URL;
  if (!url) fail('DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/folio_bench); refusing to guess');
  const started = performance.now();
  const client = new pg.Client({ connectionString: url, application_name: 'folio-seed' });
  await client.connect();
  try {
    await checkSchema(client);
    if (opts.recount) {
      await step('counters', async () => `wrong rows before: ${JSON.stringify(await recomputeCounters(client))}`);
    } else {
      await fill(client, opts);
    }
    // Fresh statistics and visibility map: the first benchmark gets the plans (and index-only scans) of a live site.
    await step('vacuum analyze', async () => {
      for (const table of APP_TABLES) await client.query(`VACUUM ANALYZE ${table}`);
    });
    const mismatches = await counterMismatches(client);
    if (mismatches.length > 0) fail(`counters disagree with their rows: ${mismatches.join(', ')}`);
    const { rows } = await client.query(
      `SELECT ${APP_TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`,
    );
    console.table({ 'total now': rows[0] });
    console.log(`seed: ${new URL(url).pathname.slice(1)} done in ${seconds(performance.now() - started)}`);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
