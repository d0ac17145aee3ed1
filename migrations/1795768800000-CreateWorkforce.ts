import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Industrial-park workforce (issue 5): parks and enterprises (profiles of org units), worker
 * rosters, training reports (raw payload = outbox), sessions keyed by their natural key, weekly
 * worker minutes, enterprise-week compliance, closed-week snapshots, notifications, settings.
 */
export class CreateWorkforce1795768800000 implements MigrationInterface {
  name = 'CreateWorkforce1795768800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "workforce_settings" (
      "id" smallint NOT NULL DEFAULT 1,
      "coverage_threshold" numeric(4,3) NOT NULL DEFAULT 0.8,
      "compliance_rule" text NOT NULL DEFAULT 'worker_coverage',
      "daily_cap_minutes" smallint NOT NULL DEFAULT 240,
      "report_window_weeks" smallint NOT NULL DEFAULT 8,
      "reminders_enabled" boolean NOT NULL DEFAULT true,
      "updated_by" uuid,
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_workforce_settings" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_workforce_settings_single" CHECK ("id" = 1),
      CONSTRAINT "CHK_workforce_settings_threshold" CHECK ("coverage_threshold" > 0 AND "coverage_threshold" <= 1),
      CONSTRAINT "CHK_workforce_settings_rule" CHECK ("compliance_rule" IN ('worker_coverage','weekly_session')),
      CONSTRAINT "CHK_workforce_settings_cap" CHECK ("daily_cap_minutes" BETWEEN 60 AND 1440),
      CONSTRAINT "CHK_workforce_settings_window" CHECK ("report_window_weeks" BETWEEN 1 AND 52),
      CONSTRAINT "FK_workforce_settings_updated_by" FOREIGN KEY ("updated_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);
    await q.query(`INSERT INTO "workforce_settings" ("id") VALUES (1)`);

    await q.query(`CREATE TABLE "industrial_park" (
      "org_unit_id" uuid NOT NULL,
      "commune_id" uuid,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_industrial_park" PRIMARY KEY ("org_unit_id"),
      CONSTRAINT "FK_industrial_park_org_unit" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_industrial_park_commune" FOREIGN KEY ("commune_id") REFERENCES "org_unit"("id") ON DELETE SET NULL
    )`);

    await q.query(`CREATE TABLE "enterprise" (
      "org_unit_id" uuid NOT NULL,
      "industrial_park_id" uuid NOT NULL,
      "tax_code" text NOT NULL,
      "commune_id" uuid,
      "ownership" text NOT NULL,
      "headcount_band" text,
      "active_from" date,
      "active_to" date,
      "contact_email" text,
      "webhook_url" text,
      "webhook_secret" text,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_enterprise" PRIMARY KEY ("org_unit_id"),
      CONSTRAINT "FK_enterprise_org_unit" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_enterprise_park" FOREIGN KEY ("industrial_park_id") REFERENCES "industrial_park"("org_unit_id") ON DELETE RESTRICT,
      CONSTRAINT "FK_enterprise_commune" FOREIGN KEY ("commune_id") REFERENCES "org_unit"("id") ON DELETE SET NULL,
      CONSTRAINT "CHK_enterprise_tax_code" CHECK ("tax_code" ~ '^[0-9]{10}(-[0-9]{3})?$'),
      CONSTRAINT "CHK_enterprise_ownership" CHECK ("ownership" IN ('fdi','domestic')),
      CONSTRAINT "CHK_enterprise_headcount" CHECK ("headcount_band" IS NULL OR "headcount_band" IN ('1-9','10-49','50-199','200-999','1000-4999','5000+')),
      CONSTRAINT "CHK_enterprise_active" CHECK ("active_to" IS NULL OR "active_from" IS NULL OR "active_to" >= "active_from")
    )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_enterprise_tax_code" ON "enterprise" ("tax_code")`);
    await q.query(`CREATE INDEX "IDX_enterprise_park" ON "enterprise" ("industrial_park_id")`);

    await q.query(`CREATE TABLE "worker" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "enterprise_id" uuid NOT NULL,
      "worker_code" text NOT NULL,
      "display_name" text,
      "active_from" date,
      "active_to" date,
      "user_id" uuid,
      "linked_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_worker" PRIMARY KEY ("id"),
      CONSTRAINT "FK_worker_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("org_unit_id") ON DELETE CASCADE,
      CONSTRAINT "FK_worker_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE SET NULL,
      CONSTRAINT "CHK_worker_active" CHECK ("active_to" IS NULL OR "active_from" IS NULL OR "active_to" >= "active_from")
    )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_worker_code" ON "worker" ("enterprise_id", "worker_code")`);
    await q.query(`CREATE INDEX "IDX_worker_user" ON "worker" ("user_id") WHERE "user_id" IS NOT NULL`);

    await q.query(`CREATE TABLE "worker_invitation" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "worker_id" uuid NOT NULL,
      "token_hash" text NOT NULL,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "accepted_at" TIMESTAMP WITH TIME ZONE,
      "accepted_by" uuid,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_worker_invitation" PRIMARY KEY ("id"),
      CONSTRAINT "FK_worker_invitation_worker" FOREIGN KEY ("worker_id") REFERENCES "worker"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_worker_invitation_user" FOREIGN KEY ("accepted_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_worker_invitation_token" ON "worker_invitation" ("token_hash")`);

    await q.query(`CREATE TABLE "training_report" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "enterprise_id" uuid NOT NULL,
      "submitted_by" text NOT NULL,
      "format" text NOT NULL,
      "payload" text NOT NULL,
      "payload_bytes" integer NOT NULL,
      "payload_sha256" text NOT NULL,
      "status" text NOT NULL DEFAULT 'received',
      "total_rows" integer NOT NULL,
      "accepted_rows" integer,
      "rejected_rows" integer,
      "weeks" text array NOT NULL DEFAULT '{}',
      "attempts" integer NOT NULL DEFAULT 0,
      "enqueued_at" TIMESTAMP WITH TIME ZONE,
      "started_at" TIMESTAMP WITH TIME ZONE,
      "finished_at" TIMESTAMP WITH TIME ZONE,
      "failure_code" text,
      "failure_detail" text,
      CONSTRAINT "PK_training_report" PRIMARY KEY ("id"),
      CONSTRAINT "FK_training_report_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("org_unit_id") ON DELETE CASCADE,
      CONSTRAINT "CHK_training_report_format" CHECK ("format" IN ('json','csv')),
      CONSTRAINT "CHK_training_report_status" CHECK ("status" IN ('received','processing','done','failed'))
    )`);
    await q.query(`CREATE INDEX "IDX_training_report_enterprise" ON "training_report" ("enterprise_id", "created_at")`);
    await q.query(
      `CREATE INDEX "IDX_training_report_pending" ON "training_report" ("updated_at") WHERE "status" IN ('received','processing')`,
    );

    await q.query(`CREATE TABLE "training_report_error" (
      "report_id" uuid NOT NULL,
      "row_number" integer NOT NULL,
      "field" text NOT NULL,
      "code" text NOT NULL,
      "value" text,
      CONSTRAINT "PK_training_report_error" PRIMARY KEY ("report_id", "row_number", "field"),
      CONSTRAINT "FK_training_report_error_report" FOREIGN KEY ("report_id") REFERENCES "training_report"("id") ON DELETE CASCADE
    )`);

    await q.query(`CREATE TABLE "training_session" (
      "enterprise_id" uuid NOT NULL,
      "worker_id" uuid NOT NULL,
      "local_date" date NOT NULL,
      "session_key" text NOT NULL,
      "minutes" smallint NOT NULL,
      "topic" text NOT NULL,
      "course_slug" text,
      "trainer" text,
      "external_ref" text,
      "report_id" uuid NOT NULL,
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_training_session" PRIMARY KEY ("enterprise_id", "worker_id", "local_date", "session_key"),
      CONSTRAINT "FK_training_session_worker" FOREIGN KEY ("worker_id") REFERENCES "worker"("id") ON DELETE CASCADE,
      CONSTRAINT "CHK_training_session_minutes" CHECK ("minutes" BETWEEN 1 AND 600)
    )`);
    await q.query(`CREATE INDEX "IDX_training_session_week" ON "training_session" ("enterprise_id", "local_date")`);

    await q.query(`CREATE TABLE "weekly_worker_minutes" (
      "enterprise_id" uuid NOT NULL,
      "iso_week" text NOT NULL,
      "worker_id" uuid NOT NULL,
      "reported_minutes" integer NOT NULL,
      "extra_minutes" integer NOT NULL,
      "minutes" integer NOT NULL,
      "covered" boolean NOT NULL,
      CONSTRAINT "PK_weekly_worker_minutes" PRIMARY KEY ("enterprise_id", "iso_week", "worker_id"),
      CONSTRAINT "FK_weekly_worker_minutes_worker" FOREIGN KEY ("worker_id") REFERENCES "worker"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX "IDX_weekly_worker_minutes_worker" ON "weekly_worker_minutes" ("worker_id")`);

    await q.query(`CREATE TABLE "weekly_enterprise_compliance" (
      "enterprise_id" uuid NOT NULL,
      "iso_week" text NOT NULL,
      "industrial_park_id" uuid NOT NULL,
      "active_workers" integer NOT NULL DEFAULT 0,
      "covered_workers" integer NOT NULL DEFAULT 0,
      "coverage" numeric(6,5),
      "longest_session_minutes" integer NOT NULL DEFAULT 0,
      "worker_rule_met" boolean NOT NULL DEFAULT false,
      "session_rule_met" boolean NOT NULL DEFAULT false,
      "compliant" boolean NOT NULL DEFAULT false,
      "rule" text NOT NULL,
      "threshold" numeric(4,3) NOT NULL,
      "requested_seq" bigint NOT NULL DEFAULT 1,
      "computed_seq" bigint NOT NULL DEFAULT 0,
      "computed_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_weekly_enterprise_compliance" PRIMARY KEY ("enterprise_id", "iso_week"),
      CONSTRAINT "FK_weekly_enterprise_compliance_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("org_unit_id") ON DELETE CASCADE
    )`);
    await q.query(
      `CREATE INDEX "IDX_weekly_enterprise_compliance_park" ON "weekly_enterprise_compliance" ("industrial_park_id", "iso_week")`,
    );
    await q.query(
      `CREATE INDEX "IDX_weekly_enterprise_compliance_dirty" ON "weekly_enterprise_compliance" ("iso_week") WHERE "requested_seq" > "computed_seq"`,
    );

    await q.query(`CREATE TABLE "compliance_week" (
      "iso_week" text NOT NULL,
      "status" text NOT NULL,
      "closed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "reopened_at" TIMESTAMP WITH TIME ZONE,
      "rule" text NOT NULL,
      "threshold" numeric(4,3) NOT NULL,
      "enterprises" integer NOT NULL,
      "compliant_enterprises" integer NOT NULL,
      "audit" jsonb NOT NULL DEFAULT '[]',
      CONSTRAINT "PK_compliance_week" PRIMARY KEY ("iso_week"),
      CONSTRAINT "CHK_compliance_week_status" CHECK ("status" IN ('closed','reopened'))
    )`);
    await q.query(`CREATE TABLE "compliance_snapshot" (
      "iso_week" text NOT NULL,
      "enterprise_id" uuid NOT NULL,
      "industrial_park_id" uuid NOT NULL,
      "active_workers" integer NOT NULL,
      "covered_workers" integer NOT NULL,
      "coverage" numeric(6,5),
      "compliant" boolean NOT NULL,
      "frozen_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_compliance_snapshot" PRIMARY KEY ("iso_week", "enterprise_id"),
      CONSTRAINT "FK_compliance_snapshot_week" FOREIGN KEY ("iso_week") REFERENCES "compliance_week"("iso_week") ON DELETE CASCADE,
      CONSTRAINT "FK_compliance_snapshot_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("org_unit_id") ON DELETE CASCADE
    )`);

    await q.query(`CREATE TABLE "workforce_notification" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "enterprise_id" uuid NOT NULL,
      "channel" text NOT NULL,
      "event" text NOT NULL,
      "event_key" text NOT NULL,
      "body" text NOT NULL,
      "status" text NOT NULL DEFAULT 'pending',
      "attempts" integer NOT NULL DEFAULT 0,
      "last_http_status" integer,
      "last_error" text,
      "sent_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_workforce_notification" PRIMARY KEY ("id"),
      CONSTRAINT "FK_workforce_notification_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("org_unit_id") ON DELETE CASCADE,
      CONSTRAINT "CHK_workforce_notification_channel" CHECK ("channel" IN ('email','webhook')),
      CONSTRAINT "CHK_workforce_notification_status" CHECK ("status" IN ('pending','sent','skipped','failed'))
    )`);
    await q.query(
      `CREATE UNIQUE INDEX "UQ_workforce_notification_event" ON "workforce_notification" ("channel", "event_key")`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "workforce_notification"`);
    await q.query(`DROP TABLE "compliance_snapshot"`);
    await q.query(`DROP TABLE "compliance_week"`);
    await q.query(`DROP TABLE "weekly_enterprise_compliance"`);
    await q.query(`DROP TABLE "weekly_worker_minutes"`);
    await q.query(`DROP TABLE "training_session"`);
    await q.query(`DROP TABLE "training_report_error"`);
    await q.query(`DROP TABLE "training_report"`);
    await q.query(`DROP TABLE "worker_invitation"`);
    await q.query(`DROP TABLE "worker"`);
    await q.query(`DROP TABLE "enterprise"`);
    await q.query(`DROP TABLE "industrial_park"`);
    await q.query(`DROP TABLE "workforce_settings"`);
  }
}
