// Summarises a V8 .cpuprofile (node --cpu-prof): the functions with the most self time, and the same time
// grouped by package, to show where Folio spends a scenario's CPU.
//   node bench/cpu-profile.ts bench/results/prof/<file>.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const V8_ENTRIES = new Set(['(garbage collector)', '(program)', '(root)']);

/** node_modules/<package> (scoped ones included), node's own code, V8's entries, native code, or a project file. */
function owner(frame: ProfileNode['callFrame']): string {
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (module) return module[1];
  if (frame.url.startsWith('node:')) return 'node (core)';
  if (frame.url === '') return V8_ENTRIES.has(frame.functionName) ? frame.functionName : '(native)';
  return frame.url.replace(/^file:\/\/.*?\/(dist\/|bench\/)/, '$1');
}

/** The current time on the clock of the profiles' timestamps (CLOCK_MONOTONIC on Linux), in µs. */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** Samples taken from `fromUs` (monotonicUs() when the load started) on: start-up is left out. */
export function summarise(file: string, top = 25, fromUs = 0): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= fromUs) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  // Idle time is the event loop waiting (for PostgreSQL, for requests): left out of the percentages.
  let idle = 0;
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const where = owner(frame);
    const name = `${frame.functionName || '(anonymous)'}  ${where}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    packages.set(where, (packages.get(where) ?? 0) + us);
  }
  const total = [...functions.values()].reduce((a, b) => a + b, 0) || 1;
  const table = (title: string, entries: Map<string, number>) =>
    [
      title,
      ...[...entries]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([name, us]) => `  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${name}`),
    ].join('\n');
  return [
    `${file}: ${(total / 1e6).toFixed(1)} s on the CPU (percentages below), ${(idle / 1e6).toFixed(1)} s idle; ` +
      (fromUs > 0 ? 'from the start of the load' : 'over the whole process, start-up included'),
    table('self time by function:', functions),
    table('self time by package or file:', packages),
  ].join('\n\n');
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string' }, from: { type: 'string' } },
  });
  if (positionals.length === 0) {
    console.error('usage: node bench/cpu-profile.ts <file.cpuprofile>... [--top 25] [--from <µs, monotonic>]');
    process.exit(2);
  }
  for (const file of positionals) console.log(summarise(file, Number(values.top ?? 25), Number(values.from ?? 0)));
}
