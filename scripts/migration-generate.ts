// npm run migration:generate -- <Name>: diffs the entities (from a fresh build) against DATABASE_URL
// and writes migrations/<timestamp>-<Name>.ts, with type-only imports so Node can load it unbuilt.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('usage: npm run migration:generate -- <PascalCaseName>');
  process.exit(2);
}
const bin = (tool: string) => join(root, 'node_modules', '.bin', tool);
const before = new Set(readdirSync(join(root, 'migrations')));
execFileSync(process.execPath, [join(root, 'scripts', 'build.ts')], { cwd: root, stdio: 'inherit' });
execFileSync(
  bin('typeorm'),
  ['migration:generate', '-d', 'dist/src/core/database/data-source.js', `migrations/${name}`],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
for (const file of readdirSync(join(root, 'migrations')).filter((f) => !before.has(f))) {
  const path = join(root, 'migrations', file);
  writeFileSync(path, readFileSync(path, 'utf8').replace(/^import \{/m, 'import type {'));
  execFileSync(bin('prettier'), ['--write', path], { cwd: root, stdio: 'inherit' });
}
