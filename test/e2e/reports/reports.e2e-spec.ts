import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { parse } from 'csv-parse/sync';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileStorage } from '../../../src/core/storage/file-storage.js';
import { createArticle } from '../../factories/articles.js';
import { registerUser, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, listenOnSocket, type TestApp, type TestResponse } from '../../setup/test-app.js';
import { applyEnvironment, useOwnJobsEnvironment } from '../../support/jobs.js';

/** pdfjs reads the 14 standard fonts' metrics from here to lay out text (and warns without them). */
const STANDARD_FONTS = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts/');

let t: TestApp;
let drop: () => Promise<void>;
let storageDir: string;
let baseUrl: string;

beforeAll(async () => {
  ({ drop } = await useOwnJobsEnvironment('reports', { backend: 'redis' }));
  storageDir = await mkdtemp(join(tmpdir(), 'folio-reports-'));
  applyEnvironment({ STORAGE_DIR: storageDir });
  t = await createTestApp();
  await listenOnSocket(t);
  baseUrl = await t.app.getUrl();
  baseUrl = baseUrl.replace('[::1]', '127.0.0.1');
});

afterAll(async () => {
  await t?.close();
  await drop?.();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
  delete process.env.STORAGE_DIR;
});

async function userId(user: RegisteredUser): Promise<string> {
  const [row] = await t.dataSource.query('SELECT id FROM users WHERE username = $1', [user.username]);
  return row.id;
}

/** `count` articles by SQL (faster than the API), titled `<prefix> <n>`, oldest first. */
async function insertArticles(user: RegisteredUser, count: number, prefix: string): Promise<void> {
  await t.dataSource.query(
    `INSERT INTO articles (slug, title, description, body, author_id, created_at)
     SELECT $2 || '-' || n, $2 || ' ' || n, 'bulk', 'bulk body', $1, now() - make_interval(secs => $3 - n)
       FROM generate_series(1, $3) AS n`,
    [await userId(user), prefix, count],
  );
}

async function requestReport(user: RegisteredUser, format: 'csv' | 'pdf'): Promise<TestResponse> {
  return t.request({ method: 'POST', url: '/api/v1/reports', token: user.token, body: { format } });
}

async function waitUntilReady(user: RegisteredUser, id: string): Promise<any> {
  let report: any;
  await vi.waitFor(
    async () => {
      const response = await t.request({ method: 'GET', url: `/api/v1/reports/${id}`, token: user.token });
      expect(response.status).toBe(200);
      report = response.body.report;
      expect(report.status).toBe('ready');
    },
    { timeout: 20_000, interval: 50 },
  );
  return report;
}

/** Over the socket, bytes as sent. */
async function download(user: RegisteredUser | undefined, id: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}/api/v1/reports/${id}/download`, {
    headers: { ...headers, ...(user ? { authorization: `Token ${user.token}` } : {}) },
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('reports', () => {
  it('exports a CSV through the outbox and the worker, whose rows match the API', async () => {
    const author = await registerUser(t);
    const [reader, follower] = [await registerUser(t), await registerUser(t)];
    const articles = [];
    for (let i = 0; i < 5; i += 1) {
      articles.push(await createArticle(t, author.token, { title: `=Report ${i}, "quoted"`, tagList: [`r${i}`, 'shared'] }));
    }
    for (const [index, article] of articles.entries()) {
      if (index % 2 === 0) {
        await t.request({ method: 'POST', url: `/api/articles/${article.slug}/favorite`, token: reader.token });
      }
      for (let c = 0; c < index; c += 1) {
        await t.request({
          method: 'POST',
          url: `/api/articles/${article.slug}/comments`,
          token: reader.token,
          body: { comment: { body: `comment ${c}` } },
        });
      }
    }
    await t.request({ method: 'POST', url: `/api/profiles/${author.username}/follow`, token: follower.token });

    const created = await requestReport(author, 'csv');
    expect(created.status).toBe(202);
    const id = created.body.report.id;
    expect(created.headers.location).toBe(`/api/v1/reports/${id}`);
    expect(created.body.report).toMatchObject({ format: 'csv', status: 'queued', progress: 0, downloadUrl: null });
    const [event] = await t.dataSource.query('SELECT topic, payload FROM outbox_messages WHERE key = $1', [id]);
    expect(event).toEqual({ topic: 'reports.report-requested', payload: { reportId: id } });

    const report = await waitUntilReady(author, id);
    expect(report).toMatchObject({ progress: 100, rowCount: 5, downloadUrl: `/api/v1/reports/${id}/download` });
    expect(new Date(report.expiresAt).getTime() - new Date(report.finishedAt).getTime()).toBe(24 * 3_600_000);

    // fetch accepts gzip/br: the CSV is compressed on the fly (the ETag hook leaves streams alone) and arrives whole.
    const file = await download(author, id);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-encoding')).toMatch(/^(br|gzip|deflate)$/);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="folio-articles-\d{4}-\d\d-\d\d-[0-9a-f]{8}\.csv"$/);
    const rows: Array<Record<string, string>> = parse(file.bytes, { columns: true });
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      const article = (await t.request({ method: 'GET', url: `/api/articles/${row.slug}` })).body.article;
      const comments = (await t.request({ method: 'GET', url: `/api/articles/${row.slug}/comments` })).body.comments;
      expect(row).toEqual({
        slug: article.slug,
        // A cell starting with "=" would be a formula in a spreadsheet: it is kept as text.
        title: `'${article.title}`,
        createdAt: article.createdAt,
        favoritesCount: String(article.favoritesCount),
        commentsCount: String(comments.length),
        tags: article.tagList.join(';'),
        followersCount: '1',
      });
    }
    expect(rows.map((row) => row.commentsCount)).toEqual(['0', '1', '2', '3', '4']);

    // Uncompressed, the stored file goes out as is, with its length.
    const identity = await download(author, id, { 'accept-encoding': 'identity' });
    expect(identity.headers.get('content-length')).toBe(String(report.sizeBytes));
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(identity.bytes.equals(file.bytes)).toBe(true);

    const list = await t.request({ method: 'GET', url: '/api/v1/reports', token: author.token });
    expect(list.body.reports.map((r: any) => r.id)).toEqual([id]);
  });

  it('shows the progress moving on a larger export, and the job reports it too', async () => {
    const author = await registerUser(t);
    await insertArticles(author, 4_000, `bulk-${author.username}`);
    const id = (await requestReport(author, 'csv')).body.report.id;
    const seen = new Set<number>();
    let status = 'queued';
    const deadline = Date.now() + 30_000;
    while (status !== 'ready' && Date.now() < deadline) {
      const response = await t.request({ method: 'GET', url: `/api/v1/reports/${id}`, token: author.token });
      ({ status } = response.body.report);
      seen.add(response.body.report.progress);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(status).toBe('ready');
    const between = [...seen].filter((value) => value > 0 && value < 100);
    expect(between.length).toBeGreaterThan(1);
    expect([...seen].sort((a, b) => a - b).at(-1)).toBe(100);
    const job = await t.app.get<Queue>(getQueueToken('reports')).getJob(`reports.report-requested.${id}`);
    expect(job?.progress).toBe(100);
    const file = await download(author, id);
    expect(parse(file.bytes, { columns: true })).toHaveLength(4_000);
  }, 45_000);

  it('exports a PDF with a title page and 40 articles a page', async () => {
    const author = await registerUser(t);
    await insertArticles(author, 84, 'pdf');
    const newest = await createArticle(t, author.token, { title: 'The newest of many', tagList: ['pdfkit'] });
    const id = (await requestReport(author, 'pdf')).body.report.id;
    const report = await waitUntilReady(author, id);
    expect(report.rowCount).toBe(85);

    const file = await download(author, id);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-length')).toBe(String(report.sizeBytes));
    const pdf = await getDocument({ data: new Uint8Array(file.bytes), standardFontDataUrl: STANDARD_FONTS }).promise;
    expect(pdf.numPages).toBe(1 + Math.ceil(85 / 40));
    const pageText = async (n: number) =>
      (await (await pdf.getPage(n)).getTextContent()).items.map((item: any) => item.str ?? '').join(' ');
    const title = await pageText(1);
    expect(title).toContain(`Articles by ${author.username}`);
    expect(title).toMatch(/Articles:\s+85/);
    expect(title).toMatch(/Followers:\s+0/);
    // Oldest first: pdf 1 to 40, 41 to 80, then 81 to 84 and the newest.
    expect(await pageText(2)).toMatch(/^Articles by \S+: page 1 .*pdf 1 .*pdf 40 /);
    expect(await pageText(4)).toContain('pdf 84');
    expect(await pageText(4)).toContain(newest.title);
    expect(await pageText(4)).toContain('pdfkit');
    await pdf.destroy();
  });

  it('keeps reports to their owner, and validates what it is sent', async () => {
    const owner = await registerUser(t);
    const other = await registerUser(t);
    const id = (await requestReport(owner, 'csv')).body.report.id;
    await waitUntilReady(owner, id);

    const foreign = await t.request({ method: 'GET', url: `/api/v1/reports/${id}`, token: other.token });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('REPORT_NOT_FOUND');
    expect((await download(other, id)).status).toBe(404);
    expect((await t.request({ method: 'GET', url: `/api/v1/reports/${crypto.randomUUID()}`, token: owner.token })).status).toBe(404);
    expect((await t.request({ method: 'GET', url: `/api/v1/reports/${id}` })).status).toBe(401);
    expect((await download(undefined, id)).status).toBe(401);
    expect((await t.request({ method: 'POST', url: '/api/v1/reports', body: { format: 'csv' } })).status).toBe(401);

    const badFormat = await requestReport(owner, 'xlsx' as 'csv');
    expect(badFormat.status).toBe(422);
    expect(badFormat.body.errors[0].field).toBe('format');
    const badId = await t.request({ method: 'GET', url: '/api/v1/reports/not-a-uuid', token: owner.token });
    expect(badId.status).toBe(422);
  });

  it('answers 409 before the file is ready, and limits reports in progress to 3', async () => {
    const user = await registerUser(t);
    // Rows without their outbox event: no job picks them up, they stay queued.
    const rows: Array<{ id: string }> = await t.dataSource.query(
      `INSERT INTO reports (owner_id, format) SELECT $1, 'csv' FROM generate_series(1, 3) RETURNING id`,
      [await userId(user)],
    );
    const notReady = await download(user, rows[0]!.id);
    expect(notReady.status).toBe(409);
    expect(JSON.parse(notReady.bytes.toString()).code).toBe('REPORT_NOT_READY');
    const limited = await requestReport(user, 'pdf');
    expect(limited.status).toBe(409);
    expect(limited.body.code).toBe('REPORT_LIMIT_REACHED');
    await t.dataSource.query(`UPDATE reports SET status = 'failed' WHERE id = $1`, [rows[0]!.id]);
    expect((await requestReport(user, 'pdf')).status).toBe(202);
  });

  it('purges expired files on schedule: the file is gone and the download answers 410', async () => {
    const queue = t.app.get<Queue>(getQueueToken('reports'));
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toContain('reports-purge');

    const user = await registerUser(t);
    await createArticle(t, user.token);
    const id = (await requestReport(user, 'csv')).body.report.id;
    await waitUntilReady(user, id);
    const [{ file_key: fileKey }] = await t.dataSource.query('SELECT file_key FROM reports WHERE id = $1', [id]);
    const storage = t.app.get(FileStorage);
    expect(await storage.exists(fileKey)).toBe(true);

    await t.dataSource.query(`UPDATE reports SET expires_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    // Past its expiry the file is refused even before the purge ran.
    expect((await download(user, id)).status).toBe(410);

    await queue.add('purge-expired', { payload: {} });
    await vi.waitFor(
      async () => {
        const [row] = await t.dataSource.query('SELECT status FROM reports WHERE id = $1', [id]);
        expect(row.status).toBe('expired');
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(await storage.exists(fileKey)).toBe(false);
    const gone = await download(user, id);
    expect(gone.status).toBe(410);
    expect(JSON.parse(gone.bytes.toString()).code).toBe('REPORT_EXPIRED');
    const shown = await t.request({ method: 'GET', url: `/api/v1/reports/${id}`, token: user.token });
    expect(shown.body.report).toMatchObject({ status: 'expired', downloadUrl: null });
  });

  it('generates idempotently: a ready report is left alone, one caught mid-way by a crash is made again', async () => {
    const queue = t.app.get<Queue>(getQueueToken('reports'));
    const user = await registerUser(t);
    await createArticle(t, user.token, { title: 'Made twice' });
    const id = (await requestReport(user, 'csv')).body.report.id;
    const ready = await waitUntilReady(user, id);
    const before = (await download(user, id)).bytes;

    // The same event handed over again (another job id, as after a relay crash): nothing changes.
    const again = await queue.add('generate', { payload: { reportId: id } });
    await vi.waitFor(async () => expect(await again.isCompleted()).toBe(true), { timeout: 10_000 });
    expect((await queue.getJob(again.id!))?.returnvalue).toBe(false);
    const unchanged = await t.request({ method: 'GET', url: `/api/v1/reports/${id}`, token: user.token });
    expect(unchanged.body.report.finishedAt).toBe(ready.finishedAt);

    // A worker that died while running it: the retry starts over and replaces the file whole.
    await t.dataSource.query(`UPDATE reports SET status = 'running', progress = 40 WHERE id = $1`, [id]);
    const rerun = await queue.add('generate', { payload: { reportId: id } });
    await vi.waitFor(async () => expect(await rerun.isCompleted()).toBe(true), { timeout: 10_000 });
    const remade = await waitUntilReady(user, id);
    expect(remade.finishedAt).not.toBe(ready.finishedAt);
    const after = (await download(user, id)).bytes;
    expect(after.equals(before)).toBe(true);
    expect(parse(after, { columns: true })).toEqual([expect.objectContaining({ title: 'Made twice' })]);
  });

  it('has a migration that matches the entity', async () => {
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query).filter((query) => query.includes('"reports"'))).toEqual([]);
  });
});
