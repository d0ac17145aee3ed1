import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLearning1795767027547 implements MigrationInterface {
  name = 'CreateLearning1795767027547';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "enrollment" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "enrolled_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "user_id" uuid NOT NULL,
      "course_id" uuid NOT NULL,
      "course_slug" text NOT NULL,
      "version_id" uuid NOT NULL,
      "source" text NOT NULL,
      "source_ref" text,
      "status" text NOT NULL DEFAULT 'active',
      "completed_at" TIMESTAMP WITH TIME ZONE,
      "last_lesson_id" uuid,
      "last_activity_at" TIMESTAMP WITH TIME ZONE,
      "lessons_completed" integer NOT NULL DEFAULT 0,
      "learning_seconds" integer NOT NULL DEFAULT 0,
      CONSTRAINT "PK_enrollment" PRIMARY KEY ("id"),
      CONSTRAINT "FK_enrollment_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_enrollment_course" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE RESTRICT,
      CONSTRAINT "FK_enrollment_version" FOREIGN KEY ("version_id") REFERENCES "course_version"("id") ON DELETE RESTRICT,
      CONSTRAINT "CHK_enrollment_source" CHECK ("source" IN ('self','cohort','enterprise','lti')),
      CONSTRAINT "CHK_enrollment_status" CHECK ("status" IN ('active','completed','withdrawn'))
    )`);
    // One live enrollment per learner and course (a withdrawn one may be followed by a new one).
    await q.query(
      `CREATE UNIQUE INDEX "UQ_enrollment_user_course" ON "enrollment" ("user_id", "course_id") WHERE "status" <> 'withdrawn'`,
    );
    await q.query(`CREATE INDEX "IDX_enrollment_course" ON "enrollment" ("course_id", "status")`);

    await q.query(`CREATE TABLE "progress_event" (
      "user_id" uuid NOT NULL,
      "event_id" uuid NOT NULL,
      "enrollment_id" uuid NOT NULL,
      "type" text NOT NULL,
      "lesson_id" uuid NOT NULL,
      "block_id" text,
      "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
      "seconds" integer,
      "credited_seconds" integer NOT NULL DEFAULT 0,
      "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_progress_event" PRIMARY KEY ("user_id", "event_id"),
      CONSTRAINT "FK_progress_event_enrollment" FOREIGN KEY ("enrollment_id") REFERENCES "enrollment"("id") ON DELETE CASCADE,
      CONSTRAINT "CHK_progress_event_type" CHECK ("type" IN ('lesson_started','block_completed','lesson_completed','video_progress','heartbeat'))
    )`);
    await q.query(`CREATE INDEX "IDX_progress_event_enrollment" ON "progress_event" ("enrollment_id", "occurred_at")`);
    await q.query(`CREATE INDEX "IDX_progress_event_received" ON "progress_event" ("received_at")`);

    await q.query(`CREATE TABLE "lesson_progress" (
      "enrollment_id" uuid NOT NULL,
      "lesson_id" uuid NOT NULL,
      "started_at" TIMESTAMP WITH TIME ZONE,
      "completed_at" TIMESTAMP WITH TIME ZONE,
      "seconds" integer NOT NULL DEFAULT 0,
      CONSTRAINT "PK_lesson_progress" PRIMARY KEY ("enrollment_id", "lesson_id"),
      CONSTRAINT "FK_lesson_progress_enrollment" FOREIGN KEY ("enrollment_id") REFERENCES "enrollment"("id") ON DELETE CASCADE
    )`);

    await q.query(`CREATE TABLE "quiz_attempt" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "enrollment_id" uuid NOT NULL,
      "user_id" uuid NOT NULL,
      "quiz_id" text NOT NULL,
      "attempt_number" integer NOT NULL,
      "answers" jsonb NOT NULL,
      "graded" jsonb NOT NULL,
      "score" double precision NOT NULL,
      "passed" boolean NOT NULL,
      CONSTRAINT "PK_quiz_attempt" PRIMARY KEY ("id"),
      CONSTRAINT "FK_quiz_attempt_enrollment" FOREIGN KEY ("enrollment_id") REFERENCES "enrollment"("id") ON DELETE CASCADE,
      CONSTRAINT "UQ_quiz_attempt_number" UNIQUE ("enrollment_id", "quiz_id", "attempt_number")
    )`);

    await q.query(`CREATE TABLE "learning_minutes_daily" (
      "user_id" uuid NOT NULL,
      "local_date" date NOT NULL,
      "course_id" uuid NOT NULL,
      "seconds" integer NOT NULL DEFAULT 0,
      CONSTRAINT "PK_learning_minutes_daily" PRIMARY KEY ("user_id", "local_date", "course_id"),
      CONSTRAINT "FK_learning_minutes_daily_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX "IDX_learning_minutes_daily_date" ON "learning_minutes_daily" ("local_date")`);

    await q.query(`CREATE TABLE "learning_coverage" (
      "user_id" uuid NOT NULL,
      "local_date" date NOT NULL,
      "covered" int4multirange NOT NULL DEFAULT '{}',
      "seconds" integer NOT NULL DEFAULT 0,
      CONSTRAINT "PK_learning_coverage" PRIMARY KEY ("user_id", "local_date"),
      CONSTRAINT "FK_learning_coverage_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE
    )`);

    await q.query(`CREATE TABLE "xapi_statement" (
      "id" uuid NOT NULL,
      "user_id" uuid NOT NULL,
      "verb" text NOT NULL,
      "timestamp" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
      "stored" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "statement" jsonb NOT NULL,
      CONSTRAINT "PK_xapi_statement" PRIMARY KEY ("id"),
      CONSTRAINT "FK_xapi_statement_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX "IDX_xapi_statement_stored" ON "xapi_statement" ("stored", "id")`);
    await q.query(`CREATE INDEX "IDX_xapi_statement_user" ON "xapi_statement" ("user_id", "stored")`);

    // The completion rule of a course version, as data (default: every lesson and every quiz).
    await q.query(`CREATE TABLE "course_completion_rule" (
      "version_id" uuid NOT NULL,
      "required_lesson_ids" uuid array NOT NULL,
      "required_quiz_ids" text array NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_course_completion_rule" PRIMARY KEY ("version_id"),
      CONSTRAINT "FK_course_completion_rule_version" FOREIGN KEY ("version_id") REFERENCES "course_version"("id") ON DELETE CASCADE
    )`);

    await q.query(`CREATE TABLE "learning_event" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "type" text NOT NULL,
      "key" text NOT NULL,
      "payload" jsonb NOT NULL,
      "published_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_learning_event" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_learning_event_type_key" UNIQUE ("type", "key")
    )`);
    await q.query(
      `CREATE INDEX "IDX_learning_event_unpublished" ON "learning_event" ("created_at") WHERE "published_at" IS NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "learning_event"`);
    await q.query(`DROP TABLE "course_completion_rule"`);
    await q.query(`DROP TABLE "xapi_statement"`);
    await q.query(`DROP TABLE "learning_coverage"`);
    await q.query(`DROP TABLE "learning_minutes_daily"`);
    await q.query(`DROP TABLE "quiz_attempt"`);
    await q.query(`DROP TABLE "lesson_progress"`);
    await q.query(`DROP TABLE "progress_event"`);
    await q.query(`DROP TABLE "enrollment"`);
  }
}
