import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Outbox1796400000000 implements MigrationInterface {
  name = 'Outbox1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "outbox_messages" ("id" BIGSERIAL NOT NULL, "topic" character varying(100) NOT NULL, "key" character varying(200) NOT NULL, "payload" jsonb NOT NULL, "trace" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "available_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', "last_error" text, CONSTRAINT "PK_outbox_messages" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_outbox_messages_topic_key" ON "outbox_messages" ("topic", "key") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_outbox_messages_pending" ON "outbox_messages" ("available_at", "id") WHERE "sent_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_outbox_messages_pending"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_outbox_messages_topic_key"`);
    await queryRunner.query(`DROP TABLE "outbox_messages"`);
  }
}
