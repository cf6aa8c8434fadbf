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

  /** Returns false when the article no longer exists. */
  async add(userId: string, articleId: string): Promise<boolean> {
    try {
      await this.dataSource.query(
        `WITH added AS (
           INSERT INTO favorites (user_id, article_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING article_id
         )
         UPDATE articles SET favorites_count = favorites_count + 1 WHERE id IN (SELECT article_id FROM added)`,
        [userId, articleId],
      );
      return true;
    } catch (error) {
      if (violatedConstraint(error, 'foreignKey') === 'FK_favorites_article') return false;
      throw error;
    }
  }

  async remove(userId: string, articleId: string): Promise<void> {
    // The article row is locked first, as a deletion does before its cascade reaches the favorite: the
    // other order (favorite, then article) deadlocks with a concurrent deletion of the article.
    await this.dataSource.query(
      `WITH target AS (SELECT id FROM articles WHERE id = $2 FOR NO KEY UPDATE),
       removed AS (DELETE FROM favorites WHERE user_id = $1 AND article_id = (SELECT id FROM target) RETURNING article_id)
       UPDATE articles SET favorites_count = favorites_count - 1 WHERE id IN (SELECT article_id FROM removed)`,
      [userId, articleId],
    );
  }
}
