import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { violatedConstraint } from '../../core/database/postgres-errors.js';

/**
 * Favorites and the article's favorites_count change in one statement: the counter moves only when a
 * row was really inserted or deleted, so duplicates and concurrent requests keep it exact.
 */
@Injectable()
export class FavoritesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Returns false when the article no longer exists or is hidden. The article row is locked first (as `remove`
   * does), so a concurrent hide waits for the favorite, or the favorite sees the hidden article: a hidden
   * article never gains a favorite its counters would miss.
   */
  async add(userId: string, articleId: string): Promise<boolean> {
    try {
      const [row]: Array<{ found: number }> = await this.dataSource.query(
        `WITH target AS (SELECT id FROM articles WHERE id = $2 AND hidden_at IS NULL FOR NO KEY UPDATE),
         added AS (
           INSERT INTO favorites (user_id, article_id) SELECT $1, id FROM target ON CONFLICT DO NOTHING RETURNING article_id
         ),
         counted AS (
           UPDATE articles SET favorites_count = favorites_count + 1 WHERE id IN (SELECT article_id FROM added) RETURNING id
         )
         SELECT count(*)::int AS found FROM target`,
        [userId, articleId],
      );
      return (row?.found ?? 0) > 0;
    } catch (error) {
      if (violatedConstraint(error, 'foreignKey') === 'FK_favorites_article') return false;
      throw error;
    }
  }

  /** Nothing happens on a hidden article (its favorites are out of the counters until it is unhidden). */
  async remove(userId: string, articleId: string): Promise<void> {
    // The article row is locked first, as a deletion does before its cascade reaches the favorite: the
    // other order (favorite, then article) deadlocks with a concurrent deletion of the article.
    await this.dataSource.query(
      `WITH target AS (SELECT id FROM articles WHERE id = $2 AND hidden_at IS NULL FOR NO KEY UPDATE),
       removed AS (DELETE FROM favorites WHERE user_id = $1 AND article_id = (SELECT id FROM target) RETURNING article_id)
       UPDATE articles SET favorites_count = favorites_count - 1 WHERE id IN (SELECT article_id FROM removed)`,
      [userId, articleId],
    );
  }
}
