import { Inject, Injectable, Logger } from '@nestjs/common';
import { reportsConfig, type ReportsConfig } from '../../core/config/app.config.js';
import { FileStorage } from '../../core/storage/file-storage.js';
import { ArticleExport } from '../articles/index.js';
import { CommentCounts } from '../comments/index.js';
import { IdentityService } from '../identity/index.js';
import { FollowerCounts } from '../profiles/index.js';
import { csvReport } from './export/csv-report.js';
import { pdfReport } from './export/pdf-report.js';
import type { ReportRow, ReportSummary } from './export/report-row.js';
import type { ReportEntity } from './report.entity.js';
import { ReportsRepository } from './reports.repository.js';

/** Progress is written when it has moved by at least this many points (and at 100 on completion). */
const PROGRESS_STEP = 5;
const MIN_BATCH = 50;
const MAX_BATCH = 1_000;

export type ProgressListener = (progress: number) => Promise<void>;

/** Where a report's file is stored. */
export function reportFileKey(report: Pick<ReportEntity, 'id' | 'ownerId' | 'format'>): string {
  return `reports/${report.ownerId}/${report.id}.${report.format}`;
}

/**
 * The `generate` job's use case: streams the owner's articles (batches of about 5 % of them, 50 to 1 000
 * rows) through the CSV or PDF writer into `FileStorage`, writing the progress as it goes. Memory holds one
 * batch and the writer's buffer, whatever the number of articles. Idempotent: a ready or expired report is
 * left alone; a report caught mid-way by a crash starts over and its file is replaced whole.
 */
@Injectable()
export class ReportGenerator {
  private readonly logger = new Logger('ReportGenerator');

  constructor(
    private readonly reports: ReportsRepository,
    private readonly articles: ArticleExport,
    private readonly comments: CommentCounts,
    private readonly followers: FollowerCounts,
    private readonly identity: IdentityService,
    private readonly storage: FileStorage,
    @Inject(reportsConfig.KEY) private readonly config: ReportsConfig,
  ) {}

  /** Returns false when there was nothing to do (unknown, ready or expired report). */
  async generate(reportId: string, onProgress: ProgressListener): Promise<boolean> {
    const report = await this.reports.findById(reportId);
    if (!report || !(await this.reports.start(reportId))) return false;
    const total = await this.articles.count(report.ownerId);
    const followers = await this.followers.count(report.ownerId);
    let written = 0;
    let reported = 0;
    const progress = async (rows: number) => {
      written += rows;
      // 99 at most until the file is stored: 100 means "ready".
      const value = total === 0 ? 99 : Math.min(99, Math.floor((written / total) * 100));
      if (value - reported < PROGRESS_STEP) return;
      reported = value;
      await this.reports.setProgress(reportId, value);
      await onProgress(value);
    };
    const batchSize = Math.min(MAX_BATCH, Math.max(MIN_BATCH, Math.ceil(total / 20)));
    const content =
      report.format === 'csv'
        ? csvReport(this.rows(report.ownerId, batchSize, progress), followers)
        : pdfReport(this.rows(report.ownerId, batchSize, progress), await this.summary(report.ownerId, followers));
    const fileKey = reportFileKey(report);
    const { sizeBytes } = await this.storage.write(fileKey, content);
    await this.reports.finish(reportId, { fileKey, sizeBytes, rowCount: written, ttlMs: this.config.ttlMs });
    await onProgress(100);
    this.logger.log(`report ${reportId} ready: ${written} rows, ${sizeBytes} bytes`);
    return true;
  }

  /** Marks the report failed (the job used its last attempt). */
  async fail(reportId: string, error: unknown): Promise<void> {
    await this.reports.fail(reportId, error instanceof Error ? error.message : String(error));
  }

  private async *rows(
    ownerId: string,
    batchSize: number,
    progress: (rows: number) => Promise<void>,
  ): AsyncGenerator<ReportRow> {
    for await (const batch of this.articles.batches(ownerId, batchSize)) {
      const comments = await this.comments.forArticles(batch.map((article) => article.id));
      for (const article of batch) {
        yield {
          slug: article.slug,
          title: article.title,
          createdAt: article.createdAt,
          favoritesCount: article.favoritesCount,
          commentsCount: comments.get(article.id) ?? 0,
          tags: article.tagList,
        };
      }
      await progress(batch.length);
    }
  }

  /**
   * The title page's totals come before the rows: one pass over the batches (ids and counts only) adds them
   * up, so the document can still be streamed rather than buffered to write page 1 last.
   */
  private async summary(ownerId: string, followers: number): Promise<ReportSummary> {
    let articles = 0;
    let favorites = 0;
    let comments = 0;
    for await (const batch of this.articles.batches(ownerId, MAX_BATCH)) {
      const counts = await this.comments.forArticles(batch.map((article) => article.id));
      articles += batch.length;
      for (const article of batch) favorites += article.favoritesCount;
      for (const count of counts.values()) comments += count;
    }
    const [owner] = await this.identity.findPublicUsers([ownerId]);
    return { username: owner?.username ?? 'unknown user', generatedAt: new Date(), articles, favorites, comments, followers };
  }
}
