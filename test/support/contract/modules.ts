// Feature modules join the contract suites through a file of their own, `test/e2e/<name>/<name>.contract.ts`
// (written by `npm run new:module`), found here when the suites start: no central list to edit. Each such file
// exports `contract`: client-replay scenarios for its operations, fixtures for its kinds of path parameter and,
// optionally, body values the fuzz makes per case.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SetupError, type PathParameterFactory } from './fixtures.js';
import type { Scenario } from './replay-scenarios.js';

export type { FixtureContext, PathParameterFactory } from './fixtures.js';

export interface ModuleContract {
  /** Client-replay scenarios, keyed `METHOD /path` as the document writes it. */
  scenarios: Record<string, Scenario>;
  /**
   * Path-parameter fixtures, keyed by the segment before the parameter as in PATH_PARAMETER_RESOURCES
   * (`bookmarks/{id}`). The fuzz makes one shared resource at the start of a session and fresh ones for the
   * requests that may change or delete what the path names.
   */
  pathParameters: Record<string, PathParameterFactory>;
  /**
   * Optional. Body values the fuzz makes anew for each case, by operation (`METHOD /path`) and field (`a.b`):
   * what a valid request must carry and only the server hands out, once (a refresh token, a mailed token). The
   * generated body holds a placeholder there; the factory runs when the bytes sent still contain it.
   */
  bodyFixtures?: Record<string, Record<string, BodyFixtureFactory>>;
}

/** Makes, for one fuzz case, the value of a body field (a fresh single-use token): see `bodyFixtures`. */
export type BodyFixtureFactory = PathParameterFactory;

export interface ModuleContracts extends ModuleContract {
  bodyFixtures: Record<string, Record<string, BodyFixtureFactory>>;
  /** The files found, relative to the repository (`test/e2e/bookmarks/bookmarks.contract.ts`). */
  files: string[];
}

const E2E_DIR = join(import.meta.dirname, '..', '..', 'e2e');

/** The `*.contract.ts` files directly inside a folder of test/e2e/, in a stable order. */
export function moduleContractFiles(e2eDir = E2E_DIR): string[] {
  if (!existsSync(e2eDir)) return [];
  return readdirSync(e2eDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((dir) =>
      readdirSync(join(e2eDir, dir.name))
        .filter((file) => file.endsWith('.contract.ts'))
        .map((file) => join(dir.name, file)),
    )
    .sort();
}

function isRecordOf(value: unknown, item: (v: unknown) => boolean): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(item);
}

const isFunction = (value: unknown) => typeof value === 'function';
const isFunctions = (value: unknown) => isRecordOf(value, isFunction);

/**
 * Imports every module contract file and merges them. A key given twice (by two files, or by a file and the
 * suites' own SCENARIOS / PATH_PARAMETER_RESOURCES / BODY_FIXTURES, passed as `taken`) is an error naming both, never an override.
 */
export async function loadModuleContracts(
  taken: { scenarios?: string[]; pathParameters?: string[]; bodyFixtures?: string[] } = {},
  e2eDir = E2E_DIR,
): Promise<ModuleContracts> {
  const merged: ModuleContracts = { scenarios: {}, pathParameters: {}, bodyFixtures: {}, files: [] };
  const owners = new Map<string, string>([
    ...(taken.scenarios ?? []).map((key) => [`scenario ${key}`, 'test/support/contract'] as const),
    ...(taken.pathParameters ?? []).map((key) => [`path parameter ${key}`, 'test/support/contract'] as const),
    ...(taken.bodyFixtures ?? []).map((key) => [`body fixture of ${key}`, 'test/support/contract'] as const),
  ]);
  for (const relative of moduleContractFiles(e2eDir)) {
    const file = `test/e2e/${relative.split('\\').join('/')}`;
    const loaded = (await import(pathToFileURL(join(e2eDir, relative)).href)) as { contract?: Partial<ModuleContract> };
    const contract = loaded.contract;
    if (
      !contract ||
      !isFunctions(contract.scenarios) ||
      !isFunctions(contract.pathParameters) ||
      !(contract.bodyFixtures === undefined || isRecordOf(contract.bodyFixtures, isFunctions))
    ) {
      throw new SetupError(
        `${file} must export \`contract: ModuleContract\` ({ scenarios, pathParameters, bodyFixtures? }, test/support/contract/modules.ts)`,
      );
    }
    for (const [kind, entries] of [
      ['scenario', contract.scenarios],
      ['path parameter', contract.pathParameters],
      ['body fixture of', contract.bodyFixtures ?? {}],
    ] as const) {
      for (const key of Object.keys(entries)) {
        const previous = owners.get(`${kind} ${key}`);
        if (previous) throw new SetupError(`${file} gives the ${kind} "${key}", which ${previous} already gives`);
        owners.set(`${kind} ${key}`, file);
      }
    }
    Object.assign(merged.scenarios, contract.scenarios);
    Object.assign(merged.pathParameters, contract.pathParameters);
    Object.assign(merged.bodyFixtures, contract.bodyFixtures);
    merged.files.push(file);
  }
  return merged;
}
