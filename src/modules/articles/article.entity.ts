import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

@Entity('articles')
@Unique('UQ_articles_slug', ['slug'])
// Newest-first listing and the author/feed filters page through these (scanned backwards for DESC).
@Index('IDX_articles_created', ['createdAt', 'id'])
// The feed walks each followed author's articles newest first; the id breaks ties in the keyset order.
@Index('IDX_articles_author_created_id', ['authorId', 'createdAt', 'id'])
export class ArticleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 120 })
  slug: string;

  @Column({ type: 'varchar', length: 255 })
  title: string;

  @Column({ type: 'varchar', length: 1000 })
  description: string;

  @Column({ type: 'text' })
  body: string;

  /** A user id (identity module): no cross-module relation. */
  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  /** Kept equal to the number of favorites rows by the same statement that inserts or deletes one. */
  @Column({ name: 'favorites_count', type: 'integer', default: 0 })
  favoritesCount: number;

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
