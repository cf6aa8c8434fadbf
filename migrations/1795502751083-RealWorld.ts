import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RealWorld1795502751083 implements MigrationInterface {
  name = 'RealWorld1795502751083';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "articles" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "slug" character varying(120) NOT NULL, "title" character varying(255) NOT NULL, "description" character varying(1000) NOT NULL, "body" text NOT NULL, "author_id" uuid NOT NULL, "favorites_count" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_articles_slug" UNIQUE ("slug"), CONSTRAINT "PK_0a6e2c450d83e0b6052c2793334" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_articles_author_created" ON "articles"  ("author_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_articles_created" ON "articles"  ("created_at", "id") `);
    await queryRunner.query(
      `CREATE TABLE "favorites" ("user_id" uuid NOT NULL, "article_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a9e152dd51d71f08637b6a9ca00" PRIMARY KEY ("user_id", "article_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_favorites_article" ON "favorites"  ("article_id") `);
    await queryRunner.query(
      `CREATE TABLE "tags" ("id" integer GENERATED ALWAYS AS IDENTITY NOT NULL, "name" character varying(64) NOT NULL, "articles_count" integer NOT NULL DEFAULT '0', CONSTRAINT "UQ_tags_name" UNIQUE ("name"), CONSTRAINT "PK_e7dc17249a1148a1970748eda99" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_tags_articles_count" ON "tags"  ("articles_count") `);
    await queryRunner.query(
      `CREATE TABLE "article_tags" ("article_id" uuid NOT NULL, "tag_id" integer NOT NULL, "position" smallint NOT NULL, CONSTRAINT "PK_dd79accc42e2f122f6f3ff7588a" PRIMARY KEY ("article_id", "tag_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_article_tags_tag_article" ON "article_tags"  ("tag_id", "article_id") `);
    await queryRunner.query(
      `CREATE TABLE "comments" ("id" integer GENERATED ALWAYS AS IDENTITY NOT NULL, "article_id" uuid NOT NULL, "author_id" uuid NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8bf68bc960f2b69e818bdb90dcb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_comments_article_created" ON "comments"  ("article_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "follows" ("follower_id" uuid NOT NULL, "followee_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f9294bbb1517cfd99f06f534fe7" PRIMARY KEY ("follower_id", "followee_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_follows_followee" ON "follows"  ("followee_id") `);
    await queryRunner.query(
      `ALTER TABLE "favorites" ADD CONSTRAINT "FK_favorites_article" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "article_tags" ADD CONSTRAINT "FK_article_tags_article" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "article_tags" ADD CONSTRAINT "FK_article_tags_tag" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "article_tags" DROP CONSTRAINT "FK_article_tags_tag"`);
    await queryRunner.query(`ALTER TABLE "article_tags" DROP CONSTRAINT "FK_article_tags_article"`);
    await queryRunner.query(`ALTER TABLE "favorites" DROP CONSTRAINT "FK_favorites_article"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_follows_followee"`);
    await queryRunner.query(`DROP TABLE "follows"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_comments_article_created"`);
    await queryRunner.query(`DROP TABLE "comments"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_article_tags_tag_article"`);
    await queryRunner.query(`DROP TABLE "article_tags"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_tags_articles_count"`);
    await queryRunner.query(`DROP TABLE "tags"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_favorites_article"`);
    await queryRunner.query(`DROP TABLE "favorites"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_articles_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_articles_author_created"`);
    await queryRunner.query(`DROP TABLE "articles"`);
  }
}
