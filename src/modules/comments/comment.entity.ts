import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('comments')
@Index('IDX_comments_article_created', ['articleId', 'createdAt'])
export class CommentEntity {
  /** Integer ids, as the RealWorld spec shows them. */
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  /** An article id (articles module): no cross-module relation; removed with the article by event. */
  @Column({ name: 'article_id', type: 'uuid' })
  articleId: string;

  /** A user id (identity module). */
  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @Column({ type: 'text' })
  body: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Set while a moderator hides it (docs/moderation.md): out of every list, visible only to its author. */
  @Column({ name: 'hidden_at', type: 'timestamptz', nullable: true })
  hiddenAt: Date | null;

  /** The moderator who hid it (a user id, identity module). */
  @Column({ name: 'hidden_by', type: 'uuid', nullable: true })
  hiddenBy: string | null;
}
