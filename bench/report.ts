// The results: one console table while the run goes, then markdown tables for bench/README.md and the JSON
// file in bench/results/.
import type { Measurement } from './load.js';
import type { SizeName } from './options.js';

export interface Row {
  size: SizeName;
  scenario: string;
  against: string;
  folio: Measurement;
  baseline: Measurement;
  /** Folio req/s ÷ baseline req/s. */
  ratio: number;
  target?: number;
  /** Folio's highest RSS while it was under this scenario's load, MB. */
  folioRssMb: number;
  scales: boolean;
  cache?: 'hit' | 'no header';
}

export const RSS_LIMIT_MB = 250;
export const SCALE_LIMIT = 1.5;

const rps = (n: number) => n.toFixed(0);
const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));
const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? ' ✓' : ' ✗');

export function markdown(rows: Row[]): string {
  const lines = [
    '| data | scenario | Folio req/s | p50 ms | p99 ms | baseline | req/s | p50 ms | p99 ms | Folio/baseline | target | Folio RSS MB |',
    '| ---- | -------- | ----------: | -----: | -----: | -------- | ----: | -----: | -----: | -------------: | -----: | -----------: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.size} | ${r.scenario} | ${rps(r.folio.reqPerSec)} | ${ms(r.folio.p50Ms)} | ${ms(r.folio.p99Ms)} | ` +
        `${r.against} | ${rps(r.baseline.reqPerSec)} | ${ms(r.baseline.p50Ms)} | ${ms(r.baseline.p99Ms)} | ` +
        `${r.ratio.toFixed(2)}${verdict(r.target === undefined ? undefined : r.ratio >= r.target)} | ` +
        `${r.target === undefined ? '—' : `≥ ${r.target}`} | ${r.folioRssMb.toFixed(0)}${verdict(r.folioRssMb <= RSS_LIMIT_MB)} |`,
    );
  }
  const scaling = scalingRows(rows);
  if (scaling.length > 0) {
    lines.push(
      '',
      `| scenario | Folio p50 at 10k, ms | Folio p50 at 1m, ms | 1m / 10k | target |`,
      '| -------- | -------------------: | ------------------: | -------: | -----: |',
      ...scaling.map(
        (s) =>
          `| ${s.scenario} | ${ms(s.small)} | ${ms(s.large)} | ${s.ratio.toFixed(2)}${verdict(s.ratio <= SCALE_LIMIT)} | ≤ ${SCALE_LIMIT} |`,
      ),
    );
  }
  return lines.join('\n');
}

/** Per list scenario measured at both sizes: Folio's p50 at 1m over its p50 at 10k. */
export function scalingRows(rows: Row[]): { scenario: string; small: number; large: number; ratio: number }[] {
  const p50 = (size: SizeName, scenario: string) =>
    rows.find((r) => r.size === size && r.scenario === scenario)?.folio.p50Ms;
  const names = [...new Set(rows.filter((r) => r.scales).map((r) => r.scenario))];
  return names.flatMap((scenario) => {
    const [small, large] = [p50('10k', scenario), p50('1m', scenario)];
    if (small === undefined || large === undefined) return [];
    return [{ scenario, small, large, ratio: large / Math.max(small, 0.1) }];
  });
}

/** The targets the run missed, for the summary at the end. */
export function shortfalls(rows: Row[]): string[] {
  const found: string[] = [];
  for (const r of rows) {
    if (r.target !== undefined && r.ratio < r.target)
      found.push(`${r.size} ${r.scenario} vs ${r.against}: ${r.ratio.toFixed(2)} < ${r.target}`);
    const rss = `${r.size} ${r.scenario}: Folio RSS ${r.folioRssMb.toFixed(0)} MB > ${RSS_LIMIT_MB}`;
    if (r.folioRssMb > RSS_LIMIT_MB && !found.includes(rss)) found.push(rss);
  }
  for (const s of scalingRows(rows))
    if (s.ratio > SCALE_LIMIT) found.push(`${s.scenario}: p50 1m/10k ${s.ratio.toFixed(2)} > ${SCALE_LIMIT}`);
  return found;
}

export function progressLine(label: string, m: Measurement): string {
  return `${label} ${rps(m.reqPerSec).padStart(6)} req/s  p50 ${ms(m.p50Ms).padStart(5)} ms  p99 ${ms(m.p99Ms).padStart(5)} ms`;
}
