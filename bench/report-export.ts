// node bench/report-export.ts [--rows 100000] [--formats csv,pdf]
// Seeds one author with --rows articles (SQL generate_series) in a scratch database of its own, then asks for
// each report through the API and lets the real worker path make it (outbox -> relay -> BullMQ on Redis ->
// ReportsProcessor -> FileStorage), in this process, sampling process.memoryUsage().rss every 50 ms. Prints
// rows, duration, file size and peak RSS per format (docs/reports.md). Compiles src/ with SWC into
// bench/.report-build (git-ignored by its own .gitignore, removed at the end), so it neither needs nor touches dist/.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '100000' }, formats: { type: 'string', default: 'csv,pdf' } },
});
const ROWS = Number(values.rows);
const FORMATS = values.formats.split(',') as Array<'csv' | 'pdf'>;
const root = join(import.meta.dirname, '..');
const build = join(root, 'bench', '.report-build');
const serverUrl = new URL(process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const database = `folio_bench_reports_${run}`;
const redisPrefix = `folio-bench-reports:${run}:`;
const storageDir = mkdtempSync(join(tmpdir(), 'folio-report-bench-'));

function compile(): void {
  console.log('bench: compiling src/ and migrations/ with SWC');
  execFileSync(process.execPath, [join(root, 'scripts', 'generate-metadata.ts')], { cwd: root, stdio: 'ignore' });
  rmSync(build, { recursive: true, force: true });
  mkdirSync(build, { recursive: true });
  writeFileSync(join(build, '.gitignore'), '*\n');
  const swc = join(root, 'node_modules', '.bin', 'swc');
  execFileSync(
    swc,
    [
      'src',
      'migrations',
      '-d',
      build,
      '--config-file',
      '.swcrc',
      '--ignore',
      '**/*.spec.ts',
      '--copy-files',
      '--quiet',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  compile();
  await admin(`CREATE DATABASE "${database}"`);
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/${database}`;
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl.toString(),
    DATABASE_MIGRATE_ON_START: 'true',
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: redisPrefix,
    WORKER_IN_PROCESS: 'true',
    STORAGE_DIR: storageDir,
  });
  const { createApp, closeApp } = await import(pathToFileURL(join(build, 'src', 'bootstrap.js')).href);
  const app = await createApp().catch(async (error: unknown) => {
    await cleanUp();
    throw error;
  });
  const fastify = app.getHttpAdapter().getInstance();
  const call = async (method: string, url: string, token?: string, body?: object) => {
    const response = await fastify.inject({
      method,
      url,
      headers: token ? { authorization: `Token ${token}` } : {},
      ...(body ? { payload: body } : {}),
    });
    return { status: response.statusCode as number, body: response.body ? JSON.parse(response.body) : undefined };
  };
  try {
    const user = { username: `bench_${run}`, email: `bench_${run}@example.com`, password: 'correct-horse-battery' };
    const token = (await call('POST', '/api/users', undefined, { user })).body.user.token as string;
    console.log(`bench: seeding ${ROWS} articles (one tag each, a comment on every tenth)`);
    const seeded = Date.now();
    await seed(databaseUrl.toString(), user.username);
    console.log(`bench: seeded in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);

    const results = [];
    for (const format of FORMATS) {
      (globalThis as { gc?: () => void }).gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      let peakHeap = process.memoryUsage().heapUsed;
      const sampler = setInterval(() => {
        const usage = process.memoryUsage();
        peak = Math.max(peak, usage.rss);
        peakHeap = Math.max(peakHeap, usage.heapUsed);
      }, 50);
      const started = Date.now();
      const created = await call('POST', '/api/v1/reports', token, { format });
      if (created.status !== 202)
        throw new Error(`POST /api/v1/reports: ${created.status} ${JSON.stringify(created.body)}`);
      let report = created.body.report;
      while (report.status !== 'ready') {
        if (report.status === 'failed') throw new Error(`report failed: ${report.error}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        report = (await call('GET', `/api/v1/reports/${report.id}`, token)).body.report;
      }
      clearInterval(sampler);
      const worker = new Date(report.finishedAt).getTime() - new Date(report.startedAt).getTime();
      const result = {
        format,
        rows: report.rowCount,
        seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
        workerSeconds: Number((worker / 1000).toFixed(1)),
        sizeMiB: Number((report.sizeBytes / 2 ** 20).toFixed(1)),
        baselineRssMiB: Math.round(baseline / 2 ** 20),
        peakRssMiB: Math.round(peak / 2 ** 20),
        peakHeapMiB: Math.round(peakHeap / 2 ** 20),
      };
      console.log(`bench: ${JSON.stringify(result)}`);
      results.push(result);
    }
    console.log(
      '\n| format | rows | request to ready (s) | in the worker (s) | file (MiB) | RSS before (MiB) | peak RSS (MiB) | peak heap used (MiB) |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of results) {
      console.log(
        `| ${r.format} | ${r.rows} | ${r.seconds} | ${r.workerSeconds} | ${r.sizeMiB} | ${r.baselineRssMiB} | ${r.peakRssMiB} | ${r.peakHeapMiB} |`,
      );
    }
  } finally {
    await closeApp(app);
    await cleanUp();
  }
}

async function cleanUp(): Promise<void> {
  await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${redisPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  rmSync(storageDir, { recursive: true, force: true });
  // Prettier and tsc look at the whole checkout: leave no compiled copy behind.
  rmSync(build, { recursive: true, force: true });
}

async function seed(url: string, username: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO articles (slug, title, description, body, author_id, created_at)
       SELECT 'bench-article-' || n, 'Bench article number ' || n, 'seeded', 'seeded body', u.id,
              now() - make_interval(secs => $1 - n)
         FROM generate_series(1, $1) AS n, users u WHERE u.username = $2`,
      [ROWS, username],
    );
    const {
      rows: [tag],
    } = await client.query(`INSERT INTO tags (name, articles_count) VALUES ('bench', $1) RETURNING id`, [ROWS]);
    await client.query(
      // created_at is left to the trigger: copy_article_created_at() fails on an article_tags row that sets it.
      `INSERT INTO article_tags (article_id, tag_id, position)
       SELECT a.id, $1, 0 FROM articles a JOIN users u ON u.id = a.author_id WHERE u.username = $2`,
      [tag.id, username],
    );
    await client.query(
      `INSERT INTO comments (article_id, author_id, body)
       SELECT a.id, a.author_id, 'seeded comment' FROM articles a WHERE a.slug ~ '0$'`,
    );
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error('bench: failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
