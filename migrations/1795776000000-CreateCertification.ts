import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Verifiable certificates (issue 7): issuance rules, Open Badges 3.0 credentials (VC-JWT) — exactly
 * one per holder and achievement — W3C Bitstring Status Lists for revocation, cached PDFs and the
 * opt-in public profile.
 */
export class CreateCertification1795776000000 implements MigrationInterface {
  name = 'CreateCertification1795776000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "certificate_rule" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "scope" text NOT NULL,
      "key" text NOT NULL,
      "enabled" boolean NOT NULL DEFAULT true,
      "min_score_percent" smallint,
      "min_attendance_percent" smallint,
      "validity_months" smallint,
      "updated_by" uuid,
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_certificate_rule" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_certificate_rule_scope_key" UNIQUE ("scope", "key"),
      CONSTRAINT "CHK_certificate_rule_scope" CHECK ("scope" IN ('course','cohort_kind')),
      CONSTRAINT "CHK_certificate_rule_score" CHECK ("min_score_percent" BETWEEN 0 AND 100),
      CONSTRAINT "CHK_certificate_rule_attendance" CHECK ("min_attendance_percent" BETWEEN 0 AND 100),
      CONSTRAINT "CHK_certificate_rule_validity" CHECK ("validity_months" BETWEEN 1 AND 240),
      CONSTRAINT "FK_certificate_rule_updated_by" FOREIGN KEY ("updated_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);

    await q.query(`CREATE TABLE "status_list" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "purpose" text NOT NULL DEFAULT 'revocation',
      "size" integer NOT NULL,
      "bits" bytea NOT NULL,
      "allocated" integer NOT NULL DEFAULT 0,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_status_list" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_status_list_purpose" CHECK ("purpose" IN ('revocation')),
      CONSTRAINT "CHK_status_list_size" CHECK ("size" >= 131072 AND "size" % 8 = 0 AND octet_length("bits") * 8 = "size")
    )`);

    await q.query(`CREATE TABLE "certificate" (
      "id" uuid NOT NULL,
      "holder_id" uuid NOT NULL,
      "achievement_key" text NOT NULL,
      "kind" text NOT NULL,
      "course_id" uuid,
      "cohort_id" uuid,
      "qualification_id" uuid,
      "title_vi" text NOT NULL,
      "title_en" text NOT NULL,
      "hours" numeric(6,1),
      "level" text,
      "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL,
      "valid_until" TIMESTAMP WITH TIME ZONE,
      "credential" jsonb NOT NULL,
      "credential_jwt" text NOT NULL,
      "kid" text NOT NULL,
      "status_list_id" uuid NOT NULL,
      "status_index" integer NOT NULL,
      "revoked_at" TIMESTAMP WITH TIME ZONE,
      "revoked_by" uuid,
      "revoke_reason" text,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_certificate" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_certificate_holder_achievement" UNIQUE ("holder_id", "achievement_key"),
      CONSTRAINT "UQ_certificate_status_entry" UNIQUE ("status_list_id", "status_index"),
      CONSTRAINT "CHK_certificate_kind" CHECK ("kind" IN ('course','trainer')),
      CONSTRAINT "FK_certificate_holder" FOREIGN KEY ("holder_id") REFERENCES "app_user"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_certificate_course" FOREIGN KEY ("course_id") REFERENCES "course"("id"),
      CONSTRAINT "FK_certificate_cohort" FOREIGN KEY ("cohort_id") REFERENCES "cohort"("id") ON DELETE SET NULL,
      CONSTRAINT "FK_certificate_qualification" FOREIGN KEY ("qualification_id") REFERENCES "trainer_qualification"("id") ON DELETE SET NULL,
      CONSTRAINT "FK_certificate_status_list" FOREIGN KEY ("status_list_id") REFERENCES "status_list"("id"),
      CONSTRAINT "FK_certificate_revoked_by" FOREIGN KEY ("revoked_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);
    await q.query(`CREATE INDEX "IDX_certificate_holder" ON "certificate" ("holder_id", "created_at")`);

    await q.query(`CREATE TABLE "certificate_pdf" (
      "certificate_id" uuid NOT NULL,
      "locale" text NOT NULL,
      "pdf" bytea NOT NULL,
      "rendered_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_certificate_pdf" PRIMARY KEY ("certificate_id", "locale"),
      CONSTRAINT "FK_certificate_pdf_certificate" FOREIGN KEY ("certificate_id") REFERENCES "certificate"("id") ON DELETE CASCADE
    )`);

    await q.query(`CREATE TABLE "public_profile" (
      "user_id" uuid NOT NULL,
      "handle" text NOT NULL,
      "enabled" boolean NOT NULL DEFAULT true,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_public_profile" PRIMARY KEY ("user_id"),
      CONSTRAINT "UQ_public_profile_handle" UNIQUE ("handle"),
      CONSTRAINT "FK_public_profile_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE
    )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "public_profile"`);
    await q.query(`DROP TABLE "certificate_pdf"`);
    await q.query(`DROP TABLE "certificate"`);
    await q.query(`DROP TABLE "status_list"`);
    await q.query(`DROP TABLE "certificate_rule"`);
  }
}
