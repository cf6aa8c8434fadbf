import PDFDocument from 'pdfkit';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReportRow, ReportSummary } from './report-row.js';

/** Articles per list page: the document has `1 + ceil(articles / ROWS_PER_PAGE)` pages (docs/reports.md). */
export const ROWS_PER_PAGE = 40;
/** Bytes the document may hold unread before the writer waits for storage to catch up. */
const MAX_UNREAD_BYTES = 1 << 20;

const LEFT = 50;
const ROW_HEIGHT = 16;
const COLUMNS = [
  { label: 'Title', x: LEFT, width: 230 },
  { label: 'Created', x: 285, width: 70 },
  { label: 'Favorites', x: 360, width: 55 },
  { label: 'Comments', x: 420, width: 55 },
  { label: 'Tags', x: 480, width: 70 },
];

export function pdfPageCount(articles: number): number {
  return 1 + Math.ceil(articles / ROWS_PER_PAGE);
}

/** Clips to `length` characters: every line stays one line, so the page count stays predictable. */
function clip(value: string, length: number): string {
  return value.length <= length ? value : `${value.slice(0, length - 1)}…`;
}

/**
 * The PDF export, streamed: a title page with the totals, then the articles, `ROWS_PER_PAGE` to a page (each
 * text is placed at a fixed position without line breaks, so pdfkit never adds a page of its own). Pages are
 * flushed to the stream as they are finished, never buffered whole.
 */
export function pdfReport(rows: AsyncIterable<ReportRow>, summary: ReportSummary): Readable {
  const doc = new PDFDocument({
    size: 'A4',
    margin: LEFT,
    info: { Title: `Articles by ${summary.username}`, Creator: 'Folio' },
  });
  titlePage(doc, summary);
  void (async () => {
    let index = 0;
    for await (const row of rows) {
      if (index % ROWS_PER_PAGE === 0) {
        if (doc.readableLength > MAX_UNREAD_BYTES) await drained(doc);
        listPage(doc, summary, index / ROWS_PER_PAGE + 1);
      }
      const y = 95 + (index % ROWS_PER_PAGE) * ROW_HEIGHT;
      const cells = [
        clip(row.title, 48),
        row.createdAt.toISOString().slice(0, 10),
        String(row.favoritesCount),
        String(row.commentsCount),
        clip(row.tags.join(', '), 14),
      ];
      doc.font('Helvetica').fontSize(9);
      cells.forEach((cell, i) => doc.text(cell, COLUMNS[i]!.x, y, { width: COLUMNS[i]!.width, lineBreak: false }));
      index += 1;
    }
    doc.end();
  })().catch((error: unknown) => doc.destroy(error as Error));
  return doc;
}

function titlePage(doc: PDFKit.PDFDocument, summary: ReportSummary): void {
  doc.font('Helvetica-Bold').fontSize(22).text(`Articles by ${summary.username}`, LEFT, 80, { lineBreak: false });
  doc.font('Helvetica').fontSize(11).text(`Generated ${summary.generatedAt.toISOString()}`, LEFT, 115, { lineBreak: false });
  const totals: Array<[string, number]> = [
    ['Articles', summary.articles],
    ['Favorites', summary.favorites],
    ['Comments', summary.comments],
    ['Followers', summary.followers],
  ];
  totals.forEach(([label, value], i) => {
    doc.font('Helvetica-Bold').fontSize(13).text(`${label}:`, LEFT, 160 + i * 24, { lineBreak: false });
    doc.font('Helvetica').fontSize(13).text(String(value), LEFT + 100, 160 + i * 24, { lineBreak: false });
  });
}

function listPage(doc: PDFKit.PDFDocument, summary: ReportSummary, page: number): void {
  doc.addPage();
  doc.font('Helvetica-Bold').fontSize(12).text(`Articles by ${summary.username}: page ${page}`, LEFT, 50, { lineBreak: false });
  doc.fontSize(9);
  for (const column of COLUMNS) doc.text(column.label, column.x, 75, { width: column.width, lineBreak: false });
}

/** Waits until the consumer has read most of what is buffered (pdfkit pushes without asking). */
async function drained(doc: PDFKit.PDFDocument): Promise<void> {
  while (doc.readableLength > MAX_UNREAD_BYTES / 4 && !doc.destroyed) await sleep(5);
}
