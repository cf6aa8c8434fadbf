// The runner's command line. Every option has a default, so `npm run bench` alone is the full run.
import { parseArgs } from 'node:util';

export const DATA_SIZES = {
  '10k': { users: 1_000, articles: 10_000, favorites: 100_000, comments: 20_000, follows: 20 },
  '1m': { users: 50_000, articles: 1_000_000, favorites: 1_000_000, comments: 200_000, follows: 20 },
} as const;

export type SizeName = keyof typeof DATA_SIZES;

export interface BenchOptions {
  duration: number;
  connections: number;
  /** Seconds of load before each measured run (JIT, pools, caches, PostgreSQL buffers). */
  warmup: number;
  sizes: SizeName[];
  only?: string[];
  /** Root of the built Folio to run (its dist/ and migrations); the checkout by default. */
  folio: string;
  poolSize: number;
  keepCreated: boolean;
  reseed: boolean;
  /** Folio runs with --enable-source-maps, as `npm run start:prod` does (about 45 MB of RSS), unless false. */
  sourceMaps: boolean;
  /** Scenarios to run against a Folio started with --cpu-prof instead of the comparison. */
  cpuProf?: string[];
}

export function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

export function parseOptions(root: string): BenchOptions {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '50' },
      warmup: { type: 'string', default: '2' },
      sizes: { type: 'string', default: '10k,1m' },
      scenarios: { type: 'string' },
      folio: { type: 'string', default: root },
      'pool-size': { type: 'string', default: '10' },
      'keep-created': { type: 'boolean', default: false },
      reseed: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      'without-source-maps': { type: 'boolean', default: false },
    },
  });
  const whole = (name: 'duration' | 'connections' | 'warmup' | 'pool-size', min: number) => {
    const n = Number(values[name]);
    if (!Number.isSafeInteger(n) || n < min) fail(`--${name} must be a whole number >= ${min}`);
    return n;
  };
  const list = (raw: string | undefined) =>
    raw
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const sizes = list(values.sizes) ?? [];
  const unknown = sizes.filter((size) => !(size in DATA_SIZES));
  if (sizes.length === 0 || unknown.length > 0) fail(`--sizes takes ${Object.keys(DATA_SIZES).join(', ')}`);
  return {
    duration: whole('duration', 1),
    connections: whole('connections', 1),
    warmup: whole('warmup', 0),
    sizes: sizes as SizeName[],
    only: list(values.scenarios),
    folio: values.folio,
    poolSize: whole('pool-size', 1),
    keepCreated: values['keep-created'],
    reseed: values.reseed,
    cpuProf: list(values['cpu-prof']),
    sourceMaps: !values['without-source-maps'],
  };
}
