import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Integrators (issue 8): sites and LMSs that embed Hocso — a profile of an org unit of kind
 * integrator with its allowed origins and an optional external LRS, daily usage counters, the
 * learners who came through each integrator, and the xAPI forwarding watermark.
 */
export class CreateEmbed1795777000000 implements MigrationInterface {
  name = 'CreateEmbed1795777000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "integrator" (
      "org_unit_id" uuid NOT NULL,
      "contact_email" text NOT NULL,
      "allowed_origins" text array NOT NULL DEFAULT '{}',
      "lrs_endpoint" text,
      "lrs_authorization" text,
      "lrs_forwarded_until" TIMESTAMP(3) WITH TIME ZONE,
      "lrs_forwarded_id" uuid,
      "lrs_last_error" text,
      "lrs_last_attempt_at" TIMESTAMP WITH TIME ZONE,
      "lrs_sent" integer NOT NULL DEFAULT 0,
      "created_by" uuid,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_integrator" PRIMARY KEY ("org_unit_id"),
      CONSTRAINT "FK_integrator_org_unit" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_integrator_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);
    await q.query(`CREATE INDEX "IDX_integrator_origins" ON "integrator" USING gin ("allowed_origins")`);

    await q.query(`CREATE TABLE "integrator_usage_daily" (
      "integrator_id" uuid NOT NULL,
      "day" date NOT NULL,
      "kind" text NOT NULL,
      "count" integer NOT NULL DEFAULT 0,
      CONSTRAINT "PK_integrator_usage_daily" PRIMARY KEY ("integrator_id", "day", "kind"),
      CONSTRAINT "CHK_integrator_usage_kind" CHECK ("kind" IN ('content_api','embed_view','oembed','lti_launch','xapi_read')),
      CONSTRAINT "FK_integrator_usage_integrator" FOREIGN KEY ("integrator_id") REFERENCES "integrator"("org_unit_id") ON DELETE CASCADE
    )`);

    await q.query(`CREATE TABLE "integrator_learner" (
      "integrator_id" uuid NOT NULL,
      "user_id" uuid NOT NULL,
      "source" text NOT NULL,
      "first_seen_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_integrator_learner" PRIMARY KEY ("integrator_id", "user_id"),
      CONSTRAINT "CHK_integrator_learner_source" CHECK ("source" IN ('lti','embed')),
      CONSTRAINT "FK_integrator_learner_integrator" FOREIGN KEY ("integrator_id") REFERENCES "integrator"("org_unit_id") ON DELETE CASCADE,
      CONSTRAINT "FK_integrator_learner_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX "IDX_integrator_learner_user" ON "integrator_learner" ("user_id")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "integrator_learner"`);
    await q.query(`DROP TABLE "integrator_usage_daily"`);
    await q.query(`DROP TABLE "integrator"`);
  }
}
