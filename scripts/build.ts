// Compiles src/ and migrations/ with SWC into dist/ (dist/src, dist/migrations: the same layout as the
// repository, so relative paths such as the migrations glob hold in both).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'scripts', 'generate-metadata.ts')], { cwd: root, stdio: 'inherit' });
execFileSync(
  bin('swc'),
  // --copy-files: what swc does not compile (mail templates) lands beside the compiled code.
  ['src', 'migrations', '-d', 'dist', '--config-file', '.swcrc', '--ignore', '**/*.spec.ts', '--copy-files', '--quiet'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
