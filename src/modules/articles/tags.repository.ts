import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

@Injectable()
export class TagsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Tags in use, most used first (ties by name). Served from the maintained counter and its index. */
  async mostUsed(limit: number): Promise<string[]> {
    const rows: { name: string }[] = await this.dataSource.query(
      'SELECT name FROM tags WHERE articles_count > 0 ORDER BY articles_count DESC, name ASC LIMIT $1',
      [limit],
    );
    return rows.map((row) => row.name);
  }

  /** Tags in use with how many articles carry each, most used first, from the maintained counters. */
  countsInUse(limit: number): Promise<{ name: string; articlesCount: number }[]> {
    return this.dataSource.query(
      'SELECT name, articles_count AS "articlesCount" FROM tags WHERE articles_count > 0 ' +
        'ORDER BY articles_count DESC, name ASC LIMIT $1',
      [limit],
    );
  }

  /** The tag's id and how many articles carry it, or undefined for an unknown name. */
  async findByName(name: string): Promise<{ id: number; articlesCount: number } | undefined> {
    const [row] = await this.dataSource.query(
      'SELECT id, articles_count AS "articlesCount" FROM tags WHERE name = $1',
      [name],
    );
    return row;
  }

  /**
   * Links the tags to the article, creating missing ones and counting the article in each. Names are
   * upserted in sorted order so that concurrent writers lock tag rows in the same order (no deadlock).
   */
  async attach(manager: EntityManager, articleId: string, names: string[]): Promise<void> {
    if (names.length === 0) return;
    const sorted = [...names].sort();
    await manager.query(
      `INSERT INTO tags (name, articles_count) SELECT unnest($1::varchar[]), 1
       ON CONFLICT (name) DO UPDATE SET articles_count = tags.articles_count + 1`,
      [sorted],
    );
    await manager.query(
      `INSERT INTO article_tags (article_id, tag_id, position)
       SELECT $1, t.id, array_position($2::varchar[], t.name::varchar) FROM tags t WHERE t.name = ANY($2::varchar[])`,
      [articleId, names],
    );
  }

  /** Unlinks every tag of the article and uncounts it. */
  async detachAll(manager: EntityManager, articleId: string): Promise<void> {
    await manager.query(
      `WITH removed AS (DELETE FROM article_tags WHERE article_id = $1 RETURNING tag_id)
       UPDATE tags SET articles_count = articles_count - 1 WHERE id IN (SELECT tag_id FROM removed)`,
      [articleId],
    );
  }
}
