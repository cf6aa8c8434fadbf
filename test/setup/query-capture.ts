import pg from 'pg';

/**
 * Records the SQL statements sent to PostgreSQL while `work` runs, from every path (TypeORM's query runners and
 * the reads that go straight to its pg pools, see ReadDatabase): pg's `Client#query` is wrapped for the duration.
 * Process-wide: nothing else in the test's process may query meanwhile.
 */
export async function captureQueries(work: () => Promise<unknown>): Promise<string[]> {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  const queries: string[] = [];
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const [config] = args;
    const text = typeof config === 'string' ? config : (config as { text?: string } | undefined)?.text;
    if (typeof text === 'string') queries.push(text.replace(/\s+/g, ' ').trim());
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    prototype.query = original;
  }
  return queries;
}
