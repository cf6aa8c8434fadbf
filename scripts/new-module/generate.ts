// Writes a feature module into a checkout and wires it in (see scripts/new-module.ts for the command).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deriveNames, nameProblem, type ModuleNames } from './names.js';
import { sourceFiles } from './source-templates.js';
import { migrationFile, testFiles } from './test-templates.js';

export class GeneratorError extends Error {}

/** Every table an entity of src/ declares, so a new module cannot take one (`tags` is articles'). */
function existingTables(root: string, dir = join(root, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return existingTables(root, path);
    if (!entry.name.endsWith('.entity.ts')) return [];
    return [...readFileSync(path, 'utf8').matchAll(/@Entity\(\s*'([^']+)'/g)].map((m) => m[1]);
  });
}

/** Why `name` cannot become a module of the checkout at `root`, or undefined. */
export function refusal(root: string, name: string): string | undefined {
  const problem = nameProblem(name);
  if (problem) return problem;
  const n = deriveNames(name);
  if (existsSync(join(root, 'src', 'modules', name))) return `src/modules/${name} already exists`;
  if (existingTables(root).includes(n.table)) return `a table "${n.table}" already exists in an entity of src/`;
  if (existsSync(join(root, 'test', 'e2e', name))) return `test/e2e/${name} already exists`;
  return undefined;
}

/** Later than now and than every migration already there, so migrations keep running in file order. */
function migrationTimestamp(root: string): number {
  const stamps = readdirSync(join(root, 'migrations')).map((f) => Number(/^(\d+)-/.exec(f)?.[1] ?? 0));
  return Math.max(Date.now(), ...stamps.map((s) => s + 1));
}

/** Adds the module's import and its entry in the `imports` of AppModule. */
export function registerInAppModule(source: string, n: ModuleNames): string {
  const importLine = `import { ${n.Plural}Module } from './modules/${n.kebab}/index.js';`;
  const lines = source.split('\n');
  const lastImport = lines.findLastIndex((line) => line.startsWith('import '));
  if (lastImport < 0) throw new GeneratorError('src/app.module.ts: no import statement found');
  lines.splice(lastImport + 1, 0, importLine);
  const withImport = lines.join('\n');
  const array = /(@Module\(\{[\s\S]*?\bimports:\s*\[)([\s\S]*?)(\])/;
  if (!array.test(withImport)) throw new GeneratorError('src/app.module.ts: no `imports: [...]` in @Module found');
  return withImport.replace(array, (_m, open: string, items: string, close: string) => {
    const trimmed = items.trimEnd().replace(/,$/, '');
    return `${open}${trimmed}, ${n.Plural}Module${close}`;
  });
}

/** Declares the module's OpenAPI tag (its controller's `@ApiTags`), which Redocly's lint requires. */
export function registerApiTag(source: string, n: ModuleNames): string {
  const end = source.lastIndexOf('};');
  if (end < 0) throw new GeneratorError('src/core/http/api-tags.ts: no `API_TAGS` object found');
  const entry = `  '${n.kebab}': '${n.kebab.replaceAll('-', ' ')}: describe this module here',\n`;
  return `${source.slice(0, end)}${entry}${source.slice(end)}`;
}

export interface Generated {
  names: ModuleNames;
  files: string[];
}

/** Writes the module's files, its migration and tests, registers it and formats what it touched. */
export function generateModule(root: string, name: string): Generated {
  const reason = refusal(root, name);
  if (reason) throw new GeneratorError(reason);
  const n = deriveNames(name);
  const files = { ...sourceFiles(n), ...testFiles(n), ...migrationFile(n, migrationTimestamp(root)) };
  for (const [file, text] of Object.entries(files)) {
    const path = join(root, file);
    if (existsSync(path)) throw new GeneratorError(`${file} already exists`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { flag: 'wx' });
  }
  const appModule = join(root, 'src', 'app.module.ts');
  writeFileSync(appModule, registerInAppModule(readFileSync(appModule, 'utf8'), n));
  const apiTags = join(root, 'src', 'core', 'http', 'api-tags.ts');
  writeFileSync(apiTags, registerApiTag(readFileSync(apiTags, 'utf8'), n));
  const touched = [...Object.keys(files), 'src/app.module.ts', 'src/core/http/api-tags.ts'];
  // The templates are not hand-wrapped: Prettier gives them the project's layout, as migration:generate does.
  execFileSync(join(root, 'node_modules', '.bin', 'prettier'), ['--write', '--log-level', 'warn', ...touched], {
    cwd: root,
    stdio: 'inherit',
  });
  return { names: n, files: touched };
}
