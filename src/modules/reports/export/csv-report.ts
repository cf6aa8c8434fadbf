import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import type { ReportRow } from './report-row.js';

export const CSV_COLUMNS = ['slug', 'title', 'createdAt', 'favoritesCount', 'commentsCount', 'tags', 'followersCount'];

/**
 * A spreadsheet opens a cell starting with one of these as a formula (CSV injection): such text cells get a
 * leading apostrophe, which spreadsheets hide and read as "this is text".
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function text(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * The CSV export: a header line, then one line per article (RFC 4180 quoting by csv-stringify), produced as
 * `rows` yields them. `tags` is the article's tags joined by `;`; `followersCount` (the author's) repeats on
 * every line so that each line stands alone.
 */
export function csvReport(rows: AsyncIterable<ReportRow>, followersCount: number): Readable {
  async function* records() {
    for await (const row of rows) {
      yield [
        row.slug,
        text(row.title),
        row.createdAt.toISOString(),
        row.favoritesCount,
        row.commentsCount,
        text(row.tags.join(';')),
        followersCount,
      ];
    }
  }
  const source = Readable.from(records());
  const csv = stringify({ header: true, columns: CSV_COLUMNS });
  // pipe() does not forward errors: a failed batch query must fail the write, not leave it waiting.
  source.on('error', (error) => csv.destroy(error));
  return source.pipe(csv);
}
