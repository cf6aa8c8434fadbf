import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FeatureFlags1796226297482 implements MigrationInterface {
  name = 'FeatureFlags1796226297482';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "feature_flags" ("name" character varying(64) NOT NULL, "enabled" boolean NOT NULL, "rollout_percent" smallint NOT NULL, "updated_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d5a8bb2df6ade7ced134d957963" PRIMARY KEY ("name"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "feature_flags"`);
  }
}
