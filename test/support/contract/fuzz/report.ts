// Failures as a reader needs them: grouped into distinct defects, each with one replayable example.
import { describeResponse, toCurl } from '../http.js';
import type { CaseRecord, FuzzSession } from './runner.js';

export interface FailureGroup {
  /** Operation, kind of change and the set of broken properties: one defect. */
  key: string;
  count: number;
  example: CaseRecord;
}

const problemsOf = (record: CaseRecord) =>
  [...new Set(record.problems.map((p) => `${p.rule}: ${p.key}`))].sort().join(' | ');

/** Failing cases grouped per operation, change family and broken properties, most frequent first. */
export function groupFailures(records: CaseRecord[], acrossOperations = false): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const record of records) {
    const where = acrossOperations ? '' : `${record.operation.key} | `;
    const key = `${where}${record.fuzzCase.family} → ${problemsOf(record)}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { key, count: 1, example: record });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export function replayCommand(record: CaseRecord): string {
  const { seed, op, path } = record.replay;
  return `npm run fuzz -- --seed ${seed} --op ${op} --path ${path}`;
}

/** One failing case: what changed, what broke, how to send it again, what came back. */
export function formatCase(baseUrl: string, record: CaseRecord): string {
  const expect = record.fuzzCase.expect;
  const lines = [
    `  case: ${record.operation.key} (${record.operation.id}), ${record.fuzzCase.label}` +
      (expect ? `; expected ${expect.statuses.join(' or ')}: ${expect.why}` : ''),
    ...record.problems.map((p) => `  ✗ ${p.rule}: ${p.detail}`),
    `  replay: ${replayCommand(record)}`,
    `  $ ${toCurl(baseUrl, record.request)}`,
    ...(record.response ? describeResponse(record.response).split('\n') : ['(no response)']).map((l) => `  < ${l}`),
  ];
  return lines.join('\n');
}

export function formatFailures(baseUrl: string, records: CaseRecord[]): string {
  return groupFailures(records)
    .map(
      (group) =>
        `✗ ${group.key} (${group.count} case${group.count === 1 ? '' : 's'})\n${formatCase(baseUrl, group.example)}`,
    )
    .join('\n\n');
}

/** The same defect seen on several operations, one line each: the list to act on. */
export function formatDefects(records: CaseRecord[]): string {
  const byDefect = new Map<string, { ops: Set<string>; count: number; example: CaseRecord }>();
  for (const record of records) {
    const key = `${record.fuzzCase.family} → ${problemsOf(record)}`;
    const entry = byDefect.get(key) ?? { ops: new Set<string>(), count: 0, example: record };
    entry.ops.add(record.operation.id);
    entry.count += 1;
    byDefect.set(key, entry);
  }
  return [...byDefect.entries()]
    .sort(([a, x], [b, y]) => y.count - x.count || a.localeCompare(b))
    .map(
      ([key, e]) =>
        `- ${key}\n    ${e.count} case(s) on ${[...e.ops].sort().join(', ')}; e.g. ${replayCommand(e.example)}`,
    )
    .join('\n');
}

export function formatSummary(session: FuzzSession): string {
  const outcomes = [...session.byStatus.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  const distinct = groupFailures(session.failures).length;
  return [
    `contract fuzz: ${session.requests} requests (${session.client.sent} with setup) in ${(session.elapsedMs / 1000).toFixed(1)} s, seed ${session.config.seed}`,
    `  outcomes by status: ${outcomes || 'none'}`,
    `  failing cases: ${session.failures.length} (${distinct} distinct per operation)`,
  ].join('\n');
}
