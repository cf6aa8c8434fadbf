import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { ArticleEntity } from './article.entity.js';
import { TagEntity } from './tag.entity.js';

@Entity('article_tags')
// "Articles with tag X", newest first: a page walks the tag's own entries, never the global created-at order.
@Index('IDX_article_tags_tag_created', ['tagId', 'createdAt', 'articleId'])
export class ArticleTagEntity {
  @PrimaryColumn({ name: 'article_id', type: 'uuid' })
  articleId: string;

  @PrimaryColumn({ name: 'tag_id', type: 'integer' })
  tagId: number;

  /** Order of the tag in the article's tagList. */
  @Column({ type: 'smallint' })
  position: number;

  /** The article's `created_at`, copied by a BEFORE INSERT trigger when the writer leaves it out (never changes). */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => ArticleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'article_id', foreignKeyConstraintName: 'FK_article_tags_article' })
  article?: Relation<ArticleEntity>;

  @ManyToOne(() => TagEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tag_id', foreignKeyConstraintName: 'FK_article_tags_tag' })
  tag?: Relation<TagEntity>;
}
