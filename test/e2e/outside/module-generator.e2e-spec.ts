// `npm run new:module` end to end: in a copy of the working tree (never this checkout), generate a module
// and hold it to what the repository demands of hand-written code: types, lint, boundaries, the OpenAPI
// build, a migration TypeORM agrees with, its own e2e test passing against PostgreSQL, and the contract suites
// (client replay, and the fuzz on the module's operations) green without a hand edit.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseTestUrl, createScratchDatabase } from '../../setup/test-database.js';

const root = join(import.meta.dirname, '..', '..', '..');
const copy = mkdtempSync(join(tmpdir(), 'folio-new-module-'));
const drops: Array<() => Promise<void>> = [];

// The children are separate projects: none of this worker's Vitest state may leak into their own Vitest.
// No colours either: the assertions read what the children print.
const childEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST'))),
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

interface Step {
  command: string;
  code: number | null;
  output: string;
  seconds: number;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Step> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: copy, env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        command: `${basename(command)} ${args.join(' ')}`,
        code,
        output,
        seconds: (Date.now() - started) / 1000,
      }),
    );
  });
}

/** A step must exit 0; otherwise the assertion shows the command and the end of what it printed. */
function expectSuccess(step: Step): void {
  expect(step.code, `${step.command} (${step.seconds}s) failed:\n${step.output.slice(-4000)}`).toBe(0);
}

const PROBE_KIT_OPERATIONS = ['createProbeKit', 'deleteProbeKit', 'getProbeKit', 'listProbeKits'];

const bin = (tool: string) => join(copy, 'node_modules', '.bin', tool);

describe('npm run new:module', () => {
  afterAll(async () => {
    for (const drop of drops) await drop();
    rmSync(copy, { recursive: true, force: true });
  });

  it('generates a module that compiles, lints, migrates cleanly, documents itself and passes its own e2e test', async () => {
    // The working tree as git sees it (tracked and new files, nothing ignored), node_modules shared by a link.
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((file) => file && existsSync(join(root, file)));
    for (const file of files) cpSync(join(root, file), join(copy, file), { recursive: false });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');

    // The generator also runs `npm run openapi` (metadata generation and the SWC build) and `docs:graph`.
    const generated = await run('npm', ['run', 'new:module', '--', 'probe-kits']);
    expectSuccess(generated);
    const refused = await run('npm', ['run', 'new:module', '--', 'probe-kits', '--no-regen']);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain('src/modules/probe-kits already exists');

    const openapi = JSON.parse(readFileSync(join(copy, 'openapi', 'openapi.json'), 'utf8'));
    const operations = Object.values(openapi.paths as Record<string, Record<string, { operationId: string }>>)
      .flatMap((item) => Object.values(item).map((op) => op.operationId))
      .filter((id) => /ProbeKit/.test(id));
    expect(operations.sort()).toEqual(PROBE_KIT_OPERATIONS);
    expect(readFileSync(join(copy, 'docs', 'architecture.md'), 'utf8')).toContain('ProbeKitsModule');

    // The migration against the entities, on a scratch database: what `npm run migration:check` does,
    // on the dist/ the generator's openapi step just built.
    const scratch = await createScratchDatabase(baseTestUrl(), 'generator');
    drops.push(scratch.drop);
    const database = { DATABASE_URL: scratch.url.toString() };
    const dataSource = ['-d', 'dist/src/core/database/data-source.js'];
    const migrated = await run(bin('typeorm'), ['migration:run', ...dataSource], database);
    expectSuccess(migrated);
    expect(migrated.output).toMatch(/Migration ProbeKits\d+ has been\s+executed successfully/);

    // The independent checks side by side (tsc is the slow one), and the generated tests with the client
    // replay, in the copy, through its own global setup (a fresh database, migrated, dropped). The replay and
    // the fuzz find the module's scenarios and path-parameter fixture in test/e2e/probe-kits/probe-kits.contract.ts.
    const generatedFiles = [
      'src/modules/probe-kits',
      'test/e2e/probe-kits',
      'src/app.module.ts',
      'src/core/http/api-tags.ts',
    ];
    const services = {
      DATABASE_URL: baseTestUrl().toString(),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    };
    const checks = await Promise.all([
      run(bin('tsc'), ['--noEmit']),
      run(bin('oxlint'), ['--deny-warnings', ...generatedFiles]),
      run(bin('prettier'), ['--check', ...generatedFiles, 'migrations']),
      run(bin('depcruise'), ['src', 'test', '--config', '.dependency-cruiser.cjs']),
      run(bin('redocly'), ['lint', 'openapi/openapi.json']),
      run(bin('typeorm'), ['migration:generate', '--check', '--dryrun', ...dataSource, 'migrations/Check'], database),
      // The fuzz CLI (no metadata step: the generator's openapi run made it) on the module's operations only:
      // the whole CI sample takes ~30 s; `npx vitest run test/e2e/outside/contract-fuzz.e2e-spec.ts` in a copy runs it.
      run(
        process.execPath,
        ['scripts/fuzz.ts', '--runs', '200', '--seed', '20250611', '--op', PROBE_KIT_OPERATIONS.join(',')],
        services,
      ),
      run(
        bin('vitest'),
        [
          'run',
          'test/e2e/probe-kits',
          'src/modules/probe-kits',
          'test/e2e/outside/client-replay.e2e-spec.ts',
          '--reporter',
          'verbose',
          '--maxWorkers',
          '1',
        ],
        services,
      ),
    ]);
    checks.forEach(expectSuccess);
    const [fuzz, tests] = checks.slice(-2) as [Step, Step];
    expect(tests.output).toMatch(/Test Files\s+3 passed \(3\)/);
    expect(tests.output).toContain('creates, reads, lists and deletes a probe kit');
    for (const key of ['GET /api/v1/probe-kits', 'POST /api/v1/probe-kits', 'GET /api/v1/probe-kits/{id}']) {
      expect(tests.output).toContain(`${key} answers its documented success`);
    }
    expect(tests.output).toContain('DELETE /api/v1/probe-kits/{id} answers its documented success');
    for (const id of PROBE_KIT_OPERATIONS) expect(fuzz.output).toMatch(new RegExp(`${id}\\s+50 cases, 0 failing`));

    const timings = [generated, migrated, ...checks].map((s) => `${s.seconds}s ${s.command}`);
    console.log(`new:module steps:\n  ${timings.join('\n  ')}`);
  }, 240_000);
});
