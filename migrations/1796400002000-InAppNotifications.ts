import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * In-app notifications: `id` is the keyset cursor and the SSE event id; `(user_id, id)` serves a user's list
 * newest first (scanned backwards) and a stream's replay after `Last-Event-ID`; the partial index keeps the
 * unread count a walk over unread rows only.
 */
export class InAppNotifications1796400002000 implements MigrationInterface {
  name = 'InAppNotifications1796400002000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notifications" ("id" BIGSERIAL NOT NULL, "user_id" uuid NOT NULL, "kind" character varying(32) NOT NULL, "key" character varying(200) NOT NULL, "data" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_notifications" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_notifications_key" ON "notifications" ("key") `);
    await queryRunner.query(`CREATE INDEX "IDX_notifications_user_id" ON "notifications" ("user_id", "id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_unread" ON "notifications" ("user_id") WHERE "read_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_unread"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_user_id"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_notifications_key"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
  }
}
