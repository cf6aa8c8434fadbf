// Feature modules join the contract suites through a file of their own, `test/e2e/<name>/<name>.contract.ts`
// (written by `npm run new:module`), found here when the suites start: no central list to edit. Each such file
// exports `contract`: client-replay scenarios for its operations and fixtures for its kinds of path parameter.
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
}

export interface ModuleContracts extends ModuleContract {
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

function isRecordOf(value: unknown, item: 'function'): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === item)
  );
}

/**
 * Imports every module contract file and merges them. A key given twice (by two files, or by a file and the
 * suites' own SCENARIOS / PATH_PARAMETER_RESOURCES, passed as `taken`) is an error naming both, never an override.
 */
export async function loadModuleContracts(
  taken: { scenarios?: string[]; pathParameters?: string[] } = {},
  e2eDir = E2E_DIR,
): Promise<ModuleContracts> {
  const merged: ModuleContracts = { scenarios: {}, pathParameters: {}, files: [] };
  const owners = new Map<string, string>([
    ...(taken.scenarios ?? []).map((key) => [`scenario ${key}`, 'test/support/contract'] as const),
    ...(taken.pathParameters ?? []).map((key) => [`path parameter ${key}`, 'test/support/contract'] as const),
  ]);
  for (const relative of moduleContractFiles(e2eDir)) {
    const file = `test/e2e/${relative.split('\\').join('/')}`;
    const loaded = (await import(pathToFileURL(join(e2eDir, relative)).href)) as { contract?: Partial<ModuleContract> };
    const contract = loaded.contract;
    if (!contract || !isRecordOf(contract.scenarios, 'function') || !isRecordOf(contract.pathParameters, 'function')) {
      throw new SetupError(
        `${file} must export \`contract: ModuleContract\` ({ scenarios, pathParameters }, test/support/contract/modules.ts)`,
      );
    }
    for (const [kind, entries] of [
      ['scenario', contract.scenarios],
      ['path parameter', contract.pathParameters],
    ] as const) {
      for (const key of Object.keys(entries)) {
        const previous = owners.get(`${kind} ${key}`);
        if (previous) throw new SetupError(`${file} gives the ${kind} "${key}", which ${previous} already gives`);
        owners.set(`${kind} ${key}`, file);
      }
    }
    Object.assign(merged.scenarios, contract.scenarios);
    Object.assign(merged.pathParameters, contract.pathParameters);
    merged.files.push(file);
  }
  return merged;
}
