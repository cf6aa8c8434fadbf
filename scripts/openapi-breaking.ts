import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiDiff from 'openapi-diff';

/**
 * `npm run openapi:breaking`: compares the committed `openapi/openapi.json` with its version on the
 * previous commit (`git show HEAD~1:openapi/openapi.json`) and fails on a breaking change under `/api`
 * (the RealWorld contract that frontends depend on) unless `openapi/breaking-changes.json` accepts it.
 * Other routes (health probes, docs) are for operators and may change with the deployment.
 */

type Difference = openapiDiff.DiffResult<openapiDiff.DiffResultType>;

/** An entry of `openapi/breaking-changes.json`: the id this script prints, and why the break is intended. */
export interface AcceptedChange {
  id: string;
  reason: string;
}

export interface Decision {
  /** Breaking `/api` differences nobody accepted: the check fails on these. */
  blocking: string[];
  /** Breaking `/api` differences listed in the marker file. */
  accepted: AcceptedChange[];
  /** Marker entries that match nothing in this diff (the change is older than HEAD~1): safe to delete. */
  unused: AcceptedChange[];
}

export const DOCUMENT = 'openapi/openapi.json';
export const MARKER = 'openapi/breaking-changes.json';

/** A stable, readable id: the openapi-diff code and where the change is, e.g. `path.remove paths./api/tags`. */
export function differenceId(difference: Difference): string {
  const where = [...difference.sourceSpecEntityDetails, ...difference.destinationSpecEntityDetails][0];
  return `${difference.code} ${where?.location ?? '(document)'}`;
}

function touchesApi(difference: Difference): boolean {
  return [...difference.sourceSpecEntityDetails, ...difference.destinationSpecEntityDetails].some((detail) =>
    /^paths\.\/api(?:[/.]|$)/.test(detail.location),
  );
}

export async function diffDocuments(previous: object, current: object): Promise<openapiDiff.DiffOutcome> {
  return openapiDiff.diffSpecs({
    sourceSpec: { content: JSON.stringify(previous), location: `HEAD~1:${DOCUMENT}`, format: 'openapi3' },
    destinationSpec: { content: JSON.stringify(current), location: DOCUMENT, format: 'openapi3' },
  });
}

/** The ids of the breaking differences under `/api`; additions and other routes never count. */
export function breakingApiChanges(outcome: openapiDiff.DiffOutcome): string[] {
  if (!outcome.breakingDifferencesFound) return [];
  return outcome.breakingDifferences.filter(touchesApi).map(differenceId);
}

export function decide(breaking: string[], marker: AcceptedChange[]): Decision {
  const byId = new Map(marker.map((entry) => [entry.id, entry]));
  return {
    blocking: breaking.filter((id) => !byId.has(id)),
    accepted: breaking.flatMap((id) => byId.get(id) ?? []),
    unused: marker.filter((entry) => !breaking.includes(entry.id)),
  };
}

/** Reads the marker file; a missing file is an empty list, a malformed one an error (never a silent pass). */
export function parseMarker(text: string | undefined): AcceptedChange[] {
  if (text === undefined) return [];
  const entries: unknown = JSON.parse(text);
  if (!Array.isArray(entries)) throw new Error(`${MARKER} must be a JSON array of {"id","reason"}`);
  return entries.map((entry, index) => {
    const { id, reason } = (entry ?? {}) as Partial<AcceptedChange>;
    if (typeof id !== 'string' || typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`${MARKER}[${index}] needs a string "id" and a non-empty "reason"`);
    }
    return { id, reason };
  });
}

function previousDocument(): string | undefined {
  try {
    return execFileSync('git', ['show', `HEAD~1:${DOCUMENT}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const previous = previousDocument();
  if (previous === undefined) {
    console.log(`openapi:breaking: no ${DOCUMENT} on HEAD~1 (or no git history); nothing to compare, passing.`);
    return 0;
  }
  const current = JSON.parse(await readFile(DOCUMENT, 'utf8'));
  const marker = parseMarker(await readFile(MARKER, 'utf8').catch(() => undefined));
  const decision = decide(breakingApiChanges(await diffDocuments(JSON.parse(previous), current)), marker);

  for (const entry of decision.accepted) console.log(`accepted breaking change: ${entry.id} (${entry.reason})`);
  for (const entry of decision.unused) console.log(`${MARKER}: "${entry.id}" no longer applies; it may be removed`);
  if (decision.blocking.length === 0) {
    console.log('openapi:breaking: no unaccepted breaking change under /api since HEAD~1.');
    return 0;
  }
  console.error(`openapi:breaking: ${decision.blocking.length} breaking change(s) under /api since HEAD~1:`);
  for (const id of decision.blocking) console.error(`  ${id}`);
  console.error(
    `If intended, add each to ${MARKER} as {"id": "<id above>", "reason": "why clients may break"} in the same change.`,
  );
  return 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
