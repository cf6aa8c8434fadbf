import type { ModuleRef } from '@nestjs/core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ReadDatabase } from '../database/read-database.js';
import { JobRegistry } from '../jobs/job-registry.js';
import { DbPoolCollector } from './db-pool.collector.js';
import { FolioMetrics } from './folio-metrics.js';
import { QueueDepthCollector } from './queue-depth.collector.js';

const dashboardPath = fileURLToPath(new URL('../../../ops/grafana/folio-red.json', import.meta.url));

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
}

/** Every series name Folio's registry can expose (a histogram as its _bucket, _sum and _count). */
function exportedNames(): Set<string> {
  const metrics = new FolioMetrics();
  new DbPoolCollector(metrics, { primaryPool: () => undefined } as unknown as ReadDatabase);
  new QueueDepthCollector(metrics, new JobRegistry(), {} as ModuleRef);
  const names = new Set<string>();
  for (const metric of metrics.registries().flatMap((registry) => registry.getMetricsAsArray())) {
    const { name, type } = metric as unknown as { name: string; type: string };
    names.add(name);
    if (type === 'histogram' || type === 'summary')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
]);

/** The metric names a PromQL expression reads: identifiers outside label matchers, ranges and strings, not called. */
function metricNamesOf(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  return [...bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?/g)]
    .filter(([, name, call]) => call === undefined && !KEYWORDS.has(name!))
    .map(([, name]) => name!);
}

describe('the Grafana dashboard (ops/grafana/folio-red.json)', () => {
  const dashboard = JSON.parse(readFileSync(dashboardPath, 'utf8')) as { uid: string; panels: Panel[] };
  const panels = dashboard.panels.filter((panel) => panel.type !== 'row');

  it('reads only metrics Folio exports, in every expression of every panel', () => {
    const exported = exportedNames();
    expect(panels.length).toBeGreaterThan(0);
    for (const panel of panels) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const { expr } of panel.targets ?? []) {
        const names = metricNamesOf(expr);
        expect(names.length, `${panel.title}: ${expr}`).toBeGreaterThan(0);
        for (const name of names) expect(exported.has(name), `${panel.title}: ${name} is not exported`).toBe(true);
      }
    }
  });

  it('has the RED panels (rate, 5xx errors, p50/p95/p99 by route) and pool, queue depth and event-loop lag', () => {
    const exprs = panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
    expect(exprs.some((e) => /rate\(http_server_requests_total\{[^}]*\}/.test(e) && e.includes('by (route)'))).toBe(
      true,
    );
    expect(exprs.some((e) => e.includes('status=~"5.."'))).toBe(true);
    for (const quantile of ['0.5', '0.95', '0.99']) {
      expect(
        exprs.some(
          (e) =>
            e.startsWith(`histogram_quantile(${quantile},`) &&
            e.includes('http_server_request_duration_seconds_bucket') &&
            e.includes('le, route'),
        ),
        `p${Number(quantile) * 100}`,
      ).toBe(true);
    }
    for (const metric of [
      'folio_db_pool_connections',
      'folio_db_pool_waiting_requests',
      'folio_queue_jobs',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(
        exprs.some((e) => metricNamesOf(e).includes(metric)),
        metric,
      ).toBe(true);
    }
  });

  it('recognises metric names in PromQL, and not functions, labels or keywords', () => {
    expect(
      metricNamesOf(
        'histogram_quantile(0.95, sum by (le, route) (rate(x_bucket{job=~"$job",a="b{c}"}[$__rate_interval]))) / y',
      ),
    ).toEqual(['x_bucket', 'y']);
  });
});
