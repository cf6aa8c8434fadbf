import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moderation (docs/moderation.md): articles and comments a moderator hid (`hidden_at`, `hidden_by`).
 *
 * A hidden article counts nowhere, so the maintained totals stay exact for the lists that leave it out
 * (docs/adr/0010-counts-and-keyset.md): when `hidden_at` turns set or null, the row trigger below takes the
 * article out of (or back into) `tags.articles_count` of its tags and the `all`, `author` and `favorited`
 * totals of `article_counts`, in the hiding statement's transaction. Locks in the writers' order: the article
 * row (the UPDATE), its tags by name, then the counter rows by key. Deleting a hidden article uncounts nothing
 * twice: the articles trigger skips hidden rows, and a BEFORE DELETE trigger counts its favoriters back in just
 * before the foreign key's cascade uncounts them. Tag links are counted by the application (TagsRepository),
 * which links and unlinks a hidden article's tags uncounted; it accepts no favorite on a hidden article.
 */
export class HiddenContent1796500002000 implements MigrationInterface {
  name = 'HiddenContent1796500002000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "articles" ADD "hidden_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "articles" ADD "hidden_by" uuid`);
    await queryRunner.query(`ALTER TABLE "comments" ADD "hidden_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "comments" ADD "hidden_by" uuid`);
    await queryRunner.query(`CREATE FUNCTION "article_counts_on_hidden"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE delta integer := CASE WHEN NEW.hidden_at IS NULL THEN 1 ELSE -1 END;
      BEGIN
        WITH locked AS (
          SELECT id FROM tags WHERE id IN (SELECT tag_id FROM article_tags WHERE article_id = NEW.id)
          ORDER BY name COLLATE "C" FOR NO KEY UPDATE
        )
        UPDATE tags SET articles_count = articles_count + delta WHERE id IN (SELECT id FROM locked);
        INSERT INTO article_counts (scope, owner_id, stripe, count)
        SELECT scope, owner_id, stripe, delta FROM (
          SELECT 'all'::varchar AS scope, '00000000-0000-0000-0000-000000000000'::uuid AS owner_id,
                 floor(random() * 16)::smallint AS stripe
          UNION ALL SELECT 'author', NEW.author_id, 0::smallint
          UNION ALL SELECT 'favorited', f.user_id, 0::smallint FROM favorites f WHERE f.article_id = NEW.id
        ) c ORDER BY scope, owner_id, stripe
        ON CONFLICT (scope, owner_id, stripe) DO UPDATE SET count = article_counts.count + EXCLUDED.count;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "articles_counts_hidden" AFTER UPDATE OF "hidden_at" ON "articles" FOR EACH ROW WHEN ((OLD.hidden_at IS NULL) <> (NEW.hidden_at IS NULL)) EXECUTE FUNCTION "article_counts_on_hidden"()`,
    );
    await queryRunner.query(`CREATE FUNCTION "article_counts_on_hidden_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO article_counts (scope, owner_id, stripe, count)
        SELECT 'favorited', user_id, 0, 1 FROM favorites WHERE article_id = OLD.id ORDER BY user_id
        ON CONFLICT (scope, owner_id, stripe) DO UPDATE SET count = article_counts.count + EXCLUDED.count;
        RETURN OLD;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "articles_counts_hidden_delete" BEFORE DELETE ON "articles" FOR EACH ROW WHEN (OLD.hidden_at IS NOT NULL) EXECUTE FUNCTION "article_counts_on_hidden_delete"()`,
    );
    await queryRunner.query(articleCountsFunction('FROM changed WHERE hidden_at IS NULL'));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Hidden articles are counted again before the column goes.
    await queryRunner.query(`UPDATE "articles" SET "hidden_at" = NULL WHERE "hidden_at" IS NOT NULL`);
    await queryRunner.query(articleCountsFunction('FROM changed'));
    await queryRunner.query(`DROP TRIGGER "articles_counts_hidden_delete" ON "articles"`);
    await queryRunner.query(`DROP FUNCTION "article_counts_on_hidden_delete"()`);
    await queryRunner.query(`DROP TRIGGER "articles_counts_hidden" ON "articles"`);
    await queryRunner.query(`DROP FUNCTION "article_counts_on_hidden"()`);
    await queryRunner.query(`ALTER TABLE "comments" DROP COLUMN "hidden_by"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP COLUMN "hidden_at"`);
    await queryRunner.query(`ALTER TABLE "articles" DROP COLUMN "hidden_by"`);
    await queryRunner.query(`ALTER TABLE "articles" DROP COLUMN "hidden_at"`);
  }
}

/** Migration ArticleCounts' function on `articles`, counting the rows of `source` (hidden ones left out from here). */
function articleCountsFunction(source: string): string {
  return `CREATE OR REPLACE FUNCTION "article_counts_on_articles"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE delta integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
      BEGIN
        INSERT INTO article_counts (scope, owner_id, stripe, count)
        SELECT scope, owner_id, stripe, delta * n FROM (
          SELECT 'all'::varchar AS scope, '00000000-0000-0000-0000-000000000000'::uuid AS owner_id,
                 floor(random() * 16)::smallint AS stripe, count(*)::int AS n ${source}
          UNION ALL
          SELECT 'author', author_id, 0::smallint, count(*)::int ${source} GROUP BY author_id
        ) c WHERE n > 0 ORDER BY scope, owner_id, stripe
        ON CONFLICT (scope, owner_id, stripe) DO UPDATE SET count = article_counts.count + EXCLUDED.count;
        RETURN NULL;
      END $$`;
}
