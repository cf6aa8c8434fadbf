import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** One article as an export lists it (reports module). */
export interface ExportedArticle {
  id: string;
  slug: string;
  title: string;
  createdAt: Date;
  favoritesCount: number;
  /** In the author's order. */
  tagList: string[];
}

interface Row extends ExportedArticle {
  /** `created_at` as PostgreSQL prints it: the keyset position keeps its microseconds, a JS Date would not. */
  position: string;
}

/**
 * An author's articles for exports, oldest first, in keyset batches over `IDX_articles_author_created_id`:
 * memory stays at one batch whatever the number of articles, and no connection is held between batches
 * (a server-side cursor would pin one for as long as the consumer takes to write its PDF pages).
 */
@Injectable()
export class ArticleExport {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async count(authorId: string): Promise<number> {
    const [row] = await this.dataSource.query('SELECT count(*)::int AS n FROM articles WHERE author_id = $1', [
      authorId,
    ]);
    return row.n;
  }

  /** Yields batches of at most `batchSize` articles until the author's last one. */
  async *batches(authorId: string, batchSize: number): AsyncGenerator<ExportedArticle[]> {
    let after: { position: string; id: string } | undefined;
    for (;;) {
      const rows: Row[] = await this.dataSource.query(
        `SELECT a.id, a.slug, a.title, a.created_at AS "createdAt", a.created_at::text AS position,
                a.favorites_count AS "favoritesCount",
                COALESCE((SELECT array_agg(t.name ORDER BY at.position) FROM article_tags at
                           JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), '{}') AS "tagList"
           FROM articles a
          WHERE a.author_id = $1 AND ($2::timestamptz IS NULL OR (a.created_at, a.id) > ($2::timestamptz, $3::uuid))
          ORDER BY a.created_at, a.id
          LIMIT $4`,
        [authorId, after?.position ?? null, after?.id ?? null, batchSize],
      );
      if (rows.length === 0) return;
      const last = rows[rows.length - 1]!;
      after = { position: last.position, id: last.id };
      yield rows.map(({ position: _position, ...article }) => article);
      if (rows.length < batchSize) return;
    }
  }
}
