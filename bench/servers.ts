// The two servers under test, each in its own process: Folio as production runs it (node dist/src/main.js)
// and the raw baseline (bench/baseline/server.ts). Neither shares an event loop with the load generator.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../src/core/net/free-port.js';

export const JWT_SECRET = 'folio-bench-secret-not-for-production';

export interface Server {
  name: 'folio' | 'baseline';
  base: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

async function waitUntilUp(child: ChildProcess, url: string, what: string, stderr: () => string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}: ${stderr()}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not answer ${url} within 30 s: ${stderr()}`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

async function start(
  name: Server['name'],
  args: string[],
  env: Record<string, string>,
  readyPath: string,
): Promise<Server> {
  const port = await freePort();
  let stderr = '';
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port) },
    // stdout (Folio's request log at LOG_LEVEL=info) goes to /dev/null: written, as in production, not kept.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const base = `http://127.0.0.1:${port}`;
  await waitUntilUp(child, base + readyPath, name, () => stderr);
  return { name, base, process: child, stop: stopper(child) };
}

export interface FolioSettings {
  folio: string;
  databaseUrl: string;
  redisKeyPrefix: string;
  poolSize: number;
  cpuProfDir?: string;
  sourceMaps: boolean;
}

export function startFolio(settings: FolioSettings): Promise<Server> {
  const args = [
    ...(settings.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', settings.cpuProfDir] : []),
    ...(settings.sourceMaps ? ['--enable-source-maps'] : []),
    join(settings.folio, 'dist', 'src', 'main.js'),
  ];
  return start(
    'folio',
    args,
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      DATABASE_URL: settings.databaseUrl,
      DATABASE_POOL_SIZE: String(settings.poolSize),
      REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: settings.redisKeyPrefix,
      JWT_SECRET,
      // The load comes from one address at thousands of requests per second: rate limits would answer 429.
      RATE_LIMIT_ENABLED: 'false',
      // V8 heap settings as a deployment sets them (the Helm chart and Dockerfile pass the same NODE_OPTIONS).
      ...(process.env.BENCH_FOLIO_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_FOLIO_NODE_OPTIONS } : {}),
    },
    '/health/ready',
  );
}

export function startBaseline(root: string, databaseUrl: string, poolSize: number): Promise<Server> {
  return start(
    'baseline',
    [join(root, 'bench', 'baseline', 'server.ts')],
    { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: String(poolSize), JWT_SECRET },
    '/api/articles?limit=1',
  );
}

/** Resident memory of a process, in MB, from /proc (VmRSS now, VmHWM its peak since it started). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** Samples the process's RSS every 200 ms until stopped; returns the highest value seen, in MB. */
export function sampleRss(pid: number): () => number {
  let peak = 0;
  const take = () => {
    peak = Math.max(peak, memoryOf(pid)?.rssMb ?? 0);
  };
  take();
  const timer = setInterval(take, 200);
  return () => {
    clearInterval(timer);
    take();
    return peak;
  };
}
