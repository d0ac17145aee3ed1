import { sessionKeyOf } from '@hocso/workforce';
import type { QueryRunner } from 'typeorm';
import { TRAINING_TOPICS } from './names';
import type { Plan } from './plan';
import { nfc, sessionHelpersSql } from './random';
import type { Scale } from './scales';

/**
 * The set-based generator: every bulk table is filled by a few `INSERT … SELECT` statements over
 * generate_series inside PostgreSQL, randomised with the deterministic pg_temp.u(salt, n). One
 * QueryRunner (one session) runs everything, so the pg_temp helpers and the demo_* temp tables that
 * tie the phases together are visible to every statement. The caller wraps the phases in one
 * transaction: a failed run leaves nothing behind.
 */

/** Who enrols in what on their own (segment, age band, course, P(enrol), P(complete | enrolled)). */
const ENROLLMENT_RULES: Array<[string, number, number, string, number, number]> = [
  ['citizen', 15, 60, 'dich-vu-cong-truc-tuyen', 0.55, 0.68],
  ['citizen', 15, 60, 'ai-co-ban-cho-moi-nguoi', 0.55, 0.68],
  ['citizen', 15, 60, 'vneid-dinh-danh-dien-tu', 0.2, 0.65],
  ['citizen', 15, 60, 'lam-quen-dien-thoai-internet', 0.08, 0.7],
  ['citizen', 15, 60, 'thanh-toan-so-an-toan', 0.12, 0.6],
  ['citizen', 15, 60, 'an-toan-khong-gian-mang', 0.08, 0.55],
  ['citizen', 15, 60, 'dich-vu-so-thiet-yeu', 0.1, 0.5],
  ['citizen', 15, 60, 'bao-ve-du-lieu-ca-nhan', 0.05, 0.5],
  ['citizen', 61, 200, 'lam-quen-dien-thoai-internet', 0.3, 0.6],
  ['citizen', 61, 200, 'vneid-dinh-danh-dien-tu', 0.25, 0.6],
  ['citizen', 61, 200, 'dich-vu-cong-truc-tuyen', 0.2, 0.5],
  ['citizen', 61, 200, 'ai-co-ban-cho-moi-nguoi', 0.1, 0.5],
  ['citizen', 61, 200, 'thanh-toan-so-an-toan', 0.08, 0.5],
  ['citizen', 61, 200, 'dich-vu-so-thiet-yeu', 0.1, 0.5],
  ['student', 0, 200, 'ai-co-ban-cho-moi-nguoi', 0.6, 0.65],
  ['student', 0, 200, 'an-toan-khong-gian-mang', 0.35, 0.6],
  ['student', 0, 200, 'bao-ve-du-lieu-ca-nhan', 0.25, 0.6],
  ['student', 0, 200, 'dich-vu-cong-truc-tuyen', 0.15, 0.5],
  ['student', 0, 200, 'lam-quen-dien-thoai-internet', 0.05, 0.8],
  ['official', 0, 200, 'chuyen-doi-so-cho-can-bo', 0.95, 0.9],
  ['official', 0, 200, 'ung-dung-ai-trong-hanh-chinh', 0.6, 0.6],
  ['official', 0, 200, 'an-toan-khong-gian-mang', 0.2, 0.6],
  ['official', 0, 200, 'dich-vu-cong-truc-tuyen', 0.3, 0.7],
  ['official', 0, 200, 'ai-co-ban-cho-moi-nguoi', 0.35, 0.7],
  ['official', 0, 200, 'bao-ve-du-lieu-ca-nhan', 0.15, 0.6],
  ['worker', 0, 200, 'ky-nang-so-noi-lam-viec', 0.85, 0.6],
  ['worker', 0, 200, 'an-toan-khong-gian-mang', 0.2, 0.5],
  ['worker', 0, 200, 'ai-co-ban-cho-moi-nguoi', 0.3, 0.55],
  ['worker', 0, 200, 'dich-vu-cong-truc-tuyen', 0.2, 0.5],
  ['worker', 0, 200, 'thanh-toan-so-an-toan', 0.15, 0.5],
  ['trainer', 0, 200, 'ai-co-ban-cho-moi-nguoi', 0.9, 0.9],
  ['trainer', 0, 200, 'an-toan-khong-gian-mang', 0.5, 0.8],
  ['trainer', 0, 200, 'bao-ve-du-lieu-ca-nhan', 0.4, 0.8],
  ['trainer', 0, 200, 'chuyen-doi-so-cho-can-bo', 0.5, 0.85],
  ['trainer', 0, 200, 'ung-dung-ai-trong-hanh-chinh', 0.4, 0.8],
];

export interface DemoLogin {
  key: 'province_admin' | 'commune_admin' | 'park_admin' | 'trainer' | 'enterprise_manager';
  label: string;
  email: string;
  unit: string;
}

export interface GenerateOptions {
  runSalt: string;
  passwordHash: string;
  minAttendancePercent: number;
  /**
   * How bulk rows are written: `replica` (superuser: session_replication_role = replica, so no
   * per-row foreign-key or history triggers; history written set-based and every foreign key
   * verified set-based before commit), `disable-trigger` (table owner: the history trigger is
   * disabled for the bulk account insert), `trigger` (anything else: everything per row).
   */
  bulk: 'replica' | 'disable-trigger' | 'trigger';
  /** workforce weeks: the 8 past ISO weeks and the current one, oldest first */
  weeks: Array<{ isoWeek: string; monday: string; avail: number }>;
}

export class DemoGenerator {
  private readonly year: number;
  /** first `n` of the worker accounts (after the bulk segments) */
  readonly workerAccountBase: number;

  constructor(
    private readonly q: QueryRunner,
    private readonly plan: Plan,
    private readonly scale: Scale,
    private readonly opts: GenerateOptions,
  ) {
    this.year = Number(plan.today.slice(0, 4));
    const s = plan.segments;
    this.workerAccountBase = s.trainers + s.officials + s.students + s.citizens;
  }

  private async run(sql: string, params: unknown[] = []) {
    if (!process.env.SEED_DEMO_DEBUG) return this.q.query(sql, params);
    const explain = process.env.SEED_DEMO_EXPLAIN;
    if (explain && sql.includes(explain)) {
      await this.q.query('SAVEPOINT seed_demo_explain');
      const plan: Array<Record<string, string>> = await this.q.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
      console.log(plan.map((r) => Object.values(r)[0]).join('\n'));
      await this.q.query('ROLLBACK TO SAVEPOINT seed_demo_explain');
    }
    const t0 = performance.now();
    const result = await this.q.query(sql, params);
    const ms = performance.now() - t0;
    if (ms > 200) console.log(`      ${(ms / 1000).toFixed(1)} s  ${sql.replace(/\s+/g, ' ').slice(0, 110)}`);
    return result;
  }

  /** The pg_temp helpers and the small lookup tables every phase joins. */
  async setup(): Promise<void> {
    // Big sorts and hashes stay in memory; temp_buffers only before the first temp table.
    await this.run(`SET LOCAL work_mem = '256MB'`);
    // Row estimates over generate_series and fresh temp tables are wild; JIT would spend seconds
    // compiling each statement for nothing.
    await this.run(`SET LOCAL jit = off`);
    if (this.opts.bulk === 'replica') await this.run(`SET LOCAL session_replication_role = replica`);
    for (const sql of sessionHelpersSql(this.opts.runSalt)) await this.run(sql);
    await this.run(`DROP TABLE IF EXISTS demo_unit, demo_course, demo_user, demo_ent, demo_worker, demo_week,
      demo_trainer, demo_cohort, demo_member, demo_session, demo_move, demo_rep`);
    const p = this.plan;
    const unitRows = [
      ...p.units.map((u) => [u.id, u.kind, u.communeId]),
      ...p.communes.map((c) => [c.id, c.kind, c.id]),
      [p.rootId, 'province', null],
    ];
    await this.run(
      `CREATE TEMP TABLE demo_unit AS
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS t(id, kind, commune_id)`,
      [unitRows.map((r) => r[0]), unitRows.map((r) => r[1]), unitRows.map((r) => r[2])],
    );
    await this.run(`ALTER TABLE demo_unit ADD PRIMARY KEY (id)`);
    await this.run(`ANALYZE demo_unit`);
    await this.run(
      `CREATE TEMP TABLE demo_course AS
       SELECT row_number() OVER (ORDER BY slug)::int AS idx, id, slug, latest_version_id AS version_id,
              greatest(lesson_count, 1) AS lessons, greatest(estimated_minutes, 10) AS minutes
       FROM course WHERE status = 'published' AND latest_version_id IS NOT NULL`,
    );
    await this.run(`ANALYZE demo_course`);
  }

  // --------------------------------------------------------------------------------------------
  // Org units, parks, enterprises
  // --------------------------------------------------------------------------------------------

  async orgUnits(): Promise<void> {
    const p = this.plan;
    const fresh = p.units.filter((u) => u.isNew);
    await this.run(
      `INSERT INTO org_unit (id, kind, code, name, parent_id, path)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[])`,
      [
        fresh.map((u) => u.id),
        fresh.map((u) => u.kind),
        fresh.map((u) => u.code),
        fresh.map((u) => u.name),
        fresh.map((u) => u.parentId),
        fresh.map((u) => u.path),
      ],
    );
    await this.run(
      `INSERT INTO industrial_park (org_unit_id, commune_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT (org_unit_id) DO NOTHING`,
      [p.parks.map((x) => x.id), p.parks.map((x) => x.communeId)],
    );
    const e = p.enterprises;
    const parkId = (no: number) => p.parks[no - 1].id;
    await this.run(
      `INSERT INTO enterprise (org_unit_id, industrial_park_id, tax_code, commune_id, ownership, headcount_band, active_from)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::date[])`,
      [
        e.map((x) => x.id),
        e.map((x) => parkId(x.parkNo)),
        e.map((x) => x.taxCode),
        e.map((x) => x.communeId),
        e.map((x) => x.ownership),
        e.map((x) => x.band),
        e.map((x) => x.activeFrom),
      ],
    );
    // The parks' operating lists (the KPI denominator): registered enterprises and the extras.
    const listedOn = (from: string) => {
      const floor = this.addDays(-180);
      return from > floor ? from : floor;
    };
    const list = [
      ...e.map((x) => ({
        parkId: parkId(x.parkNo),
        taxCode: x.taxCode,
        name: x.name,
        operatingFrom: x.activeFrom,
        operatingTo: null as string | null,
      })),
      ...p.parkExtras,
    ];
    await this.run(
      `INSERT INTO park_enterprise (park_id, tax_code, name, operating_from, operating_to, listed_on)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::date[], $6::date[])`,
      [
        list.map((x) => x.parkId),
        list.map((x) => x.taxCode),
        list.map((x) => x.name),
        list.map((x) => x.operatingFrom),
        list.map((x) => x.operatingTo),
        list.map((x) => listedOn(x.operatingFrom)),
      ],
    );
    await this.run(
      `CREATE TEMP TABLE demo_ent AS
       SELECT * FROM unnest($1::int[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::float8[], $7::float8[],
                            $8::int[], $9::int[], $10::date[])
         AS t(no, id, park_id, commune_id, profile, coverage, trend, first_worker, workers, active_from)`,
      [
        e.map((x) => x.no),
        e.map((x) => x.id),
        e.map((x) => parkId(x.parkNo)),
        e.map((x) => x.communeId),
        e.map((x) => x.profile),
        e.map((x) => x.coverage),
        e.map((x) => x.trend),
        e.map((x) => x.firstWorker),
        e.map((x) => x.workers),
        e.map((x) => x.activeFrom),
      ],
    );
  }

  /** The demo accounts that can sign in (the trainer login is trainer n = 1, set in people()). */
  async logins(): Promise<DemoLogin[]> {
    const p = this.plan;
    const commune =
      p.communes.find((c) => c.name === nfc('Phường Phan Đình Phùng')) ??
      p.communes.find((c) => c.kind === 'ward') ??
      p.communes[0];
    const park = p.parks[0];
    const biggest = [...p.enterprises].filter((e) => e.parkNo === park.no).sort((a, b) => b.workers - a.workers)[0];
    const rows: Array<[number, string, string, string, string[], DemoLogin]> = [
      [
        1,
        `admin@${p.domain}`,
        'Quản trị viên tỉnh (demo)',
        p.rootId,
        ['province_admin', 'learner'],
        { key: 'province_admin', label: 'Quản trị tỉnh', email: `admin@${p.domain}`, unit: 'Tỉnh Thái Nguyên' },
      ],
      [
        2,
        `xa@${p.domain}`,
        `Quản trị ${commune.name} (demo)`,
        commune.id,
        ['org_admin', 'learner'],
        { key: 'commune_admin', label: 'Quản trị xã/phường', email: `xa@${p.domain}`, unit: commune.name },
      ],
      [
        3,
        `kcn@${p.domain}`,
        `Quản trị ${park.name} (demo)`,
        park.id,
        ['org_admin', 'learner'],
        { key: 'park_admin', label: 'Quản trị KCN', email: `kcn@${p.domain}`, unit: park.name },
      ],
      [
        4,
        `doanhnghiep@${p.domain}`,
        'Cán bộ nhân sự doanh nghiệp (demo)',
        biggest.id,
        ['enterprise_manager', 'learner'],
        {
          key: 'enterprise_manager',
          label: 'Quản lý doanh nghiệp',
          email: `doanhnghiep@${p.domain}`,
          unit: biggest.name,
        },
      ],
    ];
    await this.run(
      `INSERT INTO app_user (id, created_at, updated_at, email, password_hash, full_name, org_unit_id, roles, status, locale)
       SELECT pg_temp.id('login', t.k), now() - interval '365 days', now() - interval '365 days', t.email, $6,
              t.full_name, t.org, string_to_array(t.roles, ','), 'active', 'vi'
       FROM unnest($1::int[], $2::text[], $3::text[], $4::uuid[], $5::text[]) AS t(k, email, full_name, org, roles)`,
      [
        rows.map((r) => r[0]),
        rows.map((r) => r[1]),
        rows.map((r) => nfc(r[2])),
        rows.map((r) => r[3]),
        rows.map((r) => r[4].join(',')),
        this.opts.passwordHash,
      ],
    );
    if (this.opts.bulk === 'replica') {
      // No trigger in replica mode: the history rows it would have written.
      await this.run(
        `INSERT INTO user_org_unit_history (user_id, org_unit_id, valid_from)
         SELECT id, org_unit_id, created_at FROM app_user WHERE id = ANY(ARRAY(SELECT pg_temp.id('login', k) FROM generate_series(1, 4) k))`,
      );
    }
    const trainerUnit = p.units.find((u) => u.id === p.trainers[0].orgUnitId)?.name ?? '';
    return [
      ...rows.map((r) => r[5]),
      { key: 'trainer', label: 'Giảng viên nguồn (master)', email: `giangvien@${p.domain}`, unit: trainerUnit },
    ];
  }

  // --------------------------------------------------------------------------------------------
  // People
  // --------------------------------------------------------------------------------------------

  /** created_at: the past 52 weeks, more sign-ups recently, 07:00–22:00 local. */
  private createdAtSql(salt: string, n: string, today: string) {
    return `least(pg_temp.ts(${today}::date - floor(364 * (1 - sqrt(pg_temp.u('${salt}c', ${n}))))::int,
                             25200 + floor(54000 * pg_temp.u('${salt}t', ${n}))), now() - interval '1 minute')`;
  }

  async people(): Promise<void> {
    const p = this.plan;
    const s = p.segments;
    const domain = p.domain;
    await this.run(`CREATE TEMP TABLE demo_user (
      n int PRIMARY KEY, id uuid NOT NULL, seg text NOT NULL, org_unit_id uuid, commune_id uuid, grp text,
      park_id uuid, ent_id uuid, birth_year int, created_at timestamptz NOT NULL, email text, full_name text NOT NULL,
      roles text[] NOT NULL)`);
    const t = p.trainers;
    // Trainers (n = 1 … T): their units, levels and ToT timeline come from the plan.
    await this.run(
      `INSERT INTO demo_user (n, id, seg, org_unit_id, commune_id, grp, birth_year, created_at, email, full_name, roles)
       SELECT x.n, pg_temp.id('u', x.n), 'trainer', x.org, du.commune_id, NULL,
              $5 - (26 + floor(32 * (pg_temp.u('tb1', x.n) + pg_temp.u('tb2', x.n)) / 2))::int,
              least(pg_temp.ts(x.created, 25200 + floor(36000 * pg_temp.u('tct', x.n))), now() - interval '1 minute'),
              CASE WHEN x.n = 1 THEN 'giangvien@' || $6 ELSE 'gv' || lpad(x.n::text, 6, '0') || '@' || $6 END,
              pg_temp.vn_name(x.n, 'p', 0.45), string_to_array(x.roles, ',')
       FROM unnest($1::int[], $2::uuid[], $3::date[], $4::text[]) AS x(n, org, created, roles)
       LEFT JOIN demo_unit du ON du.id = x.org`,
      [
        t.map((x) => x.n),
        t.map((x) => x.orgUnitId),
        t.map((x) => x.createdOn),
        t.map((x) =>
          ['learner', x.official ? 'official' : '', x.level === 'master' ? 'master_trainer' : 'trainer']
            .filter(Boolean)
            .join(','),
        ),
        this.year,
        domain,
      ],
    );
    // Officials: departments and commune People's Committees.
    let from = s.trainers + 1;
    let to = s.trainers + s.officials;
    await this.run(
      `INSERT INTO demo_user (n, id, seg, org_unit_id, commune_id, grp, birth_year, created_at, email, full_name, roles)
       SELECT a.n, pg_temp.id('u', a.n), 'official', a.org, du.commune_id,
              CASE WHEN du.commune_id IS NULL THEN 'province' ELSE a.org::text END,
              $4 - (24 + floor(36 * (pg_temp.u('ob1', a.n) + pg_temp.u('ob2', a.n)) / 2))::int,
              ${this.createdAtSql('o', 'a.n', '$6')},
              'cb' || lpad(a.n::text, 6, '0') || '@' || $5, pg_temp.vn_name(a.n, 'p', 0.5), '{learner,official}'
       FROM (SELECT n, ($3::uuid[])[1 + floor(pg_temp.u('oa', n) * cardinality($3::uuid[]))::int] AS org
             FROM generate_series($1::int, $2::int) n) a
       LEFT JOIN demo_unit du ON du.id = a.org`,
      [from, to, p.agencyBuckets, this.year, domain, p.today],
    );
    // Pupils and students: schools of each commune, universities and colleges.
    from = to + 1;
    to += s.students;
    await this.run(
      `INSERT INTO demo_user (n, id, seg, org_unit_id, commune_id, grp, birth_year, created_at, email, full_name, roles)
       SELECT a.n, pg_temp.id('u', a.n), 'student', a.org, du.commune_id, a.org::text,
              $4 - (15 + floor(8 * pg_temp.u('sb', a.n)))::int,
              ${this.createdAtSql('s', 'a.n', '$6')},
              CASE WHEN pg_temp.u('se', a.n) < 0.1 THEN 'hs' || lpad(a.n::text, 7, '0') || '@' || $5 END,
              pg_temp.vn_name(a.n, 'p', 0.52), '{learner}'
       FROM (SELECT n, ($3::uuid[])[1 + floor(pg_temp.u('sa', n) * cardinality($3::uuid[]))::int] AS org
             FROM generate_series($1::int, $2::int) n) a
       LEFT JOIN demo_unit du ON du.id = a.org`,
      [from, to, p.schoolBuckets, this.year, domain, p.today],
    );
    // Citizens: residence commune in proportion to population; 78 % in working age, 22 % over 60.
    from = to + 1;
    to += s.citizens;
    await this.run(
      `INSERT INTO demo_user (n, id, seg, org_unit_id, commune_id, grp, birth_year, created_at, email, full_name, roles)
       SELECT a.n, pg_temp.id('u', a.n), 'citizen', a.org, a.org, a.org::text,
              $4 - CASE WHEN pg_temp.u('cb0', a.n) < 0.78
                     THEN 18 + floor(43 * (pg_temp.u('cb1', a.n) + pg_temp.u('cb2', a.n)) / 2)
                     ELSE 61 + floor(16 * pg_temp.u('cb1', a.n)) END::int,
              ${this.createdAtSql('c', 'a.n', '$6')},
              CASE WHEN pg_temp.u('ce', a.n) < 0.08 THEN 'nd' || lpad(a.n::text, 7, '0') || '@' || $5 END,
              pg_temp.vn_name(a.n, 'p', 0.51), '{learner}'
       FROM (SELECT n, ($3::uuid[])[1 + floor(pg_temp.u('ca', n) * cardinality($3::uuid[]))::int] AS org
             FROM generate_series($1::int, $2::int) n) a`,
      [from, to, p.communeBuckets, this.year, domain, p.today],
    );
  }

  /** Workers per enterprise, their linked accounts (~10 %), then every account into app_user. */
  async workersAndAccounts(): Promise<void> {
    const p = this.plan;
    await this.run(
      `CREATE TEMP TABLE demo_worker AS
       SELECT x.*, CASE WHEN x.kind = 'left' THEN greatest(x.active_from, $1::date - 3 - floor(52 * pg_temp.u('wt', x.n))::int) END AS active_to
       FROM (
         SELECT e.first_worker + g - 1 AS n, pg_temp.id('w', e.first_worker + g - 1) AS id, e.no AS ent_no, e.id AS ent_id,
                e.park_id, e.commune_id, g AS k,
                w.kind,
                CASE w.kind
                  WHEN 'new' THEN greatest(e.active_from, $1::date - 1 - floor(55 * pg_temp.u('wf', e.first_worker + g - 1))::int)
                  ELSE greatest(e.active_from, $1::date - 64 - floor(1900 * pg_temp.u('wf', e.first_worker + g - 1))::int)
                END AS active_from,
                pg_temp.u('wl', e.first_worker + g - 1) < 0.1 AS linked
         FROM demo_ent e, generate_series(1, e.workers) g,
              LATERAL (SELECT CASE WHEN pg_temp.u('wa', e.first_worker + g - 1) < 0.08 THEN 'new'
                                   WHEN pg_temp.u('wa', e.first_worker + g - 1) < 0.12 THEN 'left'
                                   ELSE 'kept' END AS kind) w
       ) x`,
      [p.today],
    );
    await this.run(`ALTER TABLE demo_worker ADD PRIMARY KEY (n)`);
    await this.run(`ANALYZE demo_ent`);
    await this.run(`ANALYZE demo_worker`);
    // Linked workers' accounts: over 40 % live outside the park's commune (CONTEXT.md §7.3).
    await this.run(
      `INSERT INTO demo_user (n, id, seg, org_unit_id, commune_id, grp, park_id, ent_id, birth_year, created_at, email, full_name, roles)
       SELECT $1 + w.n, pg_temp.id('u', $1 + w.n), 'worker', r.commune, r.commune, w.park_id::text, w.park_id, w.ent_id,
              $3 - (18 + floor(32 * (pg_temp.u('wb1', w.n) + pg_temp.u('wb1', w.n + 7)) / 2))::int,
              least(pg_temp.ts($4::date - floor(364 * (1 - sqrt(pg_temp.u('wc', w.n))))::int,
                               25200 + floor(54000 * pg_temp.u('wct', w.n))), now() - interval '1 minute'),
              CASE WHEN pg_temp.u('we', w.n) < 0.3 THEN 'cn' || lpad(w.n::text, 6, '0') || '@' || $5 END,
              pg_temp.vn_name(w.n, 'w', 0.62), '{learner}'
       FROM demo_worker w,
            LATERAL (SELECT CASE WHEN pg_temp.u('wr', w.n) < 0.55 THEN w.commune_id
                                 ELSE ($2::uuid[])[1 + floor(pg_temp.u('wr2', w.n) * cardinality($2::uuid[]))::int] END AS commune) r
       WHERE w.linked`,
      [this.workerAccountBase, p.communeBuckets, this.year, p.today, p.domain],
    );
    await this.run(`CREATE INDEX ON demo_user (id)`);
    await this.run(`CREATE INDEX ON demo_user (seg, grp)`);
    await this.run(`ANALYZE demo_user`);

    const bulk = this.opts.bulk;
    if (bulk === 'disable-trigger') {
      await this.run(`ALTER TABLE app_user DISABLE TRIGGER "TRG_app_user_org_unit_history"`);
    }
    await this.run(
      `INSERT INTO app_user (id, created_at, updated_at, email, full_name, locale, org_unit_id, birth_year, roles, status)
       SELECT id, created_at, created_at, email, full_name, 'vi', org_unit_id, birth_year, roles, 'active'
       FROM demo_user ORDER BY n`,
    );
    if (bulk !== 'trigger') {
      // What the trigger would have written: one open row per account from its creation.
      await this.run(
        `INSERT INTO user_org_unit_history (user_id, org_unit_id, valid_from)
         SELECT id, org_unit_id, created_at FROM demo_user ORDER BY n`,
      );
    }
    if (bulk === 'disable-trigger') {
      await this.run(`ALTER TABLE app_user ENABLE TRIGGER "TRG_app_user_org_unit_history"`);
    }
    await this.run(`UPDATE app_user SET password_hash = $1 WHERE id = pg_temp.id('u', 1)`, [this.opts.passwordHash]);

    await this.run(
      `INSERT INTO worker (id, created_at, updated_at, enterprise_id, worker_code, display_name, active_from, active_to, user_id, linked_at)
       SELECT w.id, c.created, c.created, w.ent_id, 'NV' || lpad(w.k::text, 5, '0'),
              pg_temp.vn_name(w.n, 'w', 0.62), w.active_from, w.active_to,
              CASE WHEN w.linked THEN u.id END,
              CASE WHEN w.linked THEN least(now() - interval '1 minute', greatest(u.created_at, c.created) + interval '2 hours') END
       FROM demo_worker w
       LEFT JOIN demo_user u ON w.linked AND u.n = $2 + w.n,
            LATERAL (SELECT least(now() - interval '1 minute',
                                  pg_temp.ts(greatest(w.active_from, $1::date - 70), 30600 + floor(3600 * pg_temp.u('wk', w.n)))) AS created) c`,
      [p.today, this.workerAccountBase],
    );
  }

  // --------------------------------------------------------------------------------------------
  // Trainers, ToT cascade, cohorts
  // --------------------------------------------------------------------------------------------

  async trainersAndCohorts(): Promise<void> {
    const p = this.plan;
    const t = p.trainers;
    const tier = (level: string) => (level === 'master' ? 0 : level === 'core' ? 1 : 2);
    await this.run(
      `CREATE TEMP TABLE demo_trainer AS
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::date[], $6::date[], $7::date[], $8::int[])
         AS x(n, level, source, tot_cohort, granted_on, expires_on, revoked_on, tier)`,
      [
        t.map((x) => x.n),
        t.map((x) => x.level),
        t.map((x) => x.source),
        t.map((x) => x.totCohort),
        t.map((x) => x.grantedOn),
        t.map((x) => x.expiresOn),
        t.map((x) => x.revokedOn),
        t.map((x) => tier(x.level)),
      ],
    );
    const c = p.cohorts;
    await this.run(
      `CREATE TEMP TABLE demo_cohort AS
       SELECT x.*, pg_temp.id('c', x.no) AS id, pg_temp.id('u', x.lead_n) AS lead_id, pg_temp.id('q', x.lead_n) AS lead_q
       FROM unnest(
         $1::int[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::date[], $8::date[], $9::int[], $10::int[],
         $11::uuid[], $12::text[], $13::int[], $14::text[], $15::int[], $16::text[], $17::text[], $18::text[])
         AS x(no, kind, tier, title, mode, status, starts_on, ends_on, capacity, size, org_unit_id, location, lead_n,
              qualifies_level, sessions, courses, pool_seg, pool_group)`,
      [
        c.map((x) => x.no),
        c.map((x) => x.kind),
        c.map((x) => x.tier),
        c.map((x) => nfc(x.title)),
        c.map((x) => x.mode),
        c.map((x) => x.status),
        c.map((x) => x.startsOn),
        c.map((x) => x.endsOn),
        c.map((x) => x.capacity),
        c.map((x) => x.size),
        c.map((x) => x.orgUnitId),
        c.map((x) => nfc(x.location)),
        c.map((x) => x.leadN),
        c.map((x) => x.qualifiesLevel),
        c.map((x) => x.sessions),
        c.map((x) => x.courses.join(',')),
        c.map((x) => x.poolSeg),
        c.map((x) => x.poolGroup),
      ],
    );
    await this.run(`ALTER TABLE demo_cohort ADD PRIMARY KEY (no)`);
    await this.run(`ANALYZE demo_cohort`);
    await this.run(`ANALYZE demo_trainer`);

    await this.run(
      `INSERT INTO trainer_profile (user_id, source, created_at, updated_at)
       SELECT pg_temp.id('u', t.n), t.source, pg_temp.ts(t.granted_on, 36000), pg_temp.ts(t.granted_on, 36000)
       FROM demo_trainer t`,
    );
    const admin = `pg_temp.id('login', 1)`;
    const insertQualifications = (tierNo: number) =>
      this.run(
        `INSERT INTO trainer_qualification (id, user_id, level, basis, granted_on, expires_on, granted_by, qualified_by,
                                            cohort_id, revoked_at, revoked_by, revoke_reason, created_at)
         SELECT pg_temp.id('q', t.n), pg_temp.id('u', t.n), t.level,
                CASE WHEN t.tot_cohort = 0 THEN 'appointment' ELSE 'tot_cohort' END,
                t.granted_on, t.expires_on,
                CASE WHEN t.tot_cohort = 0 THEN ${admin} END,
                CASE WHEN t.tot_cohort > 0 THEN c.lead_id END,
                CASE WHEN t.tot_cohort > 0 THEN c.id END,
                CASE WHEN t.revoked_on IS NOT NULL THEN pg_temp.ts(t.revoked_on, 36000) END,
                CASE WHEN t.revoked_on IS NOT NULL THEN ${admin} END,
                CASE WHEN t.revoked_on IS NOT NULL THEN 'Không đáp ứng yêu cầu giảng dạy (dữ liệu demo)' END,
                pg_temp.ts(t.granted_on, 61200)
         FROM demo_trainer t LEFT JOIN demo_cohort c ON c.no = t.tot_cohort
         WHERE t.tier = $1`,
        [tierNo],
      );
    const insertCohorts = (tierNo: number) =>
      this.run(
        `INSERT INTO cohort (id, title, kind, mode, status, starts_on, ends_on, capacity, org_unit_id, location,
                             lead_trainer_id, lead_qualification_id, qualifies_level, min_attendance_percent, created_by,
                             started_at, finished_at, finished_by, created_at, updated_at)
         SELECT c.id, c.title, c.kind, c.mode, c.status, c.starts_on, c.ends_on, c.capacity, c.org_unit_id, c.location,
                c.lead_id, c.lead_q, c.qualifies_level, $2, c.lead_id,
                CASE WHEN c.status <> 'planned' THEN pg_temp.ts(c.starts_on, 28800) END,
                CASE WHEN c.status = 'finished' THEN pg_temp.ts(c.ends_on + 1, 61200) END,
                CASE WHEN c.status = 'finished' THEN c.lead_id END,
                least(now() - interval '1 minute', pg_temp.ts(c.starts_on - 14, 32400)),
                least(now() - interval '1 minute', CASE WHEN c.status = 'finished' THEN pg_temp.ts(c.ends_on + 1, 61200)
                                                        ELSE pg_temp.ts(c.starts_on - 14, 32400) END)
         FROM demo_cohort c WHERE c.tier = $1`,
        [tierNo, this.opts.minAttendancePercent],
      );
    // Qualifications and the cohorts led under them, tier by tier (a lead's qualification exists first).
    await insertQualifications(0);
    await insertCohorts(1);
    await insertQualifications(1);
    await insertCohorts(2);
    await insertQualifications(2);
    await insertCohorts(3);
    await this.run(
      `INSERT INTO cohort_course (cohort_id, course_id, course_slug, position)
       SELECT c.id, co.id, co.slug, s.pos
       FROM demo_cohort c, unnest(string_to_array(c.courses, ',')) WITH ORDINALITY AS s(slug, pos)
       JOIN demo_course co ON co.slug = s.slug`,
    );

    // Members: ToT trainees (they become the trainers), a few officials who do not pass ToT, and
    // for the other cohorts people of the cohort's agency, commune or park who existed by then.
    await this.run(`CREATE TEMP TABLE demo_member (
      cohort_no int NOT NULL, n int NOT NULL, user_id uuid NOT NULL, role text NOT NULL, joined_at timestamptz NOT NULL,
      attended int NOT NULL DEFAULT 0, held int NOT NULL DEFAULT 0, completes boolean NOT NULL DEFAULT false,
      outcome text, reasons text[], PRIMARY KEY (cohort_no, n))`);
    const joined = (created: string) =>
      `greatest(${created} + interval '1 minute', pg_temp.ts(c.starts_on - 1 - floor(10 * pg_temp.u('mj' || c.no, d.n))::int, 32400))`;
    await this.run(
      `INSERT INTO demo_member (cohort_no, n, user_id, role, joined_at)
       SELECT c.no, d.n, d.id, 'trainee', ${joined('d.created_at')}
       FROM demo_trainer t JOIN demo_cohort c ON c.no = t.tot_cohort JOIN demo_user d ON d.n = t.n`,
    );
    const officials = p.segments.officials || 1;
    await this.run(
      `INSERT INTO demo_member (cohort_no, n, user_id, role, joined_at)
       SELECT c.no, d.n, d.id, 'extra', ${joined('d.created_at')}
       FROM demo_cohort c JOIN demo_user d ON d.seg = 'official' AND d.created_at < pg_temp.ts(c.starts_on - 2, 0)
       WHERE c.kind = 'tot' AND pg_temp.u('tx' || c.no, d.n) < greatest(1, round(c.size * 0.1)) / $1::float8`,
      [officials],
    );
    // Candidates per group: about three times what the group's cohorts need, then each cohort
    // takes its size in its own random order (some people end up in two cohorts, as in life).
    await this.run(
      `INSERT INTO demo_member (cohort_no, n, user_id, role, joined_at)
       WITH pools AS (
         SELECT seg, grp, count(*) AS pool FROM demo_user WHERE seg IN ('official', 'citizen', 'worker') GROUP BY 1, 2
       ), shares AS (
         SELECT c.pool_seg, c.pool_group, least(1.0, 3.0 * sum(c.size) / max(p.pool)) AS share
         FROM demo_cohort c JOIN pools p ON p.seg = c.pool_seg AND p.grp = c.pool_group
         WHERE c.tier = 3 GROUP BY 1, 2
       ), cand AS MATERIALIZED (
         SELECT d.n, d.id, d.seg, d.grp, d.created_at
         FROM demo_user d JOIN shares s ON s.pool_seg = d.seg AND s.pool_group = d.grp
         WHERE pg_temp.u('pool', d.n) < s.share
       ), ranked AS (
         SELECT c.no, c.size, c.starts_on, d.n, d.id, d.created_at,
                row_number() OVER (PARTITION BY c.no ORDER BY pg_temp.u('cm' || c.no, d.n)) AS rk
         FROM demo_cohort c
         JOIN cand d ON d.seg = c.pool_seg AND d.grp = c.pool_group AND d.created_at < pg_temp.ts(c.starts_on - 2, 0)
         WHERE c.tier = 3
       )
       SELECT c.no, d.n, d.id, 'member', ${joined('d.created_at')}
       FROM ranked d JOIN demo_cohort c ON c.no = d.no
       WHERE d.rk <= d.size`,
    );
    await this.run(`ANALYZE demo_member`);

    await this.run(
      `CREATE TEMP TABLE demo_session AS
       SELECT c.no AS cohort_no, i, pg_temp.id('s', c.no::bigint * 100 + i) AS id,
              pg_temp.ts(c.starts_on + CASE WHEN c.sessions > 1
                                            THEN round((i - 1) * (c.ends_on - c.starts_on)::numeric / (c.sessions - 1))::int
                                            ELSE 0 END,
                         CASE WHEN pg_temp.u('sh', c.no::bigint * 100 + i) < 0.6 THEN 28800 ELSE 50400 END) AS starts_at,
              CASE WHEN c.kind = 'tot' THEN 240 ELSE 90 + 30 * floor(3 * pg_temp.u('sd', c.no::bigint * 100 + i))::int END AS duration
       FROM demo_cohort c, generate_series(1, c.sessions) i`,
    );
    await this.run(`ANALYZE demo_session`);
    await this.run(
      `INSERT INTO cohort_session (id, cohort_id, starts_at, duration_minutes, location, title, created_by, created_at)
       SELECT s.id, c.id, s.starts_at, s.duration, c.location, 'Buổi ' || s.i, c.lead_id,
              least(now() - interval '1 minute', pg_temp.ts(c.starts_on - 14, 32400))
       FROM demo_session s JOIN demo_cohort c ON c.no = s.cohort_no`,
    );
    // Attendance of the sessions already held: trainees always come, ToT extras often miss.
    await this.run(
      `INSERT INTO cohort_attendance (session_id, user_id, cohort_id, status, minutes, local_date, recorded_by, recorded_at)
       SELECT s.id, m.user_id, c.id, a.status,
              CASE a.status WHEN 'present' THEN s.duration WHEN 'late' THEN s.duration - 15 - 15 * floor(2 * a.r)::int ELSE 0 END,
              pg_temp.ldate(s.starts_at), c.lead_id, s.starts_at + make_interval(mins => s.duration)
       FROM demo_member m
       JOIN demo_session s ON s.cohort_no = m.cohort_no
       JOIN demo_cohort c ON c.no = m.cohort_no,
            LATERAL (SELECT pg_temp.u('at' || s.i, m.cohort_no::bigint * 10000000 + m.n) AS r) r0,
            LATERAL (SELECT r0.r AS r, CASE
                      WHEN m.role = 'trainee' THEN CASE WHEN r0.r < 0.92 THEN 'present' ELSE 'late' END
                      WHEN m.role = 'extra' THEN CASE WHEN r0.r < 0.45 THEN 'absent' WHEN r0.r < 0.9 THEN 'present' ELSE 'late' END
                      -- most members come to nearly everything; about one in five often misses
                      WHEN pg_temp.u('rel', m.cohort_no::bigint * 10000000 + m.n) < 0.2
                        THEN CASE WHEN r0.r < 0.35 THEN 'absent' WHEN r0.r < 0.9 THEN 'present' ELSE 'late' END
                      ELSE CASE WHEN r0.r < 0.03 THEN 'absent' WHEN r0.r < 0.9 THEN 'present' ELSE 'late' END
                    END AS status) a
       WHERE s.starts_at + make_interval(mins => s.duration) < now()`,
    );
    // Outcomes of finished cohorts by the finish rule (cohort-finish.service.ts evaluateMember).
    await this.run(
      `UPDATE demo_member m SET held = x.held, attended = x.attended
       FROM (SELECT s.cohort_no, m.n, count(*)::int AS held,
                    count(*) FILTER (WHERE a.status <> 'absent')::int AS attended
             FROM demo_member m JOIN demo_session s ON s.cohort_no = m.cohort_no
             JOIN cohort_attendance a ON a.session_id = s.id AND a.user_id = m.user_id
             GROUP BY 1, 2) x
       WHERE x.cohort_no = m.cohort_no AND x.n = m.n`,
    );
    await this.run(
      `UPDATE demo_member m SET
         completes = CASE m.role WHEN 'trainee' THEN true
                       ELSE (m.held = 0 OR m.attended * 100 >= $1 * m.held)
                            AND pg_temp.u('mc' || m.cohort_no, m.n) < CASE m.role WHEN 'extra' THEN 0.5 ELSE 0.9 END END,
         reasons = array_remove(ARRAY[
           CASE WHEN m.held > 0 AND m.attended * 100 < $1 * m.held THEN 'ATTENDANCE_BELOW_MINIMUM' END,
           CASE WHEN m.role <> 'trainee' AND NOT ((m.held = 0 OR m.attended * 100 >= $1 * m.held)
                 AND pg_temp.u('mc' || m.cohort_no, m.n) < CASE m.role WHEN 'extra' THEN 0.5 ELSE 0.9 END)
                THEN 'COURSE_NOT_COMPLETED' END,
           CASE WHEN m.role = 'extra' THEN 'PRACTICUM_NOT_APPROVED' END], NULL)
       FROM demo_cohort c WHERE c.no = m.cohort_no`,
      [this.opts.minAttendancePercent],
    );
    await this.run(
      `UPDATE demo_member m SET outcome = CASE WHEN cardinality(m.reasons) = 0 THEN 'passed' ELSE 'not_passed' END
       FROM demo_cohort c WHERE c.no = m.cohort_no AND c.status = 'finished'`,
    );
    await this.run(
      `INSERT INTO cohort_member (cohort_id, user_id, status, source, added_by, joined_at, activated_at,
                                 practicum_status, practicum_decided_by, practicum_decided_at,
                                 outcome, outcome_reasons, outcome_at, qualification_id, updated_at)
       SELECT c.id, m.user_id, 'active', 'roster', c.lead_id, m.joined_at, m.joined_at,
              CASE m.role WHEN 'trainee' THEN 'approved' WHEN 'extra' THEN 'rejected' END,
              CASE WHEN c.kind = 'tot' THEN c.lead_id END,
              CASE WHEN c.kind = 'tot' THEN pg_temp.ts(c.ends_on, 57600) END,
              m.outcome, CASE WHEN m.outcome IS NOT NULL THEN m.reasons END,
              CASE WHEN m.outcome IS NOT NULL THEN pg_temp.ts(c.ends_on + 1, 61200) END,
              CASE WHEN m.role = 'trainee' AND m.outcome = 'passed' THEN pg_temp.id('q', m.n) END,
              least(now() - interval '1 minute', CASE WHEN m.outcome IS NOT NULL THEN pg_temp.ts(c.ends_on + 1, 61200) ELSE m.joined_at END)
       FROM demo_member m JOIN demo_cohort c ON c.no = m.cohort_no`,
    );
  }

  // --------------------------------------------------------------------------------------------
  // Enrollments, completions, learning minutes
  // --------------------------------------------------------------------------------------------

  async enrollments(): Promise<void> {
    // Cohort members are enrolled through their cohort (source cohort); a finished cohort's
    // completers completed its courses by the last session.
    await this.run(
      `INSERT INTO enrollment (id, user_id, course_id, course_slug, version_id, source, source_ref, status, enrolled_at,
                               updated_at, completed_at, last_activity_at, lessons_completed, learning_seconds)
       SELECT pg_temp.id('f', m.n::bigint * 100 + co.idx), m.user_id, co.id, co.slug, co.version_id, 'cohort', c.id::text,
              CASE WHEN x.done THEN 'completed' ELSE 'active' END,
              m.joined_at, coalesce(x.completed_at, x.activity), x.completed_at, x.activity,
              CASE WHEN x.done THEN co.lessons WHEN c.status = 'planned' THEN 0 ELSE floor(co.lessons * x.r)::int END,
              CASE WHEN x.done THEN (co.minutes * 60 * (0.7 + 0.8 * x.r))::int
                   WHEN c.status = 'planned' THEN 0 ELSE (co.minutes * 60 * x.r * 0.8)::int END
       FROM demo_member m
       JOIN demo_cohort c ON c.no = m.cohort_no
       JOIN cohort_course cc ON cc.cohort_id = c.id
       JOIN demo_course co ON co.id = cc.course_id,
            LATERAL (SELECT c.status = 'finished' AND m.completes AS done,
                            pg_temp.u('cr' || co.idx, m.cohort_no::bigint * 10000000 + m.n) AS r) r0,
            LATERAL (SELECT r0.done, r0.r,
                            CASE WHEN r0.done THEN greatest(m.joined_at + interval '1 hour',
                              least(now() - interval '1 minute', pg_temp.ts(c.ends_on - floor(3 * r0.r)::int, 36000 + floor(28800 * r0.r)))) END
                              AS completed_at,
                            CASE WHEN c.status = 'planned' THEN m.joined_at
                                 ELSE least(now() - interval '1 minute', greatest(m.joined_at,
                                        pg_temp.ts(least(c.ends_on, $1::date) - floor(3 * r0.r)::int, 36000))) END AS activity) x
       ORDER BY m.n, co.idx
       ON CONFLICT (user_id, course_id) WHERE status <> 'withdrawn' DO NOTHING`,
      [this.plan.today],
    );
    // Everyone else on their own (or through their employer for workers' digital-skills course):
    // completions spread over the past 26 weeks, more of them recently, so weekly trends rise.
    const r = ENROLLMENT_RULES;
    await this.run(
      `INSERT INTO enrollment (id, user_id, course_id, course_slug, version_id, source, source_ref, status, enrolled_at,
                               updated_at, completed_at, last_activity_at, lessons_completed, learning_seconds)
       -- Materialised steps: each random number and instant is computed once per row (inlined
       -- expressions would be re-evaluated wherever they are referenced).
       WITH cand AS MATERIALIZED (
         SELECT d.n, d.id AS user_id, d.created_at, co.idx, co.id AS course_id, co.slug, co.version_id, co.lessons, co.minutes,
                CASE WHEN d.seg = 'worker' AND co.slug = 'ky-nang-so-noi-lam-viec' THEN d.ent_id::text END AS ent,
                CASE WHEN pg_temp.u('ec' || r.k, d.n) < r.p_complete THEN 'completed'
                     WHEN pg_temp.u('ew' || r.k, d.n) < 0.03 THEN 'withdrawn' ELSE 'active' END AS status,
                pg_temp.u('et' || r.k, d.n) AS ut, pg_temp.u('el' || r.k, d.n) AS ul, pg_temp.u('ev' || r.k, d.n) AS uv
         FROM demo_user d
         JOIN unnest($1::text[], $2::int[], $3::int[], $4::text[], $5::float8[], $6::float8[]) WITH ORDINALITY
              AS r(seg, age_min, age_max, slug, p_enrol, p_complete, k)
           ON r.seg = d.seg AND $7 - d.birth_year BETWEEN r.age_min AND r.age_max
         JOIN demo_course co ON co.slug = r.slug
         WHERE pg_temp.u('ee' || r.k, d.n) < r.p_enrol
       ), began AS MATERIALIZED (
         -- completers start within the past 26 weeks (or when they signed up) and take days to weeks
         SELECT c.*, greatest(c.created_at, now() - interval '182 days' * c.uv) AS start FROM cand c
       ), timed AS MATERIALIZED (
         SELECT b.*, b.start + interval '1 day' * (0.5 + 30 * b.ut * b.ut) AS finish FROM began b
       ), t AS MATERIALIZED (
         SELECT x.*,
                CASE WHEN x.status = 'completed' AND x.finish >= now() - interval '1 minute' THEN 'active' ELSE x.status END AS state,
                CASE WHEN x.status = 'completed' AND x.finish < now() - interval '1 minute' THEN x.finish END AS completed_at,
                CASE WHEN x.status = 'completed' THEN x.start
                     ELSE x.created_at + (now() - interval '1 minute' - x.created_at) * (x.ut * x.ut) END AS enrolled_at
         FROM timed x
       )
       SELECT pg_temp.id('e', t.n::bigint * 100 + t.idx), t.user_id, t.course_id, t.slug, t.version_id,
              CASE WHEN t.ent IS NOT NULL THEN 'enterprise' ELSE 'self' END, t.ent,
              t.state, t.enrolled_at, coalesce(t.completed_at, a.activity), t.completed_at, a.activity,
              CASE WHEN t.state = 'completed' THEN t.lessons ELSE floor(t.lessons * t.ul)::int END,
              CASE WHEN t.state = 'completed' THEN (t.minutes * 60 * (0.7 + 0.8 * t.ul))::int
                   ELSE (t.minutes * 60 * t.ul * 0.9)::int + 60 * floor(10 * t.ut)::int END
       FROM t,
            LATERAL (SELECT coalesce(t.completed_at, t.enrolled_at + (now() - interval '1 minute' - t.enrolled_at) * t.ul) AS activity
                     OFFSET 0) a
       ORDER BY t.n, t.idx
       ON CONFLICT (user_id, course_id) WHERE status <> 'withdrawn' DO NOTHING`,
      [
        r.map((x) => x[0]),
        r.map((x) => x[1]),
        r.map((x) => x[2]),
        r.map((x) => x[3]),
        r.map((x) => x[4]),
        r.map((x) => x[5]),
        this.year,
      ],
    );
  }

  /** Learning time per local day for enrollments active in the last 60 days. */
  async learningMinutes(): Promise<void> {
    await this.run(
      `INSERT INTO learning_minutes_daily (user_id, local_date, course_id, seconds)
       WITH win AS MATERIALIZED (
         SELECT e.user_id, e.course_id, e.learning_seconds, d.n::bigint * 100 + co.idx AS key,
                pg_temp.ldate(greatest(e.enrolled_at, now() - interval '59 days')) AS lo,
                pg_temp.ldate(least(coalesce(e.completed_at, e.last_activity_at, now()), now())) AS hi
         FROM enrollment e
         JOIN demo_user d ON d.id = e.user_id
         JOIN demo_course co ON co.id = e.course_id
         WHERE e.status <> 'withdrawn' AND coalesce(e.completed_at, e.last_activity_at, now()) >= now() - interval '60 days'
       ), days AS MATERIALIZED (
         SELECT w.*, 1 + floor(pg_temp.u('lk', w.key) * least($1::int, w.hi - w.lo + 1))::int AS k
         FROM win w WHERE w.hi >= w.lo
       )
       SELECT user_id, lo + floor(j * (hi - lo + 1)::float8 / k)::int, course_id,
              greatest(60, least(14400, learning_seconds::float8 / k * (0.6 + 0.8 * pg_temp.u('ls' || j, key))))::int
       FROM days, generate_series(0, k - 1) j
       ORDER BY key, j`,
      [this.scale.learningDaysMax],
    );
  }

  // --------------------------------------------------------------------------------------------
  // Workforce: enterprise training reports for the past 8 ISO weeks and the current one
  // --------------------------------------------------------------------------------------------

  async trainingSessions(): Promise<void> {
    const weeks = this.opts.weeks;
    await this.run(
      `CREATE TEMP TABLE demo_week AS
       SELECT (k - 1)::int AS wk, iso_week, monday, avail
       FROM unnest($1::text[], $2::date[], $3::int[]) WITH ORDINALITY AS t(iso_week, monday, avail, k)`,
      [weeks.map((w) => w.isoWeek), weeks.map((w) => w.monday), weeks.map((w) => w.avail)],
    );
    await this.run(`ANALYZE demo_week`);
    await this.run(
      `CREATE TEMP TABLE demo_rep AS
       SELECT e.no AS ent_no, k.wk, pg_temp.id('r', e.no::bigint * 100 + k.wk) AS id, k.iso_week, k.monday, k.avail
       FROM demo_ent e CROSS JOIN demo_week k`,
    );
    await this.run(`ALTER TABLE demo_rep ADD PRIMARY KEY (ent_no, wk)`);
    await this.run(`ANALYZE demo_rep`);
    const topics = TRAINING_TOPICS.map((t) => nfc(t.topic));
    await this.run(
      `INSERT INTO training_session (enterprise_id, worker_id, local_date, session_key, minutes, topic, course_slug,
                                     trainer, external_ref, report_id, updated_at)
       WITH ww AS MATERIALIZED (
         SELECT w.n, w.id AS worker_id, w.ent_id, e.no AS ent_no, w.active_from, w.active_to, k.wk, k.monday, k.avail,
                rp.id AS report_id,
                pg_temp.u('wr' || k.wk, w.n) AS r, least(0.995, e.coverage + e.trend * k.wk) AS cov,
                floor(pg_temp.u('et' || k.wk, e.no) * $1::int)::int AS t1,
                pg_temp.u('wd' || k.wk, w.n) AS ud, pg_temp.u('wm' || k.wk, w.n) AS um, pg_temp.u('w2' || k.wk, w.n) AS u2
         FROM demo_worker w JOIN demo_ent e ON e.no = w.ent_no CROSS JOIN demo_week k
         JOIN demo_rep rp ON rp.ent_no = e.no AND rp.wk = k.wk
         WHERE e.profile <> 'none' AND k.avail > 0
       ), kinds AS MATERIALIZED (
         SELECT ww.*, CASE WHEN r < cov THEN CASE WHEN u2 < 0.3 THEN 'two' ELSE 'one' END
                           WHEN r < cov + (1 - cov) * 0.5 THEN 'short' ELSE 'none' END AS kind
         FROM ww
       ), rows AS MATERIALIZED (
         SELECT p.*, s.i,
                p.monday + CASE WHEN s.i = 1 THEN floor(p.ud * p.avail)::int
                                ELSE (floor(p.ud * p.avail)::int + 1 + floor(p.um * greatest(p.avail - 1, 1))::int) % p.avail END AS d,
                CASE p.kind WHEN 'one' THEN 60 + 15 * floor(p.um * 5)::int
                            WHEN 'two' THEN 30 + 15 * floor(pg_temp.u('m' || s.i || ':' || p.wk, p.n) * 3)::int
                            ELSE 20 + 5 * floor(p.um * 6)::int END AS minutes,
                (p.t1 + s.i - 1) % $1::int AS t
         FROM kinds p, generate_series(1, CASE WHEN p.kind = 'two' THEN 2 ELSE 1 END) AS s(i)
         WHERE p.kind <> 'none'
       )
       SELECT r.ent_id, r.worker_id, r.d, ($2::text[])[r.t + 1], r.minutes, ($3::text[])[r.t + 1],
              ($4::text[])[r.t + 1],
              CASE WHEN pg_temp.u('tr', r.ent_no::bigint * 100 + r.wk) < 0.6 THEN pg_temp.vn_name(r.ent_no::bigint * 100 + r.wk, 'tr', 0.5) END,
              NULL, r.report_id,
              least(now() - interval '1 minute', pg_temp.ts(r.monday + 7, 32400))
       FROM rows r
       WHERE (r.active_from IS NULL OR r.active_from <= r.d) AND (r.active_to IS NULL OR r.active_to >= r.d) AND r.d < $5::date
       ORDER BY r.n, r.d, r.t`,
      [
        topics.length,
        topics.map((t) => sessionKeyOf(t, null)),
        topics,
        TRAINING_TOPICS.map((t) => t.course),
        this.plan.today,
      ],
    );
    // One CSV report per enterprise-week; the stored payload is the header and a few sample rows.
    await this.run(
      `INSERT INTO training_report (id, created_at, updated_at, enterprise_id, submitted_by, format, payload, payload_bytes,
                                    payload_sha256, status, total_rows, accepted_rows, rejected_rows, weeks, attempts,
                                    enqueued_at, started_at, finished_at)
       WITH s AS (
         SELECT ts.report_id, ts.enterprise_id, w.worker_code, ts.local_date, ts.minutes, ts.topic,
                row_number() OVER (PARTITION BY ts.report_id ORDER BY w.worker_code, ts.local_date, ts.session_key) AS rn
         FROM training_session ts JOIN demo_ent e ON e.id = ts.enterprise_id JOIN worker w ON w.id = ts.worker_id
       ), agg AS (
         SELECT report_id, enterprise_id, count(*)::int AS total,
                string_agg(CASE WHEN rn <= 3 THEN worker_code || ',' || to_char(local_date, 'DD/MM/YYYY') || ',' || minutes || ',' || topic END,
                           E'\\n' ORDER BY rn) AS sample
         FROM s GROUP BY 1, 2
       ), m AS (
         SELECT id AS report_id, iso_week, monday, avail, ent_no AS no FROM demo_rep
       ), r AS (
         SELECT a.*, m.iso_week,
                'Mã NV,Ngày,Số phút,Nội dung' || E'\\n' || a.sample || E'\\n' AS payload,
                least(now() - interval '5 minutes',
                      pg_temp.ts(CASE WHEN m.avail < 6 THEN $1::date ELSE m.monday + 7 + floor(2 * pg_temp.u('rc', m.no))::int END,
                                 28800 + floor(32400 * pg_temp.u('rt', m.no::bigint * 100)))) AS at
         FROM agg a JOIN m ON m.report_id = a.report_id
       )
       SELECT report_id, at, at + interval '5 seconds', enterprise_id, 'seed:demo', 'csv', payload, octet_length(payload),
              encode(sha256(convert_to(payload, 'UTF8')), 'hex'), 'done', total, total, 0, ARRAY[iso_week], 1,
              at, at + interval '1 second', at + interval '5 seconds'
       FROM r`,
      [this.plan.today],
    );
  }

  // --------------------------------------------------------------------------------------------
  // Officials' roster, population statistics, people who moved
  // --------------------------------------------------------------------------------------------

  async roster(): Promise<void> {
    const p = this.plan;
    await this.run(
      `INSERT INTO official_roster (agency_id, email, full_name, position, active_from, active_to, updated_at)
       SELECT d.org_unit_id, d.email, d.full_name,
              CASE WHEN pg_temp.u('pos', d.n) < 0.15 THEN 'leader' ELSE 'staff' END, f.active_from,
              CASE WHEN pg_temp.u('left', d.n) < 0.03
                   THEN greatest(f.active_from, $1::date - 10 - floor(190 * pg_temp.u('lt', d.n))::int) END,
              now()
       FROM demo_user d, LATERAL (SELECT least(pg_temp.ldate(d.created_at), DATE '2025-07-01') AS active_from) f
       WHERE 'official' = ANY(d.roles)`,
      [p.today],
    );
    // ~10 % of the roster has no Hocso account yet (an e-mail no user has).
    const extras = Math.max(3, Math.round((p.segments.officials + p.trainers.filter((t) => t.official).length) * 0.1));
    await this.run(
      `INSERT INTO official_roster (agency_id, email, full_name, position, active_from, updated_at)
       SELECT ($2::uuid[])[1 + floor(pg_temp.u('rxa', k) * cardinality($2::uuid[]))::int],
              'cb.chuadangky' || lpad(k::text, 5, '0') || '@' || $3, pg_temp.vn_name(k, 'rx', 0.5),
              CASE WHEN pg_temp.u('rxp', k) < 0.15 THEN 'leader' ELSE 'staff' END,
              CASE WHEN pg_temp.u('rxf', k) < 0.85 THEN DATE '2025-07-01' ELSE $4::date - floor(300 * pg_temp.u('rxd', k))::int END,
              now()
       FROM generate_series(1, $1::int) k`,
      [extras, p.agencyBuckets, p.domain, p.today],
    );
  }

  async population(): Promise<void> {
    const rows = this.plan.population;
    await this.run(
      `INSERT INTO population_stat (org_unit_id, period, metric, value, source, source_date, imported_by)
       SELECT o, p, m, v, s, d, pg_temp.id('login', 1)
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::date[]) AS t(o, p, m, v, s, d)
       ON CONFLICT (org_unit_id, period, metric) DO NOTHING`,
      [
        rows.map((r) => r.orgUnitId),
        rows.map((r) => r.period),
        rows.map((r) => r.metric),
        rows.map((r) => r.value),
        rows.map((r) => nfc(r.source)),
        rows.map((r) => r.sourceDate),
      ],
    );
  }

  /**
   * About 1 % of citizens moved commune during the year: the UPDATE lets the trigger write the
   * history (closing the old row at now()), then the boundary is moved back to the real date.
   */
  async moves(): Promise<number> {
    // The history trigger does this part (replica mode skips triggers: back to normal first).
    if (this.opts.bulk === 'replica') await this.run(`SET LOCAL session_replication_role = origin`);
    await this.run(
      `CREATE TEMP TABLE demo_move AS
       SELECT d.n, d.id, x.new_org,
              d.created_at + (now() - interval '1 day' - d.created_at) * (0.2 + 0.7 * pg_temp.u('mvt', d.n)) AS moved_at
       FROM demo_user d,
            LATERAL (SELECT ($1::uuid[])[1 + floor(pg_temp.u('mv2', d.n) * cardinality($1::uuid[]))::int] AS new_org) x
       WHERE d.seg = 'citizen' AND d.created_at < now() - interval '30 days' AND pg_temp.u('mv', d.n) < 0.01
         AND x.new_org <> d.org_unit_id`,
      [this.plan.communeBuckets],
    );
    await this.run(
      `UPDATE app_user a SET org_unit_id = m.new_org, updated_at = m.moved_at FROM demo_move m WHERE a.id = m.id`,
    );
    await this.run(
      `UPDATE user_org_unit_history h SET valid_to = m.moved_at
       FROM demo_move m WHERE h.user_id = m.id AND h.valid_to IS NOT NULL AND h.valid_from < m.moved_at`,
    );
    await this.run(
      `UPDATE user_org_unit_history h SET valid_from = m.moved_at
       FROM demo_move m WHERE h.user_id = m.id AND h.valid_to IS NULL`,
    );
    await this.run(
      `UPDATE demo_user d SET org_unit_id = m.new_org, commune_id = m.new_org, grp = m.new_org::text
       FROM demo_move m WHERE d.n = m.n`,
    );
    const [{ count }] = await this.run(`SELECT count(*)::int AS count FROM demo_move`);
    return count;
  }

  async cleanup(): Promise<void> {
    await this.run(`DROP TABLE IF EXISTS demo_unit, demo_course, demo_user, demo_ent, demo_worker, demo_week,
      demo_trainer, demo_cohort, demo_member, demo_session, demo_move, demo_rep`);
  }

  private addDays(days: number): string {
    const d = new Date(`${this.plan.today}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }
}
