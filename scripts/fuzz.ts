// Contract fuzz of the API against the committed openapi/openapi.json (see docs/testing-contract.md):
//   npm run fuzz -- [--runs 10000] [--seed N] [--op id[,id]] [--path N] [--base-url URL] [--verbose]
// Without --base-url it starts the API in-process on a fresh database created on the DATABASE_URL server
// (default postgres://postgres@127.0.0.1:5432/folio_test; the name must say "test"), dropped at the end.
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { transformSync, type Options } from '@swc/core';
// Type-only: erased before the hooks below exist; the module itself is loaded through them.
import type { CaseRecord, FuzzSession } from '../test/support/contract/fuzz/runner.js';

const root = join(import.meta.dirname, '..');
const { $schema: _schema, ...swcOptions } = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8')) as Options & {
  $schema?: string;
};

// src/ needs legacy decorators with emitted metadata, which Node's type stripping cannot run. Compiling
// each TypeScript module with the project's SWC settings as it loads (and resolving the sources' `.js`
// specifiers to their `.ts` files, ts-resolve.ts) runs the current source without a build into dist/.
const resolver = './ts-resolve.ts';
await import(resolver);
registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/'))
      return nextLoad(url, context);
    const filename = fileURLToPath(url);
    const options: Options = { ...swcOptions, swcrc: false, filename, sourceMaps: 'inline' };
    return {
      format: 'module',
      source: transformSync(readFileSync(filename, 'utf8'), options).code,
      shortCircuit: true,
    };
  },
});

function fail(message: string): never {
  console.error(`fuzz: ${message}`);
  process.exit(2);
}

function options() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '10000' },
      seed: { type: 'string' },
      op: { type: 'string' },
      path: { type: 'string' },
      'base-url': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const whole = (name: string, raw: string | undefined, min: number) => {
    const n = Number(raw);
    if (raw === undefined || !Number.isSafeInteger(n) || n < min) fail(`--${name} must be a whole number >= ${min}`);
    return n;
  };
  const path = values.path === undefined ? undefined : whole('path', values.path, 0);
  const ops = values.op?.split(',').map((op) => op.trim());
  if (path !== undefined && ops?.length !== 1) fail('--path replays one case: give exactly one --op');
  return {
    runs: whole('runs', values.runs, 1),
    // A 31-bit seed, as fast-check takes it.
    seed: values.seed === undefined ? randomInt(2 ** 31) : whole('seed', values.seed, -(2 ** 31)),
    ops,
    path,
    baseUrl: values['base-url'],
    verbose: values.verbose,
  };
}

/** Starts the API in-process against a new database of its own; returns its URL and how to stop it all. */
async function startApi(secret: string): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const { baseTestUrl, createScratchDatabase } = await import('../test/setup/test-database.js');
  let server: URL;
  try {
    server = baseTestUrl();
  } catch (error) {
    fail((error as Error).message);
  }
  const { url, drop: dropDatabase } = await createScratchDatabase(server, 'fuzz');
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: url.toString(),
    DATABASE_MIGRATE_ON_START: 'true',
    JWT_SECRET: secret,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
  });
  try {
    await import('reflect-metadata');
    const { createApp, closeApp } = await import('../src/bootstrap.js');
    const app = await createApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as AddressInfo;
    const stop = async () => {
      try {
        await closeApp(app);
      } finally {
        await dropDatabase();
      }
    };
    return { baseUrl: `http://127.0.0.1:${port}`, stop };
  } catch (error) {
    await dropDatabase();
    throw error;
  }
}

function describeCase(record: CaseRecord): string {
  const { fuzzCase, request, response, problems } = record;
  const expected = fuzzCase.expect ? ` expected ${fuzzCase.expect.statuses.join('/')}` : '';
  const verdict = problems.length > 0 ? ` ✗ ${problems.map((p) => p.rule).join(', ')}` : '';
  const path = request.path.length > 100 ? `${request.path.slice(0, 100)}…` : request.path;
  return `${response?.status ?? 'ERR'} ${request.method} ${path} [${fuzzCase.family}]${expected}${verdict}`;
}

async function main(): Promise<void> {
  const opts = options();
  const { TEST_JWT_SECRET } = await import('../test/support/contract/tokens.js');
  const { FuzzSession: Session } = await import('../test/support/contract/fuzz/runner.js');
  const report = await import('../test/support/contract/fuzz/report.js');
  const { toCurl, describeResponse } = await import('../test/support/contract/http.js');
  const secret = opts.baseUrl ? (process.env.JWT_SECRET ?? TEST_JWT_SECRET) : TEST_JWT_SECRET;
  const api = opts.baseUrl ? { baseUrl: opts.baseUrl, stop: async () => {} } : await startApi(secret);
  console.log(`fuzz: ${api.baseUrl}, seed ${opts.seed} (replay this run with --seed ${opts.seed})`);
  let session: FuzzSession | undefined;
  try {
    session = await Session.start({
      baseUrl: api.baseUrl,
      seed: opts.seed,
      secret,
      bodyLimit: Number(process.env.BODY_LIMIT_BYTES ?? 1_048_576),
      onCase: opts.verbose ? (r) => console.log(`  ${describeCase(r)}`) : undefined,
    });
    const running = session;
    process.once('SIGINT', () => {
      console.log('\nfuzz: interrupted; finishing the current case');
      running.stop();
    });
    const known = new Set(session.operations.map((op) => op.id));
    const unknown = opts.ops?.filter((op) => !known.has(op)) ?? [];
    if (unknown.length > 0) fail(`unknown --op ${unknown.join(', ')}; operations: ${[...known].join(', ')}`);
    const operations = session.operations.filter((op) => !opts.ops || opts.ops.includes(op.id));
    const runs = opts.path === undefined ? Math.max(1, Math.ceil(opts.runs / operations.length)) : 1;
    for (const operation of operations) {
      if (session.stopped) break;
      const failures = await session.fuzz(operation, runs, opts.path);
      console.log(`  ${operation.id.padEnd(22)} ${runs} cases, ${failures.length} failing`);
    }
    const failures = session.failures;
    if (failures.length > 0) {
      console.log(`\nfailures, one example each:\n\n${report.formatFailures(api.baseUrl, failures)}`);
      console.log(`\ndistinct failures:\n${report.formatDefects(failures)}`);
      const file = join(root, 'reports', `fuzz-${opts.seed}.jsonl`);
      mkdirSync(join(root, 'reports'), { recursive: true });
      const lines = failures.map((r) =>
        JSON.stringify({
          operation: r.operation.id,
          case: r.fuzzCase.label,
          expected: r.fuzzCase.expect,
          problems: r.problems,
          replay: report.replayCommand(r),
          curl: toCurl(api.baseUrl, r.request),
          response: r.response ? describeResponse(r.response, 4_000) : null,
        }),
      );
      writeFileSync(file, `${lines.join('\n')}\n`);
      console.log(`\nevery failing case (${failures.length}) with its request and response: ${file}`);
    }
    console.log(`\n${report.formatSummary(session)}`);
  } finally {
    session?.close();
    await api.stop();
  }
  process.exitCode = session && session.failures.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error('fuzz: failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(2);
});
