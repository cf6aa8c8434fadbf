import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { ArticleEntity } from './article.entity.js';

/** `userId` (identity module, stored as an id) favorited `articleId`. */
@Entity('favorites')
@Index('IDX_favorites_article', ['articleId'])
// A user's favorites, newest article first: the favorited page walks this, not the global created-at order.
@Index('IDX_favorites_user_article_created', ['userId', 'articleCreatedAt', 'articleId'])
export class FavoriteEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ name: 'article_id', type: 'uuid' })
  articleId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** The article's `created_at`, copied by a BEFORE INSERT trigger (see article-tag.entity.ts). */
  @Column({ name: 'article_created_at', type: 'timestamptz' })
  articleCreatedAt: Date;

  @ManyToOne(() => ArticleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'article_id', foreignKeyConstraintName: 'FK_favorites_article' })
  article?: Relation<ArticleEntity>;
}
