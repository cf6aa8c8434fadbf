import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { ArticleEntity } from './article.entity.js';
import { TagEntity } from './tag.entity.js';

@Entity('article_tags')
// "Articles with tag X": from the tag to its articles without touching the primary key order.
@Index('IDX_article_tags_tag_article', ['tagId', 'articleId'])
export class ArticleTagEntity {
  @PrimaryColumn({ name: 'article_id', type: 'uuid' })
  articleId: string;

  @PrimaryColumn({ name: 'tag_id', type: 'integer' })
  tagId: number;

  /** Order of the tag in the article's tagList. */
  @Column({ type: 'smallint' })
  position: number;

  @ManyToOne(() => ArticleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'article_id', foreignKeyConstraintName: 'FK_article_tags_article' })
  article?: Relation<ArticleEntity>;

  @ManyToOne(() => TagEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tag_id', foreignKeyConstraintName: 'FK_article_tags_tag' })
  tag?: Relation<TagEntity>;
}
