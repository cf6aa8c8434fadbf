import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface ArticleSummary {
  id: string;
  slug: string;
  title: string;
  authorId: string;
  createdAt: Date;
}

/**
 * Small reads of articles for background work (notification mails, digests). They run on the primary: a job
 * starts right after the write that caused it, before a replica may have it.
 */
@Injectable()
export class ArticleSummaries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Unknown ids are left out. */
  findSummaries(ids: string[]): Promise<ArticleSummary[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT id, slug, title, author_id AS "authorId", created_at AS "createdAt" FROM articles WHERE id = ANY($1)`,
      [[...new Set(ids)]],
    );
  }

  /**
   * Authors who published since `since`: where a digest starts (bounded by a day's publications). Hidden
   * articles (docs/moderation.md) are in no digest, as in no feed.
   */
  async authorsWithArticlesSince(since: Date): Promise<string[]> {
    const rows: Array<{ author_id: string }> = await this.dataSource.query(
      'SELECT DISTINCT author_id FROM articles WHERE created_at >= $1 AND hidden_at IS NULL',
      [since],
    );
    return rows.map((row) => row.author_id);
  }

  /** The newest `limit` articles of these authors since `since`, newest first (index `articles (author_id, created_at, id)`). */
  newByAuthorsSince(authorIds: string[], since: Date, limit: number): Promise<ArticleSummary[]> {
    if (authorIds.length === 0 || limit <= 0) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT id, slug, title, author_id AS "authorId", created_at AS "createdAt" FROM articles
        WHERE author_id = ANY($1) AND created_at >= $2 AND hidden_at IS NULL ORDER BY created_at DESC, id DESC LIMIT $3`,
      [authorIds, since, limit],
    );
  }
}
