import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Competency frameworks, the course library and its immutable versions (modules → lessons →
 * blocks). Catalogue search uses a diacritic-folded column with pg_trgm (created by the first
 * migration), which works the same on PostgreSQL and on embedded PGlite.
 */
export class CreateCourses1795765113441 implements MigrationInterface {
  name = 'CreateCourses1795765113441';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "competency_framework" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "code" text NOT NULL,
      "version" text NOT NULL,
      "name_vi" text NOT NULL,
      "name_en" text NOT NULL,
      "source" text,
      "levels" jsonb NOT NULL,
      "is_current" boolean NOT NULL DEFAULT false,
      "content_hash" text NOT NULL,
      CONSTRAINT "PK_competency_framework" PRIMARY KEY ("id")
    )`);
    await q.query(
      `CREATE UNIQUE INDEX "UQ_competency_framework_code_version" ON "competency_framework" ("code", "version")`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "UQ_competency_framework_current" ON "competency_framework" ("code") WHERE "is_current"`,
    );

    await q.query(`CREATE TABLE "competency" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "framework_id" uuid NOT NULL,
      "kind" text NOT NULL,
      "code" text NOT NULL,
      "local_code" text NOT NULL,
      "parent_code" text,
      "name_vi" text NOT NULL,
      "name_en" text NOT NULL,
      "position" integer NOT NULL,
      "attributes" jsonb NOT NULL DEFAULT '{}',
      CONSTRAINT "PK_competency" PRIMARY KEY ("id"),
      CONSTRAINT "FK_competency_framework" FOREIGN KEY ("framework_id") REFERENCES "competency_framework"("id") ON DELETE CASCADE,
      CONSTRAINT "CHK_competency_kind" CHECK ("kind" IN ('domain','competency'))
    )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_competency_framework_code" ON "competency" ("framework_id", "code")`);

    await q.query(`CREATE TABLE "course" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "slug" text NOT NULL,
      "status" text NOT NULL,
      "source" text NOT NULL,
      "latest_version_id" uuid,
      "latest_version_number" integer NOT NULL DEFAULT 0,
      "title_vi" text NOT NULL,
      "title_en" text NOT NULL,
      "summary_vi" text NOT NULL,
      "summary_en" text NOT NULL,
      "audience" text array NOT NULL,
      "level" text NOT NULL,
      "language" text NOT NULL,
      "estimated_minutes" integer NOT NULL,
      "competencies" text array NOT NULL,
      "competency_index" text array NOT NULL,
      "licence" text NOT NULL,
      "last_reviewed" date NOT NULL,
      "tags" text array NOT NULL DEFAULT '{}',
      "lesson_count" integer NOT NULL,
      "title_sort" text NOT NULL,
      "title_folded" text NOT NULL,
      "search_text" text NOT NULL,
      "published_at" TIMESTAMP WITH TIME ZONE,
      "archived_at" TIMESTAMP WITH TIME ZONE,
      "draft" jsonb,
      "draft_hash" text,
      "draft_updated_at" TIMESTAMP WITH TIME ZONE,
      "created_by" uuid,
      "updated_by" uuid,
      CONSTRAINT "PK_course" PRIMARY KEY ("id"),
      CONSTRAINT "FK_course_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE SET NULL,
      CONSTRAINT "FK_course_updated_by" FOREIGN KEY ("updated_by") REFERENCES "app_user"("id") ON DELETE SET NULL,
      CONSTRAINT "CHK_course_status" CHECK ("status" IN ('draft','published','archived')),
      CONSTRAINT "CHK_course_source" CHECK ("source" IN ('import','authoring')),
      CONSTRAINT "CHK_course_slug" CHECK ("slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      CONSTRAINT "CHK_course_published_has_version" CHECK ("status" = 'draft' OR "latest_version_id" IS NOT NULL)
    )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_course_slug" ON "course" ("slug")`);
    await q.query(`CREATE INDEX "IDX_course_browse" ON "course" ("status", "title_sort", "id")`);
    await q.query(`CREATE INDEX "IDX_course_search_trgm" ON "course" USING gin ("search_text" gin_trgm_ops)`);
    await q.query(`CREATE INDEX "IDX_course_audience" ON "course" USING gin ("audience")`);
    await q.query(`CREATE INDEX "IDX_course_competency_index" ON "course" USING gin ("competency_index")`);

    await q.query(`CREATE TABLE "course_version" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "course_id" uuid NOT NULL,
      "number" integer NOT NULL,
      "content_hash" text NOT NULL,
      "package" jsonb NOT NULL,
      "source" text NOT NULL,
      "published_by" uuid,
      CONSTRAINT "PK_course_version" PRIMARY KEY ("id"),
      CONSTRAINT "FK_course_version_course" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE RESTRICT,
      CONSTRAINT "FK_course_version_published_by" FOREIGN KEY ("published_by") REFERENCES "app_user"("id") ON DELETE SET NULL,
      CONSTRAINT "CHK_course_version_number" CHECK ("number" >= 1),
      CONSTRAINT "CHK_course_version_source" CHECK ("source" IN ('import','authoring'))
    )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_course_version_number" ON "course_version" ("course_id", "number")`);
    await q.query(`CREATE INDEX "IDX_course_version_hash" ON "course_version" ("course_id", "content_hash")`);
    await q.query(`ALTER TABLE "course" ADD CONSTRAINT "FK_course_latest_version"
      FOREIGN KEY ("latest_version_id") REFERENCES "course_version"("id") ON DELETE RESTRICT`);
    // Published content never changes: a new version is a new row. (published_by may still be
    // cleared when that account is erased — the personal-data rule wins over immutability.)
    await q.query(`CREATE FUNCTION "course_version_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."course_id" IS DISTINCT FROM OLD."course_id" OR NEW."number" IS DISTINCT FROM OLD."number"
          OR NEW."content_hash" IS DISTINCT FROM OLD."content_hash" OR NEW."package" IS DISTINCT FROM OLD."package" THEN
          RAISE EXCEPTION 'course_version % is immutable', OLD."id" USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER "TRG_course_version_immutable" BEFORE UPDATE ON "course_version"
      FOR EACH ROW EXECUTE FUNCTION "course_version_immutable"()`);

    await q.query(`CREATE TABLE "course_module" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "version_id" uuid NOT NULL,
      "position" integer NOT NULL,
      "title_vi" text NOT NULL,
      "title_en" text NOT NULL,
      CONSTRAINT "PK_course_module" PRIMARY KEY ("id"),
      CONSTRAINT "FK_course_module_version" FOREIGN KEY ("version_id") REFERENCES "course_version"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_course_module_position" ON "course_module" ("version_id", "position")`);

    await q.query(`CREATE TABLE "course_lesson" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "version_id" uuid NOT NULL,
      "module_id" uuid NOT NULL,
      "position" integer NOT NULL,
      "slug" text NOT NULL,
      "title_vi" text NOT NULL,
      "title_en" text NOT NULL,
      "minutes" integer NOT NULL,
      "competencies" text array NOT NULL,
      CONSTRAINT "PK_course_lesson" PRIMARY KEY ("id"),
      CONSTRAINT "FK_course_lesson_version" FOREIGN KEY ("version_id") REFERENCES "course_version"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_course_lesson_module" FOREIGN KEY ("module_id") REFERENCES "course_module"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_course_lesson_slug" ON "course_lesson" ("version_id", "slug")`);
    await q.query(`CREATE UNIQUE INDEX "UQ_course_lesson_position" ON "course_lesson" ("version_id", "position")`);
    await q.query(`CREATE INDEX "IDX_course_lesson_module" ON "course_lesson" ("module_id")`);

    await q.query(`CREATE TABLE "course_block" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "version_id" uuid NOT NULL,
      "lesson_id" uuid NOT NULL,
      "position" integer NOT NULL,
      "kind" text NOT NULL,
      "key" text,
      "data" jsonb NOT NULL,
      CONSTRAINT "PK_course_block" PRIMARY KEY ("id"),
      CONSTRAINT "FK_course_block_version" FOREIGN KEY ("version_id") REFERENCES "course_version"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_course_block_lesson" FOREIGN KEY ("lesson_id") REFERENCES "course_lesson"("id") ON DELETE CASCADE,
      CONSTRAINT "CHK_course_block_kind" CHECK ("kind" IN ('text','quiz','practice','video','image','download'))
    )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_course_block_position" ON "course_block" ("lesson_id", "position")`);
    await q.query(
      `CREATE UNIQUE INDEX "UQ_course_block_key" ON "course_block" ("version_id", "key") WHERE "key" IS NOT NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "course_block"`);
    await q.query(`DROP TABLE "course_lesson"`);
    await q.query(`DROP TABLE "course_module"`);
    await q.query(`ALTER TABLE "course" DROP CONSTRAINT "FK_course_latest_version"`);
    await q.query(`DROP TRIGGER "TRG_course_version_immutable" ON "course_version"`);
    await q.query(`DROP FUNCTION "course_version_immutable"()`);
    await q.query(`DROP TABLE "course_version"`);
    await q.query(`DROP TABLE "course"`);
    await q.query(`DROP TABLE "competency"`);
    await q.query(`DROP TABLE "competency_framework"`);
  }
}
