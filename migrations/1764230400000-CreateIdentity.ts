import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdentity1764230400000 implements MigrationInterface {
  name = 'CreateIdentity1764230400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);

    await q.query(`CREATE TABLE "org_unit" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "kind" text NOT NULL,
      "code" text NOT NULL,
      "name" text NOT NULL,
      "parent_id" uuid,
      "path" text NOT NULL,
      CONSTRAINT "PK_org_unit" PRIMARY KEY ("id"),
      CONSTRAINT "FK_org_unit_parent" FOREIGN KEY ("parent_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT,
      CONSTRAINT "CHK_org_unit_kind" CHECK ("kind" IN ('province','ward','commune','agency','school','community_team','industrial_park','enterprise','integrator'))
    )`);
    await q.query(`CREATE UNIQUE INDEX "IDX_org_unit_code" ON "org_unit" ("code")`);
    await q.query(`CREATE INDEX "IDX_org_unit_path" ON "org_unit" ("path" text_pattern_ops)`);
    await q.query(`CREATE INDEX "IDX_org_unit_parent" ON "org_unit" ("parent_id")`);

    await q.query(`CREATE TABLE "app_user" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "email" text,
      "phone" text,
      "password_hash" text,
      "full_name" text NOT NULL,
      "locale" text NOT NULL DEFAULT 'vi',
      "org_unit_id" uuid,
      "birth_year" integer,
      "roles" text array NOT NULL DEFAULT '{learner}',
      "status" text NOT NULL DEFAULT 'active',
      "erased_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_app_user" PRIMARY KEY ("id"),
      CONSTRAINT "FK_app_user_org_unit" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE SET NULL,
      CONSTRAINT "CHK_app_user_locale" CHECK ("locale" IN ('vi','en')),
      CONSTRAINT "CHK_app_user_status" CHECK ("status" IN ('active','disabled','erased')),
      CONSTRAINT "CHK_app_user_birth_year" CHECK ("birth_year" IS NULL OR "birth_year" BETWEEN 1900 AND 2100)
    )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_app_user_email" ON "app_user" ("email") WHERE "email" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "UQ_app_user_phone" ON "app_user" ("phone") WHERE "phone" IS NOT NULL`);
    await q.query(`CREATE INDEX "IDX_app_user_org_unit" ON "app_user" ("org_unit_id")`);

    await q.query(`CREATE TABLE "consent_record" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "user_id" uuid NOT NULL,
      "purpose" text NOT NULL,
      "granted" boolean NOT NULL,
      "notice_version" text NOT NULL,
      "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_consent_record" PRIMARY KEY ("id"),
      CONSTRAINT "FK_consent_record_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX "IDX_consent_record_user" ON "consent_record" ("user_id", "purpose", "recorded_at")`);

    await q.query(`CREATE TABLE "refresh_token" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "user_id" uuid NOT NULL,
      "family_id" uuid NOT NULL,
      "token_hash" text NOT NULL,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "used_at" TIMESTAMP WITH TIME ZONE,
      "revoked_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_refresh_token" PRIMARY KEY ("id"),
      CONSTRAINT "FK_refresh_token_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_refresh_token_hash" ON "refresh_token" ("token_hash")`);
    await q.query(`CREATE INDEX "IDX_refresh_token_family" ON "refresh_token" ("family_id")`);
    await q.query(`CREATE INDEX "IDX_refresh_token_expires" ON "refresh_token" ("expires_at")`);

    await q.query(`CREATE TABLE "api_key" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "name" text NOT NULL,
      "prefix" text NOT NULL,
      "secret_hash" text NOT NULL,
      "org_unit_id" uuid NOT NULL,
      "scopes" text array NOT NULL,
      "created_by" uuid,
      "expires_at" TIMESTAMP WITH TIME ZONE,
      "last_used_at" TIMESTAMP WITH TIME ZONE,
      "revoked_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_api_key" PRIMARY KEY ("id"),
      CONSTRAINT "FK_api_key_org_unit" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_api_key_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_api_key_prefix" ON "api_key" ("prefix")`);
    await q.query(`CREATE INDEX "IDX_api_key_org_unit" ON "api_key" ("org_unit_id")`);

    await q.query(`CREATE TABLE "data_rights_request" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "user_id" uuid NOT NULL,
      "kind" text NOT NULL,
      "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "completed_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_data_rights_request" PRIMARY KEY ("id"),
      CONSTRAINT "FK_data_rights_request_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE,
      CONSTRAINT "CHK_data_rights_request_kind" CHECK ("kind" IN ('export','erasure'))
    )`);

    await q.query(`CREATE TABLE "idempotency_key" (
      "scope" text NOT NULL,
      "key" text NOT NULL,
      "method" text NOT NULL,
      "path" text NOT NULL,
      "request_hash" text NOT NULL,
      "state" text NOT NULL,
      "response_status" integer,
      "response_body" jsonb,
      "response_headers" jsonb,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_idempotency_key" PRIMARY KEY ("scope", "key"),
      CONSTRAINT "CHK_idempotency_key_state" CHECK ("state" IN ('in_progress','completed'))
    )`);
    await q.query(`CREATE INDEX "IDX_idempotency_key_expires" ON "idempotency_key" ("expires_at")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "idempotency_key"`);
    await q.query(`DROP TABLE "data_rights_request"`);
    await q.query(`DROP TABLE "api_key"`);
    await q.query(`DROP TABLE "refresh_token"`);
    await q.query(`DROP TABLE "consent_record"`);
    await q.query(`DROP TABLE "app_user"`);
    await q.query(`DROP TABLE "org_unit"`);
  }
}
