// HTTP benchmark of the built API (dist/) against a seeded DATABASE_URL; see bench/README.md.
//   npm run bench -- [--duration 10] [--connections 10] [--workers 0] [--scenarios list,feed] [--keep-created]
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

const root = join(import.meta.dirname, '..');
const BENCH_USER = { email: 'bench@example.com', password: 'password123' };
const CREATED_TITLE_PREFIX = 'Folio bench article ';
const SETUP_CREATE = join(import.meta.dirname, 'create-article-request.cjs');
const BASELINES =
  'typical NestJS+TypeORM RealWorld backend (whole relations): 14 req/s, p50 3000 ms; ' +
  'plain Fastify + pg hand-written query: ~700 req/s';

interface Scenario {
  name: string;
  measures: string;
  path: string;
  method?: 'GET' | 'POST';
  token?: string;
  expect?: number;
}

interface Outcome {
  scenario: string;
  request: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      workers: { type: 'string', default: '0' },
      scenarios: { type: 'string' },
      'keep-created': { type: 'boolean', default: false },
    },
  });
  const positive = (name: 'duration' | 'connections' | 'workers', min: number) => {
    const n = Number(values[name]);
    if (!Number.isSafeInteger(n) || n < min) fail(`--${name} must be a whole number >= ${min}`);
    return n;
  };
  return {
    duration: positive('duration', 1),
    connections: positive('connections', 1),
    workers: positive('workers', 0),
    only: values.scenarios?.split(',').map((name) => name.trim()),
    keepCreated: values['keep-created'],
  };
}

async function call(base: string, path: string, init: { token?: string; body?: unknown } = {}) {
  const response = await fetch(base + path, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Token ${init.token}` } : {}),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
}

/** Everything the scenarios need from the seeded data, checked once so a bad database fails before any load. */
async function prepare(base: string): Promise<Scenario[]> {
  const login = await call(base, '/api/users/login', { body: { user: BENCH_USER } });
  if (login.status !== 200) {
    fail(`logging in as ${BENCH_USER.email} answered ${login.status}: seed the database first (npm run seed)`);
  }
  const token: string = login.body.user.token;
  const tags: string[] = (await call(base, '/api/tags')).body?.tags ?? [];
  const [first] = (await call(base, '/api/articles?limit=1')).body?.articles ?? [];
  if (tags.length === 0 || !first) fail('the database has no articles or tags: seed it first (npm run seed)');
  const feed = await call(base, '/api/articles/feed?limit=1', { token });
  if (!(feed.body?.articlesCount > 0)) console.warn('bench: warning: the bench user follows no author with articles');
  process.env.FOLIO_BENCH_TAGS = JSON.stringify(tags.slice(0, 20));
  return [
    { name: 'list', measures: 'newest 20 articles, anonymous', path: '/api/articles' },
    { name: 'list-auth', measures: 'same, plus favorited/following', path: '/api/articles', token },
    {
      name: 'list-by-tag',
      measures: `tag "${tags[0]}" (most used)`,
      path: `/api/articles?tag=${encodeURIComponent(tags[0])}`,
    },
    { name: 'feed', measures: 'articles by followed authors', path: '/api/articles/feed', token },
    { name: 'article', measures: 'one article with body', path: `/api/articles/${first.slug}` },
    {
      name: 'create-article',
      measures: 'POST, unique titles, 2 tags',
      path: '/api/articles',
      method: 'POST',
      token,
      expect: 201,
    },
  ];
}

async function runScenario(base: string, scenario: Scenario, opts: ReturnType<typeof options>): Promise<Outcome> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (scenario.token) headers.authorization = `Token ${scenario.token}`;
  const method = scenario.method ?? 'GET';
  const setupRequest = () => (opts.workers > 0 ? SETUP_CREATE : createRequire(import.meta.url)(SETUP_CREATE));
  const result = await autocannon({
    url: base + scenario.path,
    connections: opts.connections,
    duration: opts.duration,
    ...(opts.workers > 0 ? { workers: opts.workers } : {}),
    headers,
    method,
    ...(method === 'POST'
      ? { requests: [{ method, path: scenario.path, headers, setupRequest: setupRequest() }] }
      : {}),
  });
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, Number(stat.count ?? 0)]),
  );
  return {
    scenario: scenario.name,
    request: `${method} ${scenario.path}`,
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}

function problems(outcome: Outcome, scenario: Scenario): string[] {
  const found: string[] = [];
  if (outcome.requests === 0) found.push('no request completed');
  if (outcome.non2xx > 0) found.push(`${outcome.non2xx} non-2xx (${JSON.stringify(outcome.statusCodes)})`);
  if (outcome.errors + outcome.timeouts > 0) found.push(`${outcome.errors} errors, ${outcome.timeouts} timeouts`);
  const unexpected = Object.keys(outcome.statusCodes).filter((code) => code !== String(scenario.expect ?? 200));
  if (unexpected.length > 0 && outcome.non2xx === 0) found.push(`unexpected status ${unexpected.join(', ')}`);
  return found;
}

function printTable(outcomes: Outcome[]): void {
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'requests'];
  const rows = outcomes.map((o) => [
    o.scenario,
    o.reqPerSec.toFixed(0),
    String(o.p50Ms),
    String(o.p99Ms),
    String(o.non2xx),
    String(o.errors + o.timeouts),
    String(o.requests),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));
  const list = outcomes.find((o) => o.scenario === 'list');
  if (list) {
    console.log(
      `\nlist vs the issue's baselines (${BASELINES}):\n` +
        `  ${list.reqPerSec.toFixed(0)} req/s, p50 ${list.p50Ms} ms = ${(list.reqPerSec / 14).toFixed(0)}x the typical ` +
        `NestJS+TypeORM backend, ${(list.reqPerSec / 700).toFixed(1)}x plain Fastify + pg`,
    );
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'folio-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Row counts of the main tables, recorded with the results: numbers mean little without the data size. */
function datasetSize(url: string): Promise<Record<string, number>> {
  const tables = ['users', 'follows', 'articles', 'tags', 'favorites', 'comments'];
  return withClient(url, async (client) => {
    const { rows } = await client.query(
      `SELECT ${tables.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`,
    );
    return rows[0];
  });
}

/** Removes what create-article wrote, undoing its tag counts as the API's delete does, so runs stay comparable. */
function removeCreated(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const filter = `author_id = (SELECT id FROM users WHERE email = $1) AND title LIKE $2`;
    const params = [BENCH_USER.email, `${CREATED_TITLE_PREFIX}%`];
    await client.query('BEGIN');
    await client.query(
      `WITH removed AS (DELETE FROM article_tags WHERE article_id IN (SELECT id FROM articles WHERE ${filter})
         RETURNING tag_id)
       UPDATE tags t SET articles_count = t.articles_count - r.n
       FROM (SELECT tag_id, count(*)::int AS n FROM removed GROUP BY tag_id) r WHERE t.id = r.tag_id`,
      params,
    );
    const { rowCount } = await client.query(`DELETE FROM articles WHERE ${filter}`, params);
    await client.query('COMMIT');
    return rowCount ?? 0;
  });
}

function gitCommit(): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', 'src', 'migrations'], { cwd: root }).length > 0;
    return dirty ? `${head}+uncommitted` : head;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const opts = options();
  const url = process.env.DATABASE_URL;
  if (!url) fail('DATABASE_URL is not set: point it at a seeded database (see bench/README.md)');
  // Read by createApp: request logging would otherwise dominate the measurement.
  process.env.LOG_LEVEL ??= 'silent';
  // Anything else running on the machine competes with the API and PostgreSQL for the same cores.
  const load = loadavg()[0];
  if (load > 0.7) console.warn(`bench: warning: the load average is ${load.toFixed(2)}: results will be noisy`);
  const dataset = await datasetSize(url);
  const bootstrap = pathToFileURL(join(root, 'dist', 'src', 'bootstrap.js')).href;
  const { createApp, closeApp } = (await import(bootstrap)) as typeof import('../src/bootstrap.js');
  const app: NestFastifyApplication = await createApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') fail('the API did not report its port');
  const base = `http://127.0.0.1:${address.port}`;
  const outcomes: Outcome[] = [];
  const failures: string[] = [];
  try {
    const all = await prepare(base);
    const unknown = opts.only?.filter((name) => !all.some((s) => s.name === name)) ?? [];
    if (unknown.length > 0)
      fail(`unknown scenario(s) ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}`);
    const scenarios = all.filter((s) => !opts.only || opts.only.includes(s.name));
    console.log(
      `bench: ${base}, ${opts.duration} s per scenario, ${opts.connections} connections, ` +
        `load from ${opts.workers > 0 ? `${opts.workers} worker thread(s)` : 'the API thread'}, LOG_LEVEL=${process.env.LOG_LEVEL}`,
    );
    for (const scenario of scenarios) {
      process.stdout.write(`  ${scenario.name.padEnd(15)} ${scenario.measures} ... `);
      const outcome = await runScenario(base, scenario, opts);
      outcomes.push(outcome);
      const found = problems(outcome, scenario);
      failures.push(...found.map((problem) => `${scenario.name}: ${problem}`));
      console.log(`${outcome.reqPerSec.toFixed(0)} req/s${found.length > 0 ? ` FAILED: ${found.join('; ')}` : ''}`);
    }
  } finally {
    await closeApp(app);
  }
  if (!opts.keepCreated && outcomes.some((o) => o.scenario === 'create-article')) {
    console.log(`bench: removed ${await removeCreated(url)} articles written by create-article`);
  }
  printTable(outcomes);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(import.meta.dirname, 'results', `${stamp}.json`);
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  const meta = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    database: new URL(url).pathname.slice(1),
    dataset,
    loadAverageBefore: load,
    ...opts,
  };
  writeFileSync(file, `${JSON.stringify({ meta, baselines: BASELINES, results: outcomes }, null, 2)}\n`);
  console.log(`\nbench: results written to ${file}`);
  if (failures.length > 0) fail(`${failures.length} problem(s):\n  ${failures.join('\n  ')}`);
}

main().catch((error: unknown) => {
  console.error('bench: failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
