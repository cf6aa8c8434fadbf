// Runs one load (bench/load-child.ts) in a child process and reduces autocannon's result to what we report.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { LoadSpec } from './load-child.js';

export interface Measurement {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats?: Record<string, { count?: number }>;
}

export function load(spec: LoadSpec): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(import.meta.dirname, 'load-child.ts'), JSON.stringify(spec)],
      { maxBuffer: 64 * 1024 * 1024, timeout: (spec.duration + 60) * 1000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`the load generator failed: ${stderr || error.message}`));
        const result = JSON.parse(stdout) as AutocannonResult;
        resolve({
          reqPerSec: result.requests.average,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          requests: result.requests.total,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCodes: Object.fromEntries(
            Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, Number(stat.count ?? 0)]),
          ),
        });
      },
    );
  });
}

/** What makes a measurement unusable: no request, an error, a timeout or a status other than `expect`. */
export function problems(m: Measurement, expect: number): string[] {
  const found: string[] = [];
  if (m.requests === 0) found.push('no request completed');
  if (m.errors + m.timeouts > 0) found.push(`${m.errors} errors, ${m.timeouts} timeouts`);
  const unexpected = Object.entries(m.statusCodes).filter(([code]) => code !== String(expect));
  if (unexpected.length > 0) found.push(`unexpected statuses ${JSON.stringify(Object.fromEntries(unexpected))}`);
  return found;
}
