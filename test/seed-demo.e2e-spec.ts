import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { adminQuery, currentServices, templateDb, withDatabase } from '@hocso/testing';
import { Client } from 'pg';

const run = promisify(execFile);
const root = join(__dirname, '..');
const cli = join(root, 'dist/apps/cli/src/main.js');

type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

/**
 * `seed:demo --scale small` as a real process against this file's own database: a fresh copy of
 * the migrated template on PostgreSQL, or an embedded PGlite in a temporary DATA_DIR when the e2e
 * suite runs without services (the CLI's default when DATABASE_URL is unset).
 */
describe('cli: seed:demo', () => {
  const services = currentServices();
  const embedded = services.mode === 'embedded' || !services.pgAdminUrl;
  const dataDir = mkdtempSync(join(tmpdir(), 'hocso-seed-demo-'));
  const dbName = `hocso_t_seed_${randomBytes(4).toString('hex')}`;
  let databaseUrl: string | undefined;

  beforeAll(async () => {
    if (!embedded) {
      await adminQuery(services.pgAdminUrl as string, `CREATE DATABASE ${dbName} TEMPLATE ${templateDb()}`);
      databaseUrl = withDatabase(services.pgAdminUrl as string, dbName);
    }
  });
  afterAll(async () => {
    if (!embedded) {
      await adminQuery(services.pgAdminUrl as string, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(
        () => undefined,
      );
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const seed = (...args: string[]) =>
    run(process.execPath, [cli, 'seed:demo', ...args], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
      env: {
        PATH: process.env.PATH,
        DATA_DIR: dataDir,
        ...(databaseUrl
          ? { DATABASE_URL: databaseUrl, JWT_SECRET: `test-secret-${randomBytes(24).toString('hex')}` }
          : {}),
        DEMO_PASSWORD: 'Mật khẩu demo Thái Nguyên',
        LOG_LEVEL: 'silent',
      },
    });

  /** Runs queries against the seeded database (PGlite is opened only while the CLI is not running). */
  async function withDb<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    if (databaseUrl) {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        return await fn(async (sql) => (await client.query(sql)).rows);
      } finally {
        await client.end();
      }
    }
    const { PGlite } = await import('@electric-sql/pglite');
    const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const db = await PGlite.create({ dataDir: join(dataDir, 'pglite'), extensions: { unaccent, pg_trgm } });
    try {
      return await fn(async (sql) => (await db.query<Record<string, unknown>>(sql)).rows);
    } finally {
      await db.close();
    }
  }

  const COUNTED = [
    'org_unit',
    'app_user',
    'user_org_unit_history',
    'enterprise',
    'park_enterprise',
    'worker',
    'enrollment',
    'learning_minutes_daily',
    'training_session',
    'weekly_enterprise_compliance',
    'cohort',
    'cohort_member',
    'trainer_qualification',
    'official_roster',
    'population_stat',
  ];
  const counts = (q: Query) =>
    q(`SELECT ${COUNTED.map((t) => `(SELECT count(*) FROM ${t})::int AS ${t}`).join(', ')}`).then((r) => r[0]);
  /** Row counts after the previous step (each step opens the database once). */
  let last: Record<string, unknown> = {};

  it('generates a small province on an empty database', async () => {
    const { stdout } = await seed('--scale', 'small');
    expect(stdout).toContain('seed:demo — scale small');
    expect(stdout).toMatch(/admin@demo\.thainguyen\.gov\.vn/);
    expect(stdout).toMatch(/^total\s+\d+\.\d$/m);
    expect(stdout).not.toContain('Mật khẩu demo Thái Nguyên');

    await withDb(async (q) => {
      // The dashboards open on a history: the past weeks' KPI snapshots are frozen, this week's computed.
      const periods = await q(
        `SELECT status, count(*)::int AS n FROM kpi_period WHERE period ~ '^\\d{4}-W\\d{2}$' GROUP BY status ORDER BY status`,
      );
      expect(periods).toEqual([
        { status: 'frozen', n: 8 },
        { status: 'provisional', n: 1 },
      ]);
      const [tot] = await q(
        `SELECT s.numerator::int AS n FROM kpi_snapshot s JOIN org_unit o ON o.id = s.org_unit_id
          WHERE o.parent_id IS NULL AND s.kpi_code = 'TOT_TRAINERS' AND s.dim = '' ORDER BY s.period DESC LIMIT 1`,
      );
      expect(tot.n).toBeGreaterThan(0);
    });
    await withDb(async (q) => {
      const [shape] = await q(`SELECT
        (SELECT count(*) FROM org_unit WHERE kind IN ('ward', 'commune'))::int AS communes,
        (SELECT count(*) FROM industrial_park)::int AS parks,
        (SELECT count(*) FROM enterprise)::int AS enterprises,
        (SELECT count(*) FROM worker)::int AS workers,
        (SELECT count(*) FROM worker WHERE user_id IS NOT NULL)::int AS linked_workers,
        (SELECT count(*) FROM app_user)::int AS learners,
        (SELECT count(*) FROM app_user WHERE 'official' = ANY(roles))::int AS officials,
        (SELECT count(*) FROM enrollment)::int AS enrollments,
        (SELECT count(*) FROM enrollment WHERE status = 'completed')::int AS completions,
        (SELECT count(*) FROM trainer_qualification WHERE revoked_at IS NULL)::int AS trainers,
        (SELECT count(*) FROM cohort)::int AS cohorts,
        (SELECT count(*) FROM cohort_attendance)::int AS attendance,
        (SELECT count(*) FROM training_session)::int AS sessions,
        (SELECT count(*) FROM learning_minutes_daily)::int AS minutes,
        (SELECT count(*) FROM compliance_week WHERE status = 'closed')::int AS closed_weeks,
        (SELECT count(DISTINCT org_unit_id) FROM population_stat)::int AS stat_communes,
        (SELECT sum(value) FROM population_stat WHERE metric = 'population'
           AND period = (SELECT min(period) FROM population_stat))::int AS population`);
      expect(shape.communes).toBe(92);
      expect(shape.parks).toBe(3);
      expect(shape.enterprises).toBe(20);
      expect(shape.workers).toBe(1000);
      expect(shape.linked_workers).toBeGreaterThan(50);
      expect(shape.learners).toBeGreaterThanOrEqual(2500);
      expect(shape.learners).toBeLessThanOrEqual(3500);
      expect(shape.officials).toBeGreaterThan(100);
      expect(shape.enrollments).toBeGreaterThan(3000);
      expect(shape.enrollments).toBeLessThan(10000);
      expect(shape.completions).toBeGreaterThan(1500);
      expect(shape.completions).toBeLessThan(shape.enrollments as number);
      expect(shape.trainers).toBeGreaterThan(45);
      expect(shape.cohorts).toBe(15);
      expect(shape.attendance).toBeGreaterThan(0);
      expect(shape.sessions).toBeGreaterThan(5000);
      expect(shape.minutes).toBeGreaterThan(0);
      expect(shape.closed_weeks).toBe(8);
      expect(shape.stat_communes).toBe(90);
      expect(shape.population).toBe(1_799_489);

      const [integrity] = await q(`SELECT
        (SELECT count(*) FROM enrollment e WHERE NOT EXISTS (SELECT 1 FROM app_user u WHERE u.id = e.user_id)
            OR NOT EXISTS (SELECT 1 FROM course c WHERE c.id = e.course_id))::int AS orphans,
        (SELECT count(*) FROM enrollment WHERE status = 'completed' AND completed_at IS NULL)::int AS undated,
        (SELECT count(*) FROM enrollment WHERE completed_at < enrolled_at OR completed_at > now())::int AS misdated,
        (SELECT count(*) FROM app_user u WHERE (SELECT count(*) FROM user_org_unit_history h
            WHERE h.user_id = u.id AND h.valid_to IS NULL) <> 1)::int AS history_gaps,
        (SELECT count(*) FROM user_org_unit_history h JOIN user_org_unit_history n
            ON n.user_id = h.user_id AND n.valid_to IS NULL AND h.valid_to IS NOT NULL
          WHERE h.valid_to <> n.valid_from)::int AS history_breaks,
        (SELECT count(*) FROM user_org_unit_history WHERE valid_to IS NOT NULL)::int AS moves,
        (SELECT count(*) FROM app_user WHERE full_name <> normalize(full_name, NFC))::int AS not_nfc,
        (SELECT count(*) FROM cohort c JOIN trainer_qualification q ON q.id = c.lead_qualification_id
          WHERE q.user_id <> c.lead_trainer_id OR q.granted_on > c.starts_on)::int AS bad_leads,
        (SELECT count(*) FROM official_roster r WHERE NOT EXISTS (SELECT 1 FROM app_user u WHERE u.email = r.email))::int
          AS roster_without_account,
        (SELECT count(*) FROM app_user WHERE password_hash IS NOT NULL)::int AS logins`);
      expect(integrity).toMatchObject({
        orphans: 0,
        undated: 0,
        misdated: 0,
        history_gaps: 0,
        history_breaks: 0,
        not_nfc: 0,
        bad_leads: 0,
        logins: 5,
      });
      expect(integrity.moves).toBeGreaterThan(0);
      expect(integrity.roster_without_account).toBeGreaterThan(0);
      last = await counts(q);
    });
  }, 120_000);

  it('refuses a second run without --force (exit code 2) and changes nothing', async () => {
    await expect(seed('--scale', 'small')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--force'),
    });
    expect(await withDb(counts)).toEqual(last);
  }, 60_000);

  it('adds a second demo on top with --force', async () => {
    const before = last;
    const { stdout } = await seed('--scale', 'small', '--force');
    expect(stdout).toContain('--force: adding the demo on top');
    expect(stdout).toMatch(/admin@demo2\.thainguyen\.gov\.vn/);
    const after = await withDb(counts);
    expect(after.enterprise).toBe((before.enterprise as number) + 20);
    expect(after.worker).toBe((before.worker as number) + 1000);
    expect(after.app_user as number).toBeGreaterThan((before.app_user as number) + 2500);
    // Structural units (agencies, schools, parks) are reused, not duplicated.
    expect((after.org_unit as number) - (before.org_unit as number)).toBe(20);
    expect(after.population_stat).toBe(before.population_stat);
  }, 120_000);
});
