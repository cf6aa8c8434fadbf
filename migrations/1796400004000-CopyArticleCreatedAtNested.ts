import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `copy_article_created_at()` tested both tables' columns in one IF/ELSIF chain: an `article_tags` insert that
 * set `created_at` itself reached the ELSIF, whose `NEW.article_created_at` does not exist on that table
 * ("record new has no field article_created_at"). Each table now reads only its own column.
 */
export class CopyArticleCreatedAtNested1796400004000 implements MigrationInterface {
  name = 'CopyArticleCreatedAtNested1796400004000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION "copy_article_created_at"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A missing article leaves now(): the foreign key then rejects the row, as it did before.
        IF TG_TABLE_NAME = 'article_tags' THEN
          IF NEW.created_at IS NULL THEN
            NEW.created_at := coalesce((SELECT created_at FROM articles WHERE id = NEW.article_id), now());
          END IF;
        ELSIF TG_TABLE_NAME = 'favorites' THEN
          IF NEW.article_created_at IS NULL THEN
            NEW.article_created_at := coalesce((SELECT created_at FROM articles WHERE id = NEW.article_id), now());
          END IF;
        END IF;
        RETURN NEW;
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION "copy_article_created_at"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'article_tags' AND NEW.created_at IS NULL THEN
          NEW.created_at := coalesce((SELECT created_at FROM articles WHERE id = NEW.article_id), now());
        ELSIF TG_TABLE_NAME = 'favorites' AND NEW.article_created_at IS NULL THEN
          NEW.article_created_at := coalesce((SELECT created_at FROM articles WHERE id = NEW.article_id), now());
        END IF;
        RETURN NEW;
      END $$`);
  }
}
