import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { DomainException, localDate } from '@hocso/common';
import type { AppConfig } from '@hocso/config';
import { CourseImportService } from '@hocso/courses';
import { runMigrationsLocked } from '@hocso/database';
import { IdentityBootstrapService, PasswordService } from '@hocso/identity';
import { addWeeks, isoWeekOf, weekRange } from '@hocso/workforce';
import { KpiSnapshotsService } from '@hocso/reporting';
import { DataSource } from 'typeorm';
import { type DemoLogin, DemoGenerator } from './generate';
import { weeklyRollups } from './rollups';
import { verifyForeignKeys } from './verify';
import { buildPlan, type CommuneRow, type ExistingUnit, type Plan } from './plan';
import { isScaleName, type Scale, SCALES, type ScaleName, segments } from './scales';

export const SEED_DEMO_USAGE = `  seed:demo --scale small|medium|large [--force]
                                generate a demo province (92 communes, industrial parks, enterprises,
                                workers, learners, cohorts, sessions, completions) for dashboards and
                                benchmarks; refuses unless the database is empty (no enrollments, no
                                enterprises, no users other than province admins) or --force is given.
                                DEMO_PASSWORD sets the demo logins' password (else one is generated)`;

/** Tables the summary reports, in the order they are filled. */
const TABLES = [
  'org_unit',
  'app_user',
  'user_org_unit_history',
  'official_roster',
  'population_stat',
  'industrial_park',
  'enterprise',
  'park_enterprise',
  'worker',
  'trainer_profile',
  'trainer_qualification',
  'cohort',
  'cohort_course',
  'cohort_member',
  'cohort_session',
  'cohort_attendance',
  'enrollment',
  'learning_minutes_daily',
  'training_report',
  'training_session',
  'weekly_worker_minutes',
  'weekly_enterprise_compliance',
  'compliance_week',
  'compliance_snapshot',
] as const;

interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** What a post-seed step gets (the lead's KPI snapshots hook in here). */
export interface SeedDemoContext {
  app: INestApplicationContext;
  ds: DataSource;
  config: AppConfig;
  scale: Scale;
  /** local date of the run (Asia/Ho_Chi_Minh) */
  today: string;
  /** the ISO weeks with workforce data, oldest first; the last one is the current (open) week */
  weeks: string[];
  plan: Plan;
  log: (line: string) => void;
}

export interface SeedDemoHooks {
  afterSeed?: (context: SeedDemoContext) => Promise<void>;
}

/**
 * Runs after the data is committed and the weekly workforce rollups are frozen: freezes the KPI
 * snapshots of the past weeks (oldest first) and computes the open week's, so the dashboards open
 * on a history with trends and forecasts.
 */
export async function afterSeed(context: SeedDemoContext): Promise<void> {
  const snapshots = context.app.get(KpiSnapshotsService);
  for (const week of context.weeks) {
    const started = Date.now();
    const { period } = await snapshots.refresh(week);
    context.log(`  KPI snapshot ${week}: ${period.status}, ${fmt(period.rowCount)} rows in ${Date.now() - started} ms`);
  }
}

export interface SeedDemoArgs {
  scale: ScaleName;
  force: boolean;
}

export function parseSeedDemoArgs(args: string[]): SeedDemoArgs | string {
  let scale: string | undefined;
  let force = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--force') force = true;
    else if (a === '--scale') scale = args[++i];
    else if (a.startsWith('--scale=')) scale = a.slice('--scale='.length);
    else return `unknown argument "${a}"`;
  }
  scale ??= 'small';
  if (!isScaleName(scale)) return `--scale must be small, medium or large (got "${scale ?? ''}")`;
  return { scale, force };
}

/** Where the data goes, for the banner: host, port and database, never the password. */
export function describeTarget(config: AppConfig): string {
  if (!config.db.url) return `embedded PGlite in ${join(config.dataDir, 'pglite')}`;
  try {
    const u = new URL(config.db.url);
    const user = u.username ? ` as ${decodeURIComponent(u.username)}` : '';
    return `PostgreSQL ${u.hostname}:${u.port || '5432'}/${decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default)'}${user}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}

interface Existing {
  enrollments: number;
  enterprises: number;
  users: number;
}

/** Rows that make a database "not empty" (tables that do not exist yet count as empty). */
async function existingData(ds: DataSource): Promise<Existing> {
  const [t] = await ds.query(
    `SELECT to_regclass('public.enrollment') IS NOT NULL AS e, to_regclass('public.enterprise') IS NOT NULL AS n,
            to_regclass('public.app_user') IS NOT NULL AS u`,
  );
  const count = async (present: boolean, sql: string) => (present ? Number((await ds.query(sql))[0].count) : 0);
  return {
    enrollments: await count(t.e, `SELECT count(*) FROM enrollment`),
    enterprises: await count(t.n, `SELECT count(*) FROM enterprise`),
    users: await count(t.u, `SELECT count(*) FROM app_user WHERE NOT ('province_admin' = ANY(roles))`),
  };
}

const fmt = (n: number) => n.toLocaleString('en-US');

async function countRows(ds: DataSource): Promise<Record<string, number>> {
  const [row] = await ds.query(`SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t})::bigint AS ${t}`).join(', ')}`);
  return Object.fromEntries(TABLES.map((t) => [t, Number(row[t])]));
}

/** The 8 past ISO weeks and the current one (oldest first), with the days that already have data. */
function workforceWeeks(today: string) {
  const current = isoWeekOf(today);
  const out: Array<{ isoWeek: string; monday: string; avail: number }> = [];
  for (let k = -8; k <= 0; k++) {
    const isoWeek = addWeeks(current, k);
    const { monday } = weekRange(isoWeek);
    const elapsed = Math.round((Date.parse(today) - Date.parse(monday)) / 86_400_000);
    out.push({ isoWeek, monday, avail: k < 0 ? 6 : Math.min(6, elapsed) });
  }
  return out;
}

/**
 * `npm run seed:demo -- --scale small|medium|large [--force]`. Needs the context built with
 * SeedDemoModule. Returns the exit code: 0 done, 2 refused (not empty without --force, bad usage).
 */
export async function seedDemoCommand(
  app: INestApplicationContext,
  config: AppConfig,
  args: string[],
  out: Output = { log: (l) => console.log(l), error: (l) => console.error(l) },
  hooks: SeedDemoHooks = { afterSeed },
): Promise<number> {
  const parsed = parseSeedDemoArgs(args);
  if (typeof parsed === 'string') {
    out.error(`${parsed}\nCách dùng / usage:\n${SEED_DEMO_USAGE}`);
    return 2;
  }
  const scale = SCALES[parsed.scale];
  const seg = segments(scale);
  const ds = app.get(DataSource);
  const target = describeTarget(config);
  out.log(
    `seed:demo — scale ${scale.name}: ~${fmt(scale.learners)} learners (${fmt(seg.citizens)} citizens, ` +
      `${fmt(seg.students)} students, ${fmt(seg.officials)} officials, ~${fmt(seg.workerAccounts)} worker accounts, ` +
      `${fmt(seg.trainers)} trainers), ${scale.parks} industrial parks, ${fmt(scale.enterprises)} enterprises, ` +
      `${fmt(scale.workers)} workers, ${fmt(scale.cohorts)} cohorts`,
  );
  out.log(`Target: ${target}`);

  // Refuse before touching anything (migrations included) unless the database is empty.
  const existing = await existingData(ds);
  const nonEmpty = existing.enrollments + existing.enterprises + existing.users > 0;
  const what = `${fmt(existing.users)} user(s) other than province admins, ${fmt(existing.enterprises)} enterprise(s), ${fmt(existing.enrollments)} enrollment(s)`;
  if (nonEmpty && !parsed.force) {
    out.error(
      `Từ chối: cơ sở dữ liệu không trống (${what}). seed:demo chỉ chạy trên cơ sở dữ liệu trống; ` +
        `thêm --force để vẫn thêm dữ liệu demo.\n` +
        `Refused: the database is not empty (${what}). seed:demo only runs on an empty database; ` +
        `pass --force to add the demo data on top anyway.`,
    );
    return 2;
  }
  if (nonEmpty) out.log(`--force: adding the demo on top of existing data (${what}).`);

  let password = process.env.DEMO_PASSWORD;
  const generated = !password;
  const passwords = app.get(PasswordService);
  try {
    password = password
      ? passwords.assertAcceptable(password, 'DEMO_PASSWORD')
      : `Demo-${randomBytes(9).toString('base64url')}`;
  } catch (err) {
    if (err instanceof DomainException) {
      out.error(`DEMO_PASSWORD: ${err.messageIn('vi')} / ${err.messageIn('en')}`);
      return 2;
    }
    throw err;
  }

  const timings: Array<[string, number]> = [];
  const started = performance.now();
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await fn();
    const seconds = (performance.now() - t0) / 1000;
    timings.push([name, seconds]);
    out.log(`  ✓ ${name.padEnd(34)} ${seconds.toFixed(1)} s`);
    return result;
  };

  await phase('migrations, org units, courses', async () => {
    await runMigrationsLocked(ds);
    await app.get(IdentityBootstrapService).seedOrgUnits();
    await app.get(CourseImportService).importIfEmpty(config.content.dir);
  });

  const today = localDate(new Date());
  const weeks = workforceWeeks(today);
  const { plan, before, passwordHash, bulk } = await phase('plan', async () => {
    const [root] = await ds.query(`SELECT id, path FROM org_unit WHERE kind = 'province' ORDER BY created_at LIMIT 1`);
    if (!root) throw new Error('no province org unit (content/org-units) — cannot seed');
    const communes: CommuneRow[] = await ds.query(
      `SELECT id, code, name, kind, path FROM org_unit WHERE parent_id = $1 AND kind IN ('ward', 'commune') ORDER BY code`,
      [root.id],
    );
    if (communes.length === 0) throw new Error('no communes under the province (content/org-units) — cannot seed');
    if (communes.length !== 92)
      out.log(`  note: ${communes.length} commune-level units under the province (expected 92)`);
    let prefix = 'DEMO';
    let domain = 'demo.thainguyen.gov.vn';
    for (let r = 1; r < 100; r++) {
      prefix = r === 1 ? 'DEMO' : `DEMO${r}`;
      domain = r === 1 ? 'demo.thainguyen.gov.vn' : `demo${r}.thainguyen.gov.vn`;
      const [{ taken }] = await ds.query(
        `SELECT EXISTS (SELECT 1 FROM org_unit WHERE code LIKE $1) OR EXISTS (SELECT 1 FROM app_user WHERE email LIKE $2) AS taken`,
        [`${prefix}-%`, `%@${domain}`],
      );
      if (!taken) break;
    }
    const existingUnits: ExistingUnit[] = await ds.query(
      `SELECT id, kind, name, parent_id, path FROM org_unit WHERE kind IN ('agency', 'school', 'community_team', 'industrial_park')`,
    );
    const taxCodes: Array<{ tax_code: string }> = await ds.query(
      `SELECT tax_code FROM enterprise UNION SELECT tax_code FROM park_enterprise`,
    );
    const [{ superuser, owner }] = await ds.query(
      `SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS superuser,
              pg_has_role(current_user, c.relowner, 'USAGE') AS owner
       FROM pg_class c WHERE c.oid = 'public.app_user'::regclass`,
    );
    return {
      plan: buildPlan({
        scale,
        today,
        prefix,
        domain,
        root,
        communes,
        existingUnits,
        takenTaxCodes: new Set(taxCodes.map((t) => t.tax_code)),
        qualificationYears: config.cohorts.qualificationYears,
      }),
      before: await countRows(ds),
      passwordHash: await passwords.hash(password as string),
      bulk: (superuser ? 'replica' : owner ? 'disable-trigger' : 'trigger') as
        | 'replica'
        | 'disable-trigger'
        | 'trigger',
    };
  });

  // ---- generation: one session, one transaction ----
  const qr = ds.createQueryRunner();
  await qr.connect();
  let logins: DemoLogin[] = [];
  let moved = 0;
  try {
    await qr.query(`SET synchronous_commit = off`);
    await qr.query(`SET temp_buffers = '${scale.name === 'large' ? '512MB' : '64MB'}'`).catch(() => undefined);
    const gen = new DemoGenerator(qr, plan, scale, {
      runSalt: plan.prefix.toLowerCase(),
      passwordHash,
      minAttendancePercent: config.cohorts.minAttendancePercent,
      bulk,
      weeks,
    });
    await qr.startTransaction();
    try {
      await qr.query(`SELECT pg_advisory_xact_lock(hashtext('hocso:seed-demo'))`);
      await gen.setup();
      await phase('org units, parks, enterprises', () => gen.orgUnits());
      logins = await phase('demo logins', () => gen.logins());
      await phase('people (accounts)', () => gen.people());
      await phase('workers, accounts → app_user', () => gen.workersAndAccounts());
      await phase('trainers, ToT cascade, cohorts', () => gen.trainersAndCohorts());
      await phase('enrollments, completions', () => gen.enrollments());
      await phase('learning minutes (60 days)', () => gen.learningMinutes());
      await phase('training reports and sessions', () => gen.trainingSessions());
      await phase('officials roster', () => gen.roster());
      await phase('population statistics', () => gen.population());
      moved = await phase('people who moved', () => gen.moves());
      if (bulk === 'replica') await phase('verify foreign keys', () => verifyForeignKeys(qr));
      await phase('commit', () => qr.commitTransaction());
    } catch (err) {
      await qr.rollbackTransaction().catch(() => undefined);
      throw err;
    }
    await gen.cleanup().catch(() => undefined);
    await phase('analyze', () =>
      qr.query(
        `ANALYZE org_unit, app_user, user_org_unit_history, enrollment, learning_minutes_daily, worker, training_session,
                 training_report, cohort_member, cohort_attendance, official_roster`,
      ),
    );
  } finally {
    await qr.release();
  }

  // ---- weekly workforce rollups through the real services (reminders off meanwhile) ----
  await phase('workforce weekly rollups', () =>
    weeklyRollups(app, ds, {
      enterpriseIds: plan.enterprises.map((e) => e.id),
      weeks: weeks.map((w) => w.isoWeek),
      embedded: !config.db.url,
    }),
  );

  const context: SeedDemoContext = {
    app,
    ds,
    config,
    scale,
    today,
    weeks: weeks.map((w) => w.isoWeek),
    plan,
    log: (l) => out.log(l),
  };
  if (hooks.afterSeed) await phase('after-seed hook', () => hooks.afterSeed!(context));

  const after = await countRows(ds);
  const total = (performance.now() - started) / 1000;
  printSummary(out, before, after, timings, total);
  out.log(`People who moved commune during the year: ${fmt(moved)}. Demo prefix: ${plan.prefix}.`);
  out.log(`\nDemo logins (password ${generated ? `generated for this run: ${password}` : 'from DEMO_PASSWORD'}):`);
  for (const l of logins) out.log(`  ${l.label.padEnd(26)} ${l.email.padEnd(36)} ${l.unit}`);
  return 0;
}

function printSummary(
  out: Output,
  before: Record<string, number>,
  after: Record<string, number>,
  timings: Array<[string, number]>,
  total: number,
) {
  const w = Math.max(...TABLES.map((t) => t.length));
  out.log(`\n${'table'.padEnd(w)}  ${'rows added'.padStart(12)}  ${'rows total'.padStart(12)}`);
  out.log(`${'-'.repeat(w)}  ${'-'.repeat(12)}  ${'-'.repeat(12)}`);
  for (const t of TABLES) {
    out.log(`${t.padEnd(w)}  ${fmt(after[t] - before[t]).padStart(12)}  ${fmt(after[t]).padStart(12)}`);
  }
  out.log(`\n${'phase'.padEnd(34)}  ${'seconds'.padStart(8)}`);
  for (const [name, s] of timings) out.log(`${name.padEnd(34)}  ${s.toFixed(1).padStart(8)}`);
  out.log(`${'total'.padEnd(34)}  ${total.toFixed(1).padStart(8)}`);
}
