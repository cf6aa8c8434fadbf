// Runs the @nestjs/swagger CLI plugin over src/ and writes src/metadata.ts, which
// main/test code loads with SwaggerModule.loadPluginMetadata(). SWC cannot run the
// TypeScript-transformer form of the plugin, so this is Nest's documented SWC path.
import { PluginMetadataGenerator } from '@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator.js';
import { ReadonlyVisitor } from '@nestjs/swagger/plugin';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const srcDir = join(import.meta.dirname, '..', 'src');
const output = join(srcDir, 'metadata.ts');

// The generator type-checks src/, which imports metadata.ts: seed an empty one on a fresh clone.
if (!existsSync(output)) writeFileSync(output, 'export default async () => ({});\n');

new PluginMetadataGenerator().generate({
  visitors: [
    new ReadonlyVisitor({
      pathToSource: srcDir,
      classValidatorShim: true,
      introspectComments: true,
      dtoFileNameSuffix: ['.dto.ts', '.query.ts'],
      controllerFileNameSuffix: ['.controller.ts'],
    }),
  ],
  outputDir: srcDir,
  watch: false,
  tsconfigPath: 'tsconfig.build.json',
  printDiagnostics: false,
});
