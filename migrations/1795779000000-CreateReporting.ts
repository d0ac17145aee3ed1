import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Province KPIs (issue 9): KPI definitions as data with an audit trail of target changes,
 * denominators (population statistics per unit and year, officials' rosters per agency, each
 * industrial park's list of operating enterprises), where each user was when (so people who moved
 * count where they were at the snapshot date), and the snapshots themselves — provisional for open
 * periods, frozen by the weekly close.
 */
export class CreateReporting1795779000000 implements MigrationInterface {
  name = 'CreateReporting1795779000000';

  public async up(q: QueryRunner): Promise<void> {
    // Where each account belonged, and since when. Kept by a trigger so every path that sets
    // app_user.org_unit_id (admins, invitations, LTI, self-service) leaves a history row.
    await q.query(`CREATE TABLE "user_org_unit_history" (
      "user_id" uuid NOT NULL,
      "org_unit_id" uuid,
      "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL,
      "valid_to" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_user_org_unit_history" PRIMARY KEY ("user_id", "valid_from"),
      CONSTRAINT "CHK_user_org_unit_history_range" CHECK ("valid_to" IS NULL OR "valid_to" >= "valid_from"),
      CONSTRAINT "FK_user_org_unit_history_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_user_org_unit_history_unit" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE SET NULL
    )`);
    await q.query(
      `CREATE UNIQUE INDEX "UQ_user_org_unit_history_open" ON "user_org_unit_history" ("user_id") WHERE "valid_to" IS NULL`,
    );
    await q.query(`INSERT INTO "user_org_unit_history" ("user_id", "org_unit_id", "valid_from")
      SELECT "id", "org_unit_id", "created_at" FROM "app_user"`);
    await q.query(`CREATE FUNCTION "hocso_track_user_org_unit"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE since timestamptz := CASE WHEN TG_OP = 'INSERT' THEN NEW.created_at ELSE now() END;
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.org_unit_id IS NOT DISTINCT FROM OLD.org_unit_id THEN RETURN NEW; END IF;
        UPDATE user_org_unit_history SET valid_to = since WHERE user_id = NEW.id AND valid_to IS NULL AND valid_from <= since;
        INSERT INTO user_org_unit_history (user_id, org_unit_id, valid_from) VALUES (NEW.id, NEW.org_unit_id, since)
          ON CONFLICT (user_id, valid_from) DO UPDATE SET org_unit_id = EXCLUDED.org_unit_id, valid_to = NULL;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER "TRG_app_user_org_unit_history" AFTER INSERT OR UPDATE OF "org_unit_id" ON "app_user"
      FOR EACH ROW EXECUTE FUNCTION "hocso_track_user_org_unit"()`);

    await q.query(`CREATE TABLE "kpi_definition" (
      "code" text NOT NULL,
      "kind" text NOT NULL,
      "label_vi" text NOT NULL,
      "label_en" text NOT NULL,
      "description_vi" text NOT NULL,
      "description_en" text NOT NULL,
      "formula" text NOT NULL,
      "unit" text NOT NULL,
      "target_value" numeric(12,3),
      "target_comparison" text NOT NULL DEFAULT 'gte',
      "target_date" date,
      "period" text NOT NULL DEFAULT 'week',
      "owner_name" text,
      "owner_unit_id" uuid,
      "params" jsonb NOT NULL DEFAULT '{}',
      "position" smallint NOT NULL,
      "updated_by" uuid,
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_kpi_definition" PRIMARY KEY ("code"),
      CONSTRAINT "CHK_kpi_definition_code" CHECK ("code" ~ '^[A-Z][A-Z0-9_]{1,47}$'),
      CONSTRAINT "CHK_kpi_definition_kind" CHECK ("kind" IN ('target', 'activity')),
      CONSTRAINT "CHK_kpi_definition_unit" CHECK ("unit" IN ('people', 'percent', 'hours', 'count')),
      CONSTRAINT "CHK_kpi_definition_comparison" CHECK ("target_comparison" IN ('gte', 'gt')),
      CONSTRAINT "CHK_kpi_definition_period" CHECK ("period" IN ('week', 'month', 'quarter', 'year')),
      CONSTRAINT "FK_kpi_definition_owner" FOREIGN KEY ("owner_unit_id") REFERENCES "org_unit"("id") ON DELETE SET NULL,
      CONSTRAINT "FK_kpi_definition_updated_by" FOREIGN KEY ("updated_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);
    await q.query(`CREATE TABLE "kpi_definition_audit" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "code" text NOT NULL,
      "changed_by" uuid,
      "changed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "reason" text,
      "before" jsonb NOT NULL,
      "after" jsonb NOT NULL,
      CONSTRAINT "PK_kpi_definition_audit" PRIMARY KEY ("id"),
      CONSTRAINT "FK_kpi_definition_audit_code" FOREIGN KEY ("code") REFERENCES "kpi_definition"("code") ON DELETE CASCADE,
      CONSTRAINT "FK_kpi_definition_audit_by" FOREIGN KEY ("changed_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);
    await q.query(`CREATE INDEX "IDX_kpi_definition_audit_code" ON "kpi_definition_audit" ("code", "changed_at")`);

    await q.query(`CREATE TABLE "population_stat" (
      "org_unit_id" uuid NOT NULL,
      "period" text NOT NULL,
      "metric" text NOT NULL,
      "value" integer NOT NULL,
      "source" text NOT NULL,
      "source_date" date NOT NULL,
      "imported_by" uuid,
      "imported_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_population_stat" PRIMARY KEY ("org_unit_id", "period", "metric"),
      CONSTRAINT "CHK_population_stat_period" CHECK ("period" ~ '^[0-9]{4}$'),
      CONSTRAINT "CHK_population_stat_metric" CHECK ("metric" IN ('population', 'working_age', 'ai_target_age')),
      CONSTRAINT "CHK_population_stat_value" CHECK ("value" >= 0),
      CONSTRAINT "FK_population_stat_unit" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_population_stat_by" FOREIGN KEY ("imported_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);

    // The Department of Home Affairs' roster of officials, per agency: the OFFICIALS_TRAINED
    // denominator. A person is an e-mail or a phone number, matched to an account when the KPI is
    // computed; leaving the roster closes the row (active_to), it is not deleted.
    await q.query(`CREATE TABLE "official_roster" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "agency_id" uuid NOT NULL,
      "email" text,
      "phone" text,
      "full_name" text,
      "position" text NOT NULL,
      "active_from" date NOT NULL,
      "active_to" date,
      "updated_by" uuid,
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_official_roster" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_official_roster_contact" CHECK ("email" IS NOT NULL OR "phone" IS NOT NULL),
      CONSTRAINT "CHK_official_roster_position" CHECK ("position" IN ('leader', 'staff')),
      CONSTRAINT "CHK_official_roster_dates" CHECK ("active_to" IS NULL OR "active_to" >= "active_from"),
      CONSTRAINT "FK_official_roster_agency" FOREIGN KEY ("agency_id") REFERENCES "org_unit"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_official_roster_by" FOREIGN KEY ("updated_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);
    await q.query(
      `CREATE UNIQUE INDEX "UQ_official_roster_open_email" ON "official_roster" ("agency_id", "email") WHERE "active_to" IS NULL AND "email" IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "UQ_official_roster_open_phone" ON "official_roster" ("agency_id", "phone") WHERE "active_to" IS NULL AND "phone" IS NOT NULL AND "email" IS NULL`,
    );
    await q.query(`CREATE INDEX "IDX_official_roster_agency" ON "official_roster" ("agency_id", "active_from")`);

    // The industrial-park management board's list of operating enterprises: the
    // ENTERPRISE_WEEKLY_HOUR denominator, including enterprises not registered on Hocso.
    await q.query(`CREATE TABLE "park_enterprise" (
      "park_id" uuid NOT NULL,
      "tax_code" text NOT NULL,
      "name" text NOT NULL,
      "operating_from" date,
      "operating_to" date,
      "listed_on" date NOT NULL,
      "delisted_on" date,
      "updated_by" uuid,
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_park_enterprise" PRIMARY KEY ("park_id", "tax_code"),
      CONSTRAINT "CHK_park_enterprise_tax_code" CHECK ("tax_code" ~ '^[0-9]{10}(-[0-9]{3})?$'),
      CONSTRAINT "CHK_park_enterprise_dates" CHECK ("operating_to" IS NULL OR "operating_from" IS NULL OR "operating_to" >= "operating_from"),
      CONSTRAINT "FK_park_enterprise_park" FOREIGN KEY ("park_id") REFERENCES "industrial_park"("org_unit_id") ON DELETE CASCADE,
      CONSTRAINT "FK_park_enterprise_by" FOREIGN KEY ("updated_by") REFERENCES "app_user"("id") ON DELETE SET NULL
    )`);
    await q.query(`CREATE INDEX "IDX_park_enterprise_tax_code" ON "park_enterprise" ("tax_code")`);

    await q.query(`CREATE TABLE "kpi_period" (
      "period" text NOT NULL,
      "kind" text NOT NULL,
      "starts_on" date NOT NULL,
      "ends_on" date NOT NULL,
      "as_of" date NOT NULL,
      "status" text NOT NULL,
      "computed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
      "frozen_at" TIMESTAMP(3) WITH TIME ZONE,
      "duration_ms" integer NOT NULL,
      "row_count" integer NOT NULL,
      "definitions" jsonb NOT NULL,
      "late_checked_at" TIMESTAMP(3) WITH TIME ZONE,
      "audit" jsonb NOT NULL DEFAULT '[]',
      CONSTRAINT "PK_kpi_period" PRIMARY KEY ("period"),
      CONSTRAINT "CHK_kpi_period_kind" CHECK ("kind" IN ('week', 'month', 'quarter', 'year')),
      CONSTRAINT "CHK_kpi_period_status" CHECK ("status" IN ('provisional', 'frozen')),
      CONSTRAINT "CHK_kpi_period_frozen" CHECK (("status" = 'frozen') = ("frozen_at" IS NOT NULL))
    )`);
    await q.query(`CREATE TABLE "kpi_snapshot" (
      "period" text NOT NULL,
      "kpi_code" text NOT NULL,
      "org_unit_id" uuid NOT NULL,
      "dim" text NOT NULL DEFAULT '',
      "numerator" numeric(16,2) NOT NULL,
      "denominator" numeric(16,2),
      "details" jsonb NOT NULL DEFAULT '{}',
      "late" jsonb,
      CONSTRAINT "PK_kpi_snapshot" PRIMARY KEY ("period", "org_unit_id", "kpi_code", "dim"),
      CONSTRAINT "FK_kpi_snapshot_period" FOREIGN KEY ("period") REFERENCES "kpi_period"("period") ON DELETE CASCADE,
      CONSTRAINT "FK_kpi_snapshot_unit" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE CASCADE
    )`);
    await q.query(
      `CREATE INDEX "IDX_kpi_snapshot_series" ON "kpi_snapshot" ("kpi_code", "org_unit_id", "dim", "period")`,
    );
    // Indexes the KPI computation leans on.
    await q.query(
      `CREATE INDEX "IDX_enrollment_completed" ON "enrollment" ("course_id", "user_id") WHERE "completed_at" IS NOT NULL`,
    );

    await this.seedDefinitions(q);
  }

  /** The province's targets (shared/DESIGN.md §1, CONTEXT.md §7.4); province admins edit them. */
  private async seedDefinitions(q: QueryRunner) {
    const defs: Array<
      [string, string, string, string, string, string, string, string, number | null, string, string | null, object]
    > = [
      [
        'TOT_TRAINERS',
        'target',
        'Giảng viên nguồn đạt chuẩn ToT',
        'ToT-qualified trainers',
        'Số người đang giữ chứng nhận giảng viên (ToT) còn hiệu lực, theo cấp và nguồn.',
        'People holding a valid trainer (ToT) qualification, by level and source.',
        'count(distinct trainers with a valid qualification at the snapshot date)',
        'people',
        3000,
        'gte',
        null,
        { levels: ['master', 'core', 'community'] },
      ],
      [
        'OFFICIALS_TRAINED',
        'target',
        'Cán bộ, công chức được bồi dưỡng kỹ năng số',
        'Officials trained in digital skills',
        'Tỷ lệ cán bộ, công chức trong danh sách của Sở Nội vụ đã hoàn thành bộ khóa học chuyển đổi số cho cán bộ.',
        "Share of officials on the Department of Home Affairs' roster who completed the officials' digital-transformation course set.",
        'officials on the roster with valid completions of every course in the set / officials on the roster at the snapshot date',
        'percent',
        80,
        'gte',
        'Sở Nội vụ',
        { courseSlugs: ['chuyen-doi-so-cho-can-bo'] },
      ],
      [
        'ENTERPRISE_WEEKLY_HOUR',
        'target',
        'Doanh nghiệp KCN đào tạo người lao động ≥ 1 giờ/tuần',
        'Industrial-park enterprises training workers ≥ 1 hour a week',
        'Tỷ lệ doanh nghiệp đang hoạt động trong các KCN đạt chuẩn 1 giờ/tuần trong kỳ; doanh nghiệp chưa đăng ký Hocso tính là chưa đạt.',
        'Share of operating industrial-park enterprises compliant for the period; enterprises not registered on Hocso count as not compliant.',
        "enterprises compliant in at least periodShare of the period's ISO weeks / enterprises on the parks' operating lists during the period",
        'percent',
        80,
        'gt',
        'Ban Quản lý các KCN',
        { periodShare: 1 },
      ],
      [
        'CITIZENS_ONLINE_SERVICES',
        'target',
        'Người trong độ tuổi lao động sử dụng được dịch vụ công trực tuyến',
        'Working-age people able to use online public services',
        'Tỷ lệ dân số trong độ tuổi lao động đã hoàn thành khóa học dịch vụ công trực tuyến, kể cả bài đánh giá thực hành.',
        'Share of the working-age population who completed the online-public-services course, practice assessment included.',
        'residents in the age band with valid completions of every course in the set / working-age population (population_stat)',
        'percent',
        70,
        'gte',
        'Sở Khoa học và Công nghệ',
        { courseSlugs: ['dich-vu-cong-truc-tuyen'], ageMin: 15, ageMax: 60, denominatorMetric: 'working_age' },
      ],
      [
        'AI_BASICS',
        'target',
        'Người dân được phổ cập kiến thức AI cơ bản',
        'People with basic AI knowledge',
        'Tỷ lệ dân số trong độ tuổi mục tiêu đã hoàn thành khóa AI cơ bản.',
        'Share of the target-age population who completed AI basics.',
        'residents in the age band with a valid completion of AI basics / target-age population (population_stat)',
        'percent',
        80,
        'gte',
        'Sở Khoa học và Công nghệ',
        { courseSlugs: ['ai-co-ban-cho-moi-nguoi'], ageMin: 15, ageMax: 60, denominatorMetric: 'working_age' },
      ],
      [
        'LEARNERS_REGISTERED',
        'activity',
        'Người học đã đăng ký',
        'Registered learners',
        'Số tài khoản đang hoạt động tại ngày chốt, theo nhóm đối tượng.',
        'Accounts (not erased) at the snapshot date, by segment.',
        'count(accounts created before the end of the period, not erased)',
        'people',
        null,
        'gte',
        null,
        {},
      ],
      [
        'LEARNERS_ACTIVE_30D',
        'activity',
        'Người học hoạt động trong 30 ngày',
        'Learners active in the last 30 days',
        'Số người có thời gian học trực tuyến hoặc điểm danh buổi học trong 30 ngày đến ngày chốt.',
        'People with online learning time or session attendance in the 30 days up to the snapshot date.',
        'count(distinct people with learning minutes or attendance in [asOf − 29 days, asOf])',
        'people',
        null,
        'gte',
        null,
        { days: 30 },
      ],
      [
        'LEARNING_HOURS',
        'activity',
        'Giờ học trong kỳ',
        'Learning hours in the period',
        'Tổng giờ học trực tuyến và giờ dự buổi học trực tiếp trong kỳ.',
        'Online learning time plus attended session time within the period.',
        '(online learning seconds + attended session minutes × 60) / 3600 within the period',
        'hours',
        null,
        'gte',
        null,
        {},
      ],
      [
        'COMPLETIONS',
        'activity',
        'Lượt hoàn thành khóa học',
        'Course completions',
        'Số lượt hoàn thành khóa học còn hiệu lực (không tính chứng nhận đã thu hồi hoặc hết hạn).',
        'Valid course completions (revoked or expired certificates excluded).',
        'count(valid completions up to the snapshot date)',
        'count',
        null,
        'gte',
        null,
        {},
      ],
      [
        'CERTIFICATES',
        'activity',
        'Chứng nhận còn hiệu lực',
        'Valid certificates',
        'Số chứng nhận (khóa học và giảng viên) còn hiệu lực tại ngày chốt.',
        'Course and trainer certificates valid at the snapshot date.',
        'count(certificates issued, not revoked, not expired at the snapshot date)',
        'count',
        null,
        'gte',
        null,
        {},
      ],
    ];
    for (const [i, d] of defs.entries()) {
      await q.query(
        `INSERT INTO "kpi_definition" ("code", "kind", "label_vi", "label_en", "description_vi", "description_en", "formula",
           "unit", "target_value", "target_comparison", "target_date", "owner_name", "params", "position")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14)`,
        [
          d[0],
          d[1],
          d[2],
          d[3],
          d[4],
          d[5],
          d[6],
          d[7],
          d[8],
          d[9],
          d[1] === 'target' ? '2026-12-31' : null,
          d[10],
          JSON.stringify(d[11]),
          i + 1,
        ],
      );
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_enrollment_completed"`);
    await q.query(`DROP TABLE "kpi_snapshot"`);
    await q.query(`DROP TABLE "kpi_period"`);
    await q.query(`DROP TABLE "park_enterprise"`);
    await q.query(`DROP TABLE "official_roster"`);
    await q.query(`DROP TABLE "population_stat"`);
    await q.query(`DROP TABLE "kpi_definition_audit"`);
    await q.query(`DROP TABLE "kpi_definition"`);
    await q.query(`DROP TRIGGER "TRG_app_user_org_unit_history" ON "app_user"`);
    await q.query(`DROP FUNCTION "hocso_track_user_org_unit"()`);
    await q.query(`DROP TABLE "user_org_unit_history"`);
  }
}
