// The benchmark run (bench/run.ts is its entry): for each data size, ensure the database, start the baseline
// and Folio as separate processes, load every scenario against both from a third process, report.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { recomputeCounters } from '../scripts/seed/counters.js';
import { monotonicUs, summarise } from './cpu-profile.js';
import { ensureDatabase } from './databases.js';
import { load, problems, type Measurement } from './load.js';
import { fail, parseOptions, type BenchOptions, type SizeName } from './options.js';
import { markdown, progressLine, shortfalls, type Row } from './report.js';
import { CREATED_TITLE_PREFIX, checkCacheHit, prepareScenarios, type Scenario } from './scenarios.js';
import { sampleRss, startBaseline, startFolio, type Server } from './servers.js';

const root = join(import.meta.dirname, '..');
const results = join(import.meta.dirname, 'results');
const runId = new Date().toISOString().replace(/[:.]/g, '-');
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Scenarios that got an error, a timeout or an unexpected status: reported, and the run exits 1. */
const failures: string[] = [];

function measure(server: Server, scenario: Scenario, path: string, opts: BenchOptions, seconds: number) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (scenario.token) headers.authorization = `Token ${scenario.token}`;
  return load({
    url: server.base + path,
    method: scenario.method,
    headers,
    connections: opts.connections,
    duration: seconds,
    ...(scenario.method === 'POST' ? { createArticles: { titlePrefix: CREATED_TITLE_PREFIX } } : {}),
  });
}

/** Warm-up, then the measured run, recording any failed request. Returns the RSS peak too (for Folio). */
async function measured(server: Server, scenario: Scenario, path: string, opts: BenchOptions) {
  if (opts.warmup > 0) await measure(server, scenario, path, opts, opts.warmup);
  const stopSampling = sampleRss(server.process.pid!);
  const m = await measure(server, scenario, path, opts, opts.duration);
  const rssMb = stopSampling();
  const found = problems(m, scenario.expect);
  if (found.length > 0) {
    failures.push(`${scenario.name} on ${server.name}: ${found.join('; ')}`);
    console.log(`    FAILED: ${failures.at(-1)}`);
  }
  return { m, rssMb };
}

/** Deletes what create-article wrote (both servers, bench user, title prefix), then makes counters exact. */
async function removeCreated(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, application_name: 'folio-bench' });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      `DELETE FROM articles WHERE author_id = (SELECT id FROM users WHERE email = 'bench@example.com')
         AND title LIKE $1`,
      [`${CREATED_TITLE_PREFIX}%`],
    );
    await client.query(`DELETE FROM tags t WHERE t.name IN ('bench', 'folio-bench')`);
    await recomputeCounters(client);
    return rowCount ?? 0;
  } finally {
    await client.end();
  }
}

async function dropRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

async function compareSize(size: SizeName, opts: BenchOptions, url: string): Promise<Row[]> {
  const prefix = `folio-bench:${runId}:${size}:`;
  const [baseline, folio] = await Promise.all([
    startBaseline(root, url, opts.poolSize),
    startFolio({
      folio: opts.folio,
      databaseUrl: url,
      redisKeyPrefix: prefix,
      poolSize: opts.poolSize,
      sourceMaps: opts.sourceMaps,
    }),
  ]);
  const rows: Row[] = [];
  let created = false;
  try {
    const scenarios = selected(await prepareScenarios(folio.base), opts);
    console.log(`bench: ${size}: Folio ${folio.base} (pid ${folio.process.pid}), baseline ${baseline.base}`);
    for (const scenario of scenarios) {
      console.log(`  ${scenario.name}: ${scenario.measures}`);
      created ||= scenario.method === 'POST';
      const cache = scenario.cached ? await checkCacheHit(folio.base, scenario) : undefined;
      if (cache === 'no header') console.warn('    warning: Folio sent no x-cache header (no response cache?)');
      const f = await measured(folio, scenario, scenario.path, opts);
      console.log(`    ${progressLine('Folio    ', f.m)}  RSS ≤ ${f.rssMb.toFixed(0)} MB`);
      for (const against of scenario.baselines) {
        const b: { m: Measurement } = await measured(baseline, scenario, against.path || scenario.path, opts);
        const ratio = f.m.reqPerSec / b.m.reqPerSec;
        console.log(`    ${progressLine('baseline ', b.m)}  (${against.label})  Folio/baseline ${ratio.toFixed(2)}`);
        rows.push({
          size,
          scenario: scenario.name,
          against: against.label,
          folio: f.m,
          baseline: b.m,
          ratio,
          target: against.target,
          folioRssMb: f.rssMb,
          scales: scenario.scales === true,
          cache,
        });
      }
    }
  } finally {
    await Promise.all([folio.stop(), baseline.stop()]);
    await dropRedisKeys(prefix).catch((error: unknown) => console.warn(`bench: Redis cleanup failed: ${error}`));
    if (created && !opts.keepCreated)
      console.log(`bench: ${size}: removed ${await removeCreated(url)} created articles`);
  }
  return rows;
}

function selected(all: Scenario[], opts: BenchOptions, names = opts.only): Scenario[] {
  const unknown = names?.filter((name) => !all.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0)
    fail(`unknown scenario(s) ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}`);
  return all.filter((s) => !names || names.includes(s.name));
}

/** --cpu-prof: the named scenarios against a Folio that writes a CPU profile, then its summary. */
async function profile(size: SizeName, opts: BenchOptions, url: string): Promise<void> {
  const dir = join(results, 'prof', `${runId}-${size}`);
  mkdirSync(dir, { recursive: true });
  const prefix = `folio-bench:${runId}:prof:`;
  const folio = await startFolio({
    folio: opts.folio,
    databaseUrl: url,
    redisKeyPrefix: prefix,
    poolSize: opts.poolSize,
    sourceMaps: opts.sourceMaps,
    cpuProfDir: dir,
  });
  let loadStart = 0;
  try {
    for (const scenario of selected(await prepareScenarios(folio.base), opts, opts.cpuProf)) {
      loadStart ||= monotonicUs();
      if (scenario.cached) await checkCacheHit(folio.base, scenario);
      const { m } = await measured(folio, scenario, scenario.path, opts);
      console.log(`  ${scenario.name}: ${progressLine('Folio (profiled)', m)}`);
    }
  } finally {
    await folio.stop();
    await dropRedisKeys(prefix).catch(() => undefined);
    if (opts.cpuProf?.includes('create-article') && !opts.keepCreated) await removeCreated(url);
  }
  for (const file of readdirSync(dir)) {
    console.log(`\n${summarise(join(dir, file), 30, loadStart)}`);
    console.log(`(again: node bench/cpu-profile.ts ${join(dir, file)} --from ${loadStart})`);
  }
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

export async function main(): Promise<void> {
  const opts = parseOptions(root);
  const load1 = loadavg()[0];
  if (load1 > 0.7) console.warn(`bench: warning: the load average is ${load1.toFixed(2)}: results will be noisy`);
  const rows: Row[] = [];
  for (const size of opts.sizes) {
    const url = await ensureDatabase(size, opts, root);
    if (opts.cpuProf) await profile(size, opts, url);
    else rows.push(...(await compareSize(size, opts, url)));
  }
  if (opts.cpuProf) return;
  const table = markdown(rows);
  console.log(`\n${table}\n`);
  mkdirSync(results, { recursive: true });
  const file = join(results, `${runId}.json`);
  const meta = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    loadAverageBefore: load1,
    ...opts,
  };
  writeFileSync(file, `${JSON.stringify({ meta, rows, failures, markdown: table }, null, 2)}\n`);
  console.log(`bench: results written to ${file}`);
  const missed = shortfalls(rows);
  if (missed.length > 0) console.log(`bench: targets missed:\n  ${missed.join('\n  ')}`);
  if (failures.length > 0) fail(`${failures.length} failed measurement(s):\n  ${failures.join('\n  ')}`);
}
