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
   * Counts one more article in each tag, creating missing ones. Runs before the article's insert, and
   * `detachAll` before its deletion, so that every writer takes its locks in the same order: tag rows (by
   * name, "C" collation), then the counter rows the article triggers update (article_counts). Concurrent
   * creates and deletes therefore never wait on each other in a cycle. `by` 0 only makes sure the tags exist
   * (a hidden article counts in no tag).
   */
  async count(manager: EntityManager, names: string[], by: 0 | 1 = 1): Promise<void> {
    if (names.length === 0) return;
    await manager.query(
      `INSERT INTO tags (name, articles_count)
       SELECT name, $2::int FROM unnest($1::varchar[]) AS n(name) ORDER BY name COLLATE "C"
       ON CONFLICT (name) DO UPDATE SET articles_count = tags.articles_count + $2::int`,
      [names, by],
    );
  }

  /** Links counted tags (`count`) to the article; `article_tags.created_at` is copied by a trigger. */
  async link(manager: EntityManager, articleId: string, names: string[]): Promise<void> {
    if (names.length === 0) return;
    await manager.query(
      `INSERT INTO article_tags (article_id, tag_id, position)
       SELECT $1, t.id, array_position($2::varchar[], t.name::varchar) FROM tags t WHERE t.name = ANY($2::varchar[])`,
      [articleId, names],
    );
  }

  /** Links the tags to an existing article and counts it in each (unless it is hidden: `counted` false). */
  async attach(manager: EntityManager, articleId: string, names: string[], counted = true): Promise<void> {
    await this.count(manager, names, counted ? 1 : 0);
    await this.link(manager, articleId, names);
  }

  /**
   * Unlinks every tag of the article and uncounts it, locking the tag rows in `count`'s order; a hidden
   * article (`counted` false) is in no tag's count, so its links only go.
   */
  async detachAll(manager: EntityManager, articleId: string, counted = true): Promise<void> {
    if (!counted) {
      await manager.query('DELETE FROM article_tags WHERE article_id = $1', [articleId]);
      return;
    }
    await manager.query(
      `WITH removed AS (DELETE FROM article_tags WHERE article_id = $1 RETURNING tag_id),
       locked AS (SELECT id FROM tags WHERE id IN (SELECT tag_id FROM removed) ORDER BY name COLLATE "C" FOR NO KEY UPDATE)
       UPDATE tags SET articles_count = articles_count - 1 WHERE id IN (SELECT id FROM locked)`,
      [articleId],
    );
  }
}
