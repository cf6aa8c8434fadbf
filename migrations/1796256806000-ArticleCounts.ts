import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counts that scale and pages that stay flat (docs/adr/0010-counts-and-keyset.md):
 * - `article_counts`: article totals overall (16 stripes, so concurrent inserts do not queue on one row),
 *   per author and per favoriting user, kept exact by statement-level triggers on `articles` and
 *   `favorites` (which also see the favorites an article's deletion cascades to);
 * - `article_tags.created_at` and `favorites.article_created_at`: the article's creation time copied beside
 *   the link (by a BEFORE INSERT trigger when the writer leaves it out), so the tag and favorited pages walk
 *   `(tag_id | user_id, created_at, article_id)` instead of the global created-at index;
 * - `articles (author_id, created_at, id)`: the feed's per-author walks, with the id as tie-breaker.
 */
export class ArticleCounts1796256806000 implements MigrationInterface {
  name = 'ArticleCounts1796256806000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "article_counts" ("scope" character varying(16) NOT NULL, "owner_id" uuid NOT NULL, "stripe" smallint NOT NULL, "count" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_article_counts" PRIMARY KEY ("scope", "owner_id", "stripe"))`,
    );
    // One upsert per statement, rows in key order: concurrent writers lock counter rows in the same order.
    await queryRunner.query(`CREATE FUNCTION "article_counts_on_articles"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE delta integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
      BEGIN
        INSERT INTO article_counts (scope, owner_id, stripe, count)
        SELECT scope, owner_id, stripe, delta * n FROM (
          SELECT 'all'::varchar AS scope, '00000000-0000-0000-0000-000000000000'::uuid AS owner_id,
                 floor(random() * 16)::smallint AS stripe, count(*)::int AS n FROM changed
          UNION ALL
          SELECT 'author', author_id, 0::smallint, count(*)::int FROM changed GROUP BY author_id
        ) c WHERE n > 0 ORDER BY scope, owner_id, stripe
        ON CONFLICT (scope, owner_id, stripe) DO UPDATE SET count = article_counts.count + EXCLUDED.count;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION "article_counts_on_favorites"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE delta integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
      BEGIN
        INSERT INTO article_counts (scope, owner_id, stripe, count)
        SELECT 'favorited', user_id, 0, delta * count(*)::int FROM changed GROUP BY user_id ORDER BY user_id
        ON CONFLICT (scope, owner_id, stripe) DO UPDATE SET count = article_counts.count + EXCLUDED.count;
        RETURN NULL;
      END $$`);
    for (const [table, fn] of [
      ['articles', 'article_counts_on_articles'],
      ['favorites', 'article_counts_on_favorites'],
    ]) {
      await queryRunner.query(
        `CREATE TRIGGER "${table}_counts_insert" AFTER INSERT ON "${table}" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "${fn}"()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER "${table}_counts_delete" AFTER DELETE ON "${table}" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "${fn}"()`,
      );
    }
    // The triggers exist (and their lock blocks writers) before the backfill reads: no write is missed.
    await queryRunner.query(`INSERT INTO article_counts (scope, owner_id, stripe, count)
      SELECT 'all', '00000000-0000-0000-0000-000000000000', 0, count(*) FROM articles
      UNION ALL SELECT 'author', author_id, 0, count(*) FROM articles GROUP BY author_id
      UNION ALL SELECT 'favorited', user_id, 0, count(*) FROM favorites GROUP BY user_id`);

    await queryRunner.query(`CREATE FUNCTION "copy_article_created_at"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A missing article leaves now(): the foreign key then rejects the row, as it did before.
        IF TG_TABLE_NAME = 'article_tags' AND NEW.created_at IS NULL THEN
          NEW.created_at := coalesce((SELECT created_at FROM articles WHERE id = NEW.article_id), now());
        ELSIF TG_TABLE_NAME = 'favorites' AND NEW.article_created_at IS NULL THEN
          NEW.article_created_at := coalesce((SELECT created_at FROM articles WHERE id = NEW.article_id), now());
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`ALTER TABLE "article_tags" ADD "created_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `UPDATE "article_tags" at SET "created_at" = a."created_at" FROM "articles" a WHERE a."id" = at."article_id"`,
    );
    await queryRunner.query(`ALTER TABLE "article_tags" ALTER COLUMN "created_at" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "favorites" ADD "article_created_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `UPDATE "favorites" f SET "article_created_at" = a."created_at" FROM "articles" a WHERE a."id" = f."article_id"`,
    );
    await queryRunner.query(`ALTER TABLE "favorites" ALTER COLUMN "article_created_at" SET NOT NULL`);
    for (const table of ['article_tags', 'favorites']) {
      await queryRunner.query(
        `CREATE TRIGGER "${table}_article_created_at" BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION "copy_article_created_at"()`,
      );
    }

    await queryRunner.query(`DROP INDEX "public"."IDX_article_tags_tag_article"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_article_tags_tag_created" ON "article_tags" ("tag_id", "created_at", "article_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_favorites_user_article_created" ON "favorites" ("user_id", "article_created_at", "article_id") `,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_articles_author_created"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_articles_author_created_id" ON "articles" ("author_id", "created_at", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_articles_author_created_id"`);
    await queryRunner.query(`CREATE INDEX "IDX_articles_author_created" ON "articles" ("author_id", "created_at") `);
    await queryRunner.query(`DROP INDEX "public"."IDX_favorites_user_article_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_article_tags_tag_created"`);
    await queryRunner.query(`CREATE INDEX "IDX_article_tags_tag_article" ON "article_tags" ("tag_id", "article_id") `);
    await queryRunner.query(`DROP TRIGGER "favorites_article_created_at" ON "favorites"`);
    await queryRunner.query(`DROP TRIGGER "article_tags_article_created_at" ON "article_tags"`);
    await queryRunner.query(`ALTER TABLE "favorites" DROP COLUMN "article_created_at"`);
    await queryRunner.query(`ALTER TABLE "article_tags" DROP COLUMN "created_at"`);
    await queryRunner.query(`DROP FUNCTION "copy_article_created_at"()`);
    for (const table of ['articles', 'favorites']) {
      await queryRunner.query(`DROP TRIGGER "${table}_counts_delete" ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER "${table}_counts_insert" ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION "article_counts_on_favorites"()`);
    await queryRunner.query(`DROP FUNCTION "article_counts_on_articles"()`);
    await queryRunner.query(`DROP TABLE "article_counts"`);
  }
}
