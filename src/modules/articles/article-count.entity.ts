import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Maintained article totals, written only by the triggers of migration ArticleCounts (statement-level, on
 * `articles` and `favorites`, so FK cascades are counted too) and read by the lists and the feed instead of
 * `count(*)`. `scope` is `all` (owner: the nil uuid; 16 stripes summed on read, so concurrent inserts do
 * not queue on one row), `author` (owner: the author) or `favorited` (owner: the favoriting user).
 */
@Entity('article_counts')
export class ArticleCountEntity {
  @PrimaryColumn({ type: 'varchar', length: 16, primaryKeyConstraintName: 'PK_article_counts' })
  scope: string;

  @PrimaryColumn({ name: 'owner_id', type: 'uuid', primaryKeyConstraintName: 'PK_article_counts' })
  ownerId: string;

  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'PK_article_counts' })
  stripe: number;

  @Column({ type: 'integer', default: 0 })
  count: number;
}
