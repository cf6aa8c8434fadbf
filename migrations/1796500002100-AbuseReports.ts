import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `abuse_reports` (src/modules/moderation, docs/moderation.md). */
export class AbuseReports1796500002100 implements MigrationInterface {
  name = 'AbuseReports1796500002100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "abuse_reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "reporter_id" uuid NOT NULL, "target_type" character varying(16) NOT NULL, "target_id" character varying(64) NOT NULL, "reason" character varying(16) NOT NULL, "details" character varying(2000), "status" character varying(16) NOT NULL DEFAULT 'open', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "closed_at" TIMESTAMP WITH TIME ZONE, "closed_by" uuid, "resolution" text, CONSTRAINT "PK_abuse_reports" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_abuse_reports_reporter_created" ON "abuse_reports" ("reporter_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_abuse_reports_status_created" ON "abuse_reports" ("status", "created_at", "id") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_abuse_reports_created" ON "abuse_reports" ("created_at", "id") `);
    // One open report per reporter and target, whatever the race: the second insert fails here (409).
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_abuse_reports_open" ON "abuse_reports" ("reporter_id", "target_type", "target_id") WHERE "status" = 'open'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."UQ_abuse_reports_open"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_abuse_reports_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_abuse_reports_status_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_abuse_reports_reporter_created"`);
    await queryRunner.query(`DROP TABLE "abuse_reports"`);
  }
}
