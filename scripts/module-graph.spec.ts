import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveModuleGraph, DOCUMENT, END, renderMermaid, START, withModuleGraph } from './module-graph.js';

const root = join(import.meta.dirname, '..');
const generatedBlock = (document: string) => document.slice(document.indexOf(START), document.indexOf(END));

describe('the module graph of docs/architecture.md', () => {
  const graph = deriveModuleGraph(root);

  it('has one Nest module per feature folder, each imported by AppModule (and its worker module, if any, by WorkerFeaturesModule)', () => {
    const folders = readdirSync(join(root, 'src', 'modules')).sort();
    const isWorker = (m: { file: string }) => m.file.endsWith('-worker.module.ts');
    const features = graph.modules.filter((m) => m.group === 'feature' && !isWorker(m));
    expect(features.map((m) => m.file.split('/')[2]).sort()).toEqual(folders);
    const importedBy = (root: string) => graph.edges.filter((e) => e.from === root && !e.dotted).map((e) => e.to);
    expect(importedBy('AppModule')).toEqual(expect.arrayContaining(features.map((m) => m.name)));
    const workers = graph.modules.filter((m) => m.group === 'feature' && isWorker(m));
    expect(importedBy('WorkerFeaturesModule')).toEqual(expect.arrayContaining(workers.map((m) => m.name)));
  });

  it('matches the code (run `npm run docs:graph` after changing a module)', () => {
    const current = readFileSync(join(root, DOCUMENT), 'utf8');
    const expected = withModuleGraph(current, renderMermaid(graph));
    expect(
      generatedBlock(current),
      `${DOCUMENT}: the module graph is stale. Run \`npm run docs:graph\` and commit the result.`,
    ).toBe(generatedBlock(expected));
  });
});
