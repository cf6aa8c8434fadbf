// npm run new:module -- <name> [--no-regen]
// Generates a feature module as docs/adding-a-module.md lays it out (name: plural kebab-case, such as
// `bookmarks` or `reading-lists`), with its migration, unit and e2e tests, registered in AppModule.
// Then it regenerates openapi/openapi.json and the module graph of docs/architecture.md, since tests
// fail while either is stale and both are deterministic and take seconds; --no-regen skips that.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(import.meta.dirname, '..');

// The `.js` → `.ts` resolution, before anything that needs it is imported (a variable: tsc leaves it be).
const resolver = './ts-resolve.ts';
await import(resolver);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'no-regen': { type: 'boolean', default: false } },
});
if (positionals.length !== 1) {
  console.error('usage: npm run new:module -- <plural-kebab-name> [--no-regen]   (e.g. bookmarks, reading-lists)');
  process.exit(2);
}

const { generateModule, GeneratorError } = await import('./new-module/generate.js');
let generated;
try {
  generated = generateModule(root, positionals[0]);
} catch (error) {
  if (!(error instanceof GeneratorError)) throw error;
  console.error(`new:module: ${error.message}`);
  process.exit(2);
}
const n = generated.names;
console.log(`new:module: created ${n.Plural}Module\n${generated.files.map((f) => `  ${f}`).join('\n')}`);

const regen = [
  ['run', 'openapi'],
  ['run', 'docs:graph'],
  ['run', 'client:generate'],
];
if (values['no-regen']) {
  console.log(
    '\nskipped (--no-regen); run before committing:\n  npm run openapi\n  npm run docs:graph\n  npm run client:generate',
  );
} else {
  for (const args of regen) {
    console.log(`\nnew:module: npm ${args.join(' ')}`);
    execFileSync('npm', args, { cwd: root, stdio: 'inherit' });
  }
}

console.log(`
Next (docs/adding-a-module.md):
  1. Replace the placeholder \`name\` field of ${n.Singular}Entity, its DTOs, mapper and migration with the real ones,
     and the same field in test/e2e/${n.kebab}/${n.kebab}.contract.ts (the client replay's scenarios and the fuzz's
     '${n.kebab}/{id}' fixture: found by the contract suites, nothing to register).
  2. Add the module to the tables of docs/architecture.md and the README's API table.
  3. With DATABASE_URL on a development database: npm run migration:run && npm run migration:check
  4. npm run lint && npm test${values['no-regen'] ? '   (after npm run openapi && npm run docs:graph && npm run client:generate)' : ''}`);
