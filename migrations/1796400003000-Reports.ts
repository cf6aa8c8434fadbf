import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Reports1796400003000 implements MigrationInterface {
  name = 'Reports1796400003000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "format" character varying(8) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'queued', "progress" smallint NOT NULL DEFAULT '0', "row_count" integer, "file_key" character varying(255), "size_bytes" bigint, "error" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_reports" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_reports_owner_created" ON "reports" ("owner_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_reports_status_expires" ON "reports" ("status", "expires_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_reports_status_expires"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_reports_owner_created"`);
    await queryRunner.query(`DROP TABLE "reports"`);
  }
}
