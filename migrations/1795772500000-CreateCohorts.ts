import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trainer cohorts and the ToT cascade (issue 6): trainer profiles and qualifications (appointed, or
 * earned in a ToT cohort — with the master trainer and cohort they came from), cohorts with their
 * courses and staff, members (active or waitlisted), sessions and attendance.
 */
export class CreateCohorts1795772500000 implements MigrationInterface {
  name = 'CreateCohorts1795772500000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "trainer_profile" (
      "user_id" uuid NOT NULL,
      "source" text,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_trainer_profile" PRIMARY KEY ("user_id"),
      CONSTRAINT "CHK_trainer_profile_source" CHECK ("source" IN ('department','commune','university','college','community_team')),
      CONSTRAINT "FK_trainer_profile_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE
    )`);

    await q.query(`CREATE TABLE "cohort" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "title" text NOT NULL,
      "kind" text NOT NULL,
      "mode" text NOT NULL,
      "status" text NOT NULL DEFAULT 'planned',
      "starts_on" date NOT NULL,
      "ends_on" date NOT NULL,
      "capacity" integer NOT NULL,
      "org_unit_id" uuid NOT NULL,
      "location" text,
      "lead_trainer_id" uuid NOT NULL,
      "lead_qualification_id" uuid,
      "practicum_of_cohort_id" uuid,
      "qualifies_level" text,
      "join_code" text,
      "min_attendance_percent" smallint NOT NULL,
      "created_by" uuid,
      "started_at" TIMESTAMP WITH TIME ZONE,
      "finished_at" TIMESTAMP WITH TIME ZONE,
      "finished_by" uuid,
      "archived_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_cohort" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_cohort_kind" CHECK ("kind" IN ('tot','official','citizen','worker')),
      CONSTRAINT "CHK_cohort_mode" CHECK ("mode" IN ('online','in_person','blended')),
      CONSTRAINT "CHK_cohort_status" CHECK ("status" IN ('planned','running','finished','archived')),
      CONSTRAINT "CHK_cohort_dates" CHECK ("ends_on" >= "starts_on"),
      CONSTRAINT "CHK_cohort_capacity" CHECK ("capacity" BETWEEN 1 AND 5000),
      CONSTRAINT "CHK_cohort_qualifies" CHECK (("kind" = 'tot') = ("qualifies_level" IS NOT NULL)),
      CONSTRAINT "CHK_cohort_qualifies_level" CHECK ("qualifies_level" IN ('core','community')),
      CONSTRAINT "CHK_cohort_attendance" CHECK ("min_attendance_percent" BETWEEN 0 AND 100),
      CONSTRAINT "UQ_cohort_join_code" UNIQUE ("join_code"),
      CONSTRAINT "FK_cohort_org_unit" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id"),
      CONSTRAINT "FK_cohort_lead" FOREIGN KEY ("lead_trainer_id") REFERENCES "app_user"("id"),
      CONSTRAINT "FK_cohort_practicum_of" FOREIGN KEY ("practicum_of_cohort_id") REFERENCES "cohort"("id"),
      CONSTRAINT "FK_cohort_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE SET NULL,
      CONSTRAINT "FK_cohort_finished_by" FOREIGN KEY ("finished_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);
    await q.query(`CREATE INDEX "IDX_cohort_lead" ON "cohort" ("lead_trainer_id", "status")`);
    await q.query(`CREATE INDEX "IDX_cohort_org_unit" ON "cohort" ("org_unit_id", "status")`);
    await q.query(`CREATE INDEX "IDX_cohort_dates" ON "cohort" ("status", "starts_on", "ends_on")`);

    await q.query(`CREATE TABLE "trainer_qualification" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "user_id" uuid NOT NULL,
      "level" text NOT NULL,
      "basis" text NOT NULL,
      "granted_on" date NOT NULL,
      "expires_on" date,
      "granted_by" uuid,
      "qualified_by" uuid,
      "cohort_id" uuid,
      "revoked_at" TIMESTAMP WITH TIME ZONE,
      "revoked_by" uuid,
      "revoke_reason" text,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_trainer_qualification" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_trainer_qualification_level" CHECK ("level" IN ('master','core','community')),
      CONSTRAINT "CHK_trainer_qualification_basis" CHECK ("basis" IN ('appointment','tot_cohort')),
      CONSTRAINT "CHK_trainer_qualification_cohort" CHECK (("basis" = 'tot_cohort') = ("cohort_id" IS NOT NULL)),
      CONSTRAINT "CHK_trainer_qualification_expiry" CHECK ("expires_on" IS NULL OR "expires_on" >= "granted_on"),
      CONSTRAINT "UQ_trainer_qualification_cohort_user" UNIQUE ("cohort_id", "user_id"),
      CONSTRAINT "FK_trainer_qualification_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_trainer_qualification_granted_by" FOREIGN KEY ("granted_by") REFERENCES "app_user"("id") ON DELETE SET NULL,
      CONSTRAINT "FK_trainer_qualification_qualified_by" FOREIGN KEY ("qualified_by") REFERENCES "app_user"("id") ON DELETE SET NULL,
      CONSTRAINT "FK_trainer_qualification_revoked_by" FOREIGN KEY ("revoked_by") REFERENCES "app_user"("id") ON DELETE SET NULL,
      CONSTRAINT "FK_trainer_qualification_cohort" FOREIGN KEY ("cohort_id") REFERENCES "cohort"("id")
    )`);
    await q.query(`CREATE INDEX "IDX_trainer_qualification_user" ON "trainer_qualification" ("user_id")`);
    await q.query(`CREATE INDEX "IDX_trainer_qualification_qualified_by" ON "trainer_qualification" ("qualified_by")`);
    await q.query(`ALTER TABLE "cohort" ADD CONSTRAINT "FK_cohort_lead_qualification"
      FOREIGN KEY ("lead_qualification_id") REFERENCES "trainer_qualification"("id")`);

    await q.query(`CREATE TABLE "cohort_course" (
      "cohort_id" uuid NOT NULL,
      "course_id" uuid NOT NULL,
      "course_slug" text NOT NULL,
      "position" smallint NOT NULL,
      CONSTRAINT "PK_cohort_course" PRIMARY KEY ("cohort_id", "course_id"),
      CONSTRAINT "FK_cohort_course_cohort" FOREIGN KEY ("cohort_id") REFERENCES "cohort"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_cohort_course_course" FOREIGN KEY ("course_id") REFERENCES "course"("id")
    )`);

    await q.query(`CREATE TABLE "cohort_staff" (
      "cohort_id" uuid NOT NULL,
      "user_id" uuid NOT NULL,
      "role" text NOT NULL,
      "added_by" uuid,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_cohort_staff" PRIMARY KEY ("cohort_id", "user_id"),
      CONSTRAINT "CHK_cohort_staff_role" CHECK ("role" IN ('co_trainer','assistant')),
      CONSTRAINT "FK_cohort_staff_cohort" FOREIGN KEY ("cohort_id") REFERENCES "cohort"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_cohort_staff_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX "IDX_cohort_staff_user" ON "cohort_staff" ("user_id")`);

    await q.query(`CREATE TABLE "cohort_member" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "cohort_id" uuid NOT NULL,
      "user_id" uuid NOT NULL,
      "status" text NOT NULL,
      "source" text NOT NULL,
      "added_by" uuid,
      "joined_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "activated_at" TIMESTAMP WITH TIME ZONE,
      "left_at" TIMESTAMP WITH TIME ZONE,
      "transferred_to" uuid,
      "practicum_status" text,
      "practicum_cohort_id" uuid,
      "practicum_decided_by" uuid,
      "practicum_decided_at" TIMESTAMP WITH TIME ZONE,
      "practicum_note" text,
      "outcome" text,
      "outcome_reasons" text array,
      "outcome_at" TIMESTAMP WITH TIME ZONE,
      "qualification_id" uuid,
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_cohort_member" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_cohort_member" UNIQUE ("cohort_id", "user_id"),
      CONSTRAINT "CHK_cohort_member_status" CHECK ("status" IN ('active','waitlisted','removed','transferred')),
      CONSTRAINT "CHK_cohort_member_source" CHECK ("source" IN ('roster','self_join','transfer')),
      CONSTRAINT "CHK_cohort_member_practicum" CHECK ("practicum_status" IN ('approved','rejected')),
      CONSTRAINT "CHK_cohort_member_outcome" CHECK ("outcome" IN ('passed','not_passed')),
      CONSTRAINT "FK_cohort_member_cohort" FOREIGN KEY ("cohort_id") REFERENCES "cohort"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_cohort_member_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_cohort_member_added_by" FOREIGN KEY ("added_by") REFERENCES "app_user"("id") ON DELETE SET NULL,
      CONSTRAINT "FK_cohort_member_transferred_to" FOREIGN KEY ("transferred_to") REFERENCES "cohort"("id"),
      CONSTRAINT "FK_cohort_member_practicum_cohort" FOREIGN KEY ("practicum_cohort_id") REFERENCES "cohort"("id"),
      CONSTRAINT "FK_cohort_member_qualification" FOREIGN KEY ("qualification_id") REFERENCES "trainer_qualification"("id")
    )`);
    await q.query(`CREATE INDEX "IDX_cohort_member_user" ON "cohort_member" ("user_id")`);
    await q.query(`CREATE INDEX "IDX_cohort_member_queue" ON "cohort_member" ("cohort_id", "status", "joined_at")`);

    await q.query(`CREATE TABLE "cohort_session" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "cohort_id" uuid NOT NULL,
      "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "duration_minutes" smallint NOT NULL,
      "location" text,
      "title" text,
      "created_by" uuid,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_cohort_session" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_cohort_session_duration" CHECK ("duration_minutes" BETWEEN 1 AND 720),
      CONSTRAINT "FK_cohort_session_cohort" FOREIGN KEY ("cohort_id") REFERENCES "cohort"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_cohort_session_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);
    await q.query(`CREATE INDEX "IDX_cohort_session_cohort" ON "cohort_session" ("cohort_id", "starts_at")`);

    await q.query(`CREATE TABLE "cohort_attendance" (
      "session_id" uuid NOT NULL,
      "user_id" uuid NOT NULL,
      "cohort_id" uuid NOT NULL,
      "status" text NOT NULL,
      "minutes" smallint NOT NULL,
      "local_date" date NOT NULL,
      "recorded_by" uuid,
      "recorded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_cohort_attendance" PRIMARY KEY ("session_id", "user_id"),
      CONSTRAINT "CHK_cohort_attendance_status" CHECK ("status" IN ('present','late','absent')),
      CONSTRAINT "CHK_cohort_attendance_minutes" CHECK ("minutes" >= 0 AND ("status" <> 'absent' OR "minutes" = 0)),
      CONSTRAINT "FK_cohort_attendance_session" FOREIGN KEY ("session_id") REFERENCES "cohort_session"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_cohort_attendance_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_cohort_attendance_cohort" FOREIGN KEY ("cohort_id") REFERENCES "cohort"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_cohort_attendance_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);
    await q.query(`CREATE INDEX "IDX_cohort_attendance_user_date" ON "cohort_attendance" ("user_id", "local_date")`);
    await q.query(`CREATE INDEX "IDX_cohort_attendance_cohort" ON "cohort_attendance" ("cohort_id", "user_id")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "cohort_attendance"`);
    await q.query(`DROP TABLE "cohort_session"`);
    await q.query(`DROP TABLE "cohort_member"`);
    await q.query(`DROP TABLE "cohort_staff"`);
    await q.query(`DROP TABLE "cohort_course"`);
    await q.query(`ALTER TABLE "cohort" DROP CONSTRAINT "FK_cohort_lead_qualification"`);
    await q.query(`DROP TABLE "trainer_qualification"`);
    await q.query(`DROP TABLE "cohort"`);
    await q.query(`DROP TABLE "trainer_profile"`);
  }
}
