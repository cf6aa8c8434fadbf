import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/**
 * Comment totals per article for other modules' batch work (report exports): one grouped query per batch of
 * article ids, on `IDX_comments_article_created`. Lives here because the comments table is this module's.
 */
@Injectable()
export class CommentCounts {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every given id maps to its count of visible comments (0 when it has none; hidden ones are not counted). */
  async forArticles(articleIds: string[]): Promise<Map<string, number>> {
    const counts = new Map(articleIds.map((id) => [id, 0]));
    if (articleIds.length === 0) return counts;
    const rows: Array<{ article_id: string; n: number }> = await this.dataSource.query(
      'SELECT article_id, count(*)::int AS n FROM comments WHERE article_id = ANY($1::uuid[]) AND hidden_at IS NULL GROUP BY article_id',
      [articleIds],
    );
    for (const row of rows) counts.set(row.article_id, row.n);
    return counts;
  }
}
