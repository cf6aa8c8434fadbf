/** What one named limit said about one request. */
export interface RateLimitOutcome {
  name: string;
  limit: number;
  windowSeconds: number;
  remaining: number;
  /** Seconds until the window ends, or until the block ends when blocked. */
  resetSeconds: number;
  blocked: boolean;
}

/** The rate-limit fields Folio sends, in the IETF draft's names (draft-ietf-httpapi-ratelimit-headers-06). */
export const RATE_LIMIT_HEADERS = [
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
  'Retry-After',
] as const;

/**
 * One set of fields for all the limits a request went through: `RateLimit-Limit`, `-Remaining` and `-Reset`
 * describe the limit closest to refusing (the blocking one on a 429), `RateLimit-Policy` lists every limit as
 * `<limit>;w=<window seconds>`, and a 429 carries `Retry-After` in seconds.
 */
export function rateLimitHeaders(outcomes: readonly RateLimitOutcome[]): Record<string, string> {
  if (outcomes.length === 0) return {};
  const tightest = outcomes.reduce((worst, outcome) => (isTighter(outcome, worst) ? outcome : worst));
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(tightest.limit),
    'RateLimit-Remaining': String(tightest.remaining),
    'RateLimit-Reset': String(Math.max(0, tightest.resetSeconds)),
    'RateLimit-Policy': outcomes.map((outcome) => `${outcome.limit};w=${outcome.windowSeconds}`).join(', '),
  };
  if (tightest.blocked) headers['Retry-After'] = String(Math.max(1, tightest.resetSeconds));
  return headers;
}

function isTighter(candidate: RateLimitOutcome, current: RateLimitOutcome): boolean {
  if (candidate.blocked !== current.blocked) return candidate.blocked;
  if (candidate.remaining !== current.remaining) return candidate.remaining < current.remaining;
  return candidate.resetSeconds > current.resetSeconds;
}
