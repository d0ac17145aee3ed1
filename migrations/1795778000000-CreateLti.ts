import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * LTI 1.3 tool (Core, Deep Linking 2.0, AGS 2.0): registered platforms, OIDC login states (state +
 * single-use nonce, server-side: no cookies in LMS iframes), platform users mapped to Hocso accounts,
 * resource links with their AGS line items, deep-linking sessions and score passback attempts.
 */
export class CreateLti1795778000000 implements MigrationInterface {
  name = 'CreateLti1795778000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "lti_platform" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "issuer" text NOT NULL,
      "client_id" text NOT NULL,
      "deployment_ids" text[] NOT NULL,
      "auth_login_url" text NOT NULL,
      "auth_token_url" text NOT NULL,
      "jwks_url" text NOT NULL,
      "integrator_id" uuid,
      "created_by" uuid,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_lti_platform" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_lti_platform_issuer_client" UNIQUE ("issuer", "client_id"),
      CONSTRAINT "CHK_lti_platform_deployments" CHECK (cardinality("deployment_ids") >= 1),
      CONSTRAINT "FK_lti_platform_integrator" FOREIGN KEY ("integrator_id") REFERENCES "org_unit"("id") ON DELETE SET NULL,
      CONSTRAINT "FK_lti_platform_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);
    await q.query(`CREATE INDEX "IDX_lti_platform_integrator" ON "lti_platform" ("integrator_id")`);

    await q.query(`CREATE TABLE "lti_login_state" (
      "state" text NOT NULL,
      "platform_id" uuid NOT NULL,
      "nonce" text NOT NULL,
      "login_hint" text NOT NULL,
      "lti_message_hint" text,
      "target_link_uri" text NOT NULL,
      "deployment_id" text,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
      "used_at" TIMESTAMP(3) WITH TIME ZONE,
      CONSTRAINT "PK_lti_login_state" PRIMARY KEY ("state"),
      CONSTRAINT "UQ_lti_login_state_nonce" UNIQUE ("nonce"),
      CONSTRAINT "FK_lti_login_state_platform" FOREIGN KEY ("platform_id") REFERENCES "lti_platform"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX "IDX_lti_login_state_expires" ON "lti_login_state" ("expires_at")`);

    await q.query(`CREATE TABLE "lti_user" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "platform_id" uuid NOT NULL,
      "sub" text NOT NULL,
      "user_id" uuid NOT NULL,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "last_launch_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_lti_user" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_lti_user_platform_sub" UNIQUE ("platform_id", "sub"),
      CONSTRAINT "FK_lti_user_platform" FOREIGN KEY ("platform_id") REFERENCES "lti_platform"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_lti_user_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX "IDX_lti_user_user" ON "lti_user" ("user_id")`);

    await q.query(`CREATE TABLE "lti_resource_link" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "platform_id" uuid NOT NULL,
      "deployment_id" text NOT NULL,
      "resource_link_id" text NOT NULL,
      "context_id" text,
      "context_title" text,
      "title" text,
      "course_slug" text NOT NULL,
      "lesson_id" uuid,
      "lineitem_url" text,
      "lineitems_url" text,
      "ags_scopes" text[] NOT NULL DEFAULT '{}',
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_lti_resource_link" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_lti_resource_link" UNIQUE ("platform_id", "deployment_id", "resource_link_id"),
      CONSTRAINT "FK_lti_resource_link_platform" FOREIGN KEY ("platform_id") REFERENCES "lti_platform"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX "IDX_lti_resource_link_course" ON "lti_resource_link" ("course_slug")`);

    await q.query(`CREATE TABLE "lti_resource_link_user" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "resource_link_id" uuid NOT NULL,
      "user_id" uuid NOT NULL,
      "platform_user_id" text NOT NULL,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "last_launch_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_lti_resource_link_user" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_lti_resource_link_user" UNIQUE ("resource_link_id", "user_id"),
      CONSTRAINT "FK_lti_resource_link_user_link" FOREIGN KEY ("resource_link_id") REFERENCES "lti_resource_link"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_lti_resource_link_user_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX "IDX_lti_resource_link_user_user" ON "lti_resource_link_user" ("user_id")`);

    await q.query(`CREATE TABLE "lti_deep_link_session" (
      "token_hash" text NOT NULL,
      "platform_id" uuid NOT NULL,
      "deployment_id" text NOT NULL,
      "user_id" uuid NOT NULL,
      "return_url" text NOT NULL,
      "data" text,
      "accept_multiple" boolean NOT NULL DEFAULT true,
      "accept_line_item" boolean NOT NULL DEFAULT true,
      "accept_iframe" boolean NOT NULL DEFAULT false,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
      "used_at" TIMESTAMP(3) WITH TIME ZONE,
      CONSTRAINT "PK_lti_deep_link_session" PRIMARY KEY ("token_hash"),
      CONSTRAINT "FK_lti_deep_link_session_platform" FOREIGN KEY ("platform_id") REFERENCES "lti_platform"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_lti_deep_link_session_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX "IDX_lti_deep_link_session_expires" ON "lti_deep_link_session" ("expires_at")`);

    await q.query(`CREATE TABLE "lti_score" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "resource_link_user_id" uuid NOT NULL,
      "enrollment_id" uuid NOT NULL,
      "score_given" numeric(6,2) NOT NULL,
      "score_maximum" numeric(6,2) NOT NULL DEFAULT 100,
      "completed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
      "status" text NOT NULL DEFAULT 'pending',
      "attempts" integer NOT NULL DEFAULT 0,
      "last_error" text,
      "last_http_status" integer,
      "sent_at" TIMESTAMP(3) WITH TIME ZONE,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_lti_score" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_lti_score" UNIQUE ("resource_link_user_id", "enrollment_id"),
      CONSTRAINT "CHK_lti_score_status" CHECK ("status" IN ('pending','sent','failed')),
      CONSTRAINT "CHK_lti_score_range" CHECK ("score_given" >= 0 AND "score_given" <= "score_maximum"),
      CONSTRAINT "FK_lti_score_link_user" FOREIGN KEY ("resource_link_user_id") REFERENCES "lti_resource_link_user"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_lti_score_enrollment" FOREIGN KEY ("enrollment_id") REFERENCES "enrollment"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX "IDX_lti_score_enrollment" ON "lti_score" ("enrollment_id")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "lti_score"`);
    await q.query(`DROP TABLE "lti_deep_link_session"`);
    await q.query(`DROP TABLE "lti_resource_link_user"`);
    await q.query(`DROP TABLE "lti_resource_link"`);
    await q.query(`DROP TABLE "lti_user"`);
    await q.query(`DROP TABLE "lti_login_state"`);
    await q.query(`DROP TABLE "lti_platform"`);
  }
}
