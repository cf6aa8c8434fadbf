import type { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationMail1796400001000 implements MigrationInterface {
  name = 'NotificationMail1796400001000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notification_preferences" ("user_id" uuid NOT NULL, "new_follower" boolean NOT NULL DEFAULT true, "new_comment" boolean NOT NULL DEFAULT true, "digest" boolean NOT NULL DEFAULT true, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_notification_preferences" PRIMARY KEY ("user_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "mail_deliveries" ("key" character varying(300) NOT NULL, "kind" character varying(30) NOT NULL, "recipient_id" uuid NOT NULL, "message_id" character varying(300) NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_mail_deliveries" PRIMARY KEY ("key"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "mail_deliveries"`);
    await queryRunner.query(`DROP TABLE "notification_preferences"`);
  }
}
