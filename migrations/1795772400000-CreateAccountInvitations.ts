import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account invitations (issue 6): people a trainer or admin adds to a roster get an account without a
 * password and a one-time link (e-mail) or code (SMS). Only hashes are stored; the secret is minted
 * when the delivery job runs, so it never sits in the queue.
 */
export class CreateAccountInvitations1795772400000 implements MigrationInterface {
  name = 'CreateAccountInvitations1795772400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "account_invitation" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "user_id" uuid NOT NULL,
      "channel" text NOT NULL,
      "context" text,
      "created_by" uuid,
      "token_hash" text,
      "code_hash" text,
      "delivery" text NOT NULL DEFAULT 'pending',
      "delivered_at" TIMESTAMP WITH TIME ZONE,
      "failed_attempts" smallint NOT NULL DEFAULT 0,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "accepted_at" TIMESTAMP WITH TIME ZONE,
      "revoked_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_account_invitation" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_account_invitation_channel" CHECK ("channel" IN ('email','sms')),
      CONSTRAINT "CHK_account_invitation_delivery" CHECK ("delivery" IN ('pending','sent','logged','not_sent','failed')),
      CONSTRAINT "FK_account_invitation_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_account_invitation_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);
    await q.query(
      `CREATE UNIQUE INDEX "UQ_account_invitation_token" ON "account_invitation" ("token_hash") WHERE "token_hash" IS NOT NULL`,
    );
    await q.query(`CREATE INDEX "IDX_account_invitation_user" ON "account_invitation" ("user_id", "created_at")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "account_invitation"`);
  }
}
