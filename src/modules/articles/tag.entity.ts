import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

@Entity('tags')
@Unique('UQ_tags_name', ['name'])
@Index('IDX_tags_articles_count', ['articlesCount'])
export class TagEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  /** Number of articles carrying the tag, maintained with every article write. */
  @Column({ name: 'articles_count', type: 'integer', default: 0 })
  articlesCount: number;
}
