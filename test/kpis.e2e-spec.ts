import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { localDate, localMidnight, Role, type UserActor } from '@hocso/common';
import { CourseImportService } from '@hocso/courses';
import { DataRightsService, type OrgUnitEntity, OrgUnitKind } from '@hocso/identity';
import { JobName, QueueName, QueueService } from '@hocso/queue';
import { createSession, createTestApp, Factories, type Session, type TestApp, waitForJob } from '@hocso/testing';
import { addDays, addWeeks, isoWeekOf, weekRange } from '@hocso/workforce';
import { DataSource } from 'typeorm';

/**
 * Every KPI checked against an independent computation: the test generates a small province in
 * memory (people who move, are erased, complete courses whose certificates are revoked or expire;
 * trainers whose qualifications expire or are revoked; officials who join and leave rosters;
 * enterprises with and without reports, registered or only on a park's list; communes with and
 * without population figures), writes it as rows, and recomputes each figure here in plain
 * TypeScript from the generated objects — never from the database.
 */

const FIXTURE = join(__dirname, 'fixtures/cohort-content');
const COURSE_A = 'lop-thu-nghiem';
const COURSE_B = 'tot-thu-nghiem';
const DAY = 86_400_000;
const NOW = Date.now();
const TODAY = localDate(new Date(NOW));
const W0 = isoWeekOf(TODAY);
const WP = addWeeks(W0, -2);
const WP_END = localMidnight(addDays(weekRange(WP).sunday, 1)).getTime();
const YEAR = Number(TODAY.slice(0, 4));

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}

type CertState = 'none' | 'valid' | 'revoked' | 'expired';
interface Completion {
  course: 'A' | 'B';
  completedAt: number;
  cert: CertState;
  certFrom: number;
  certEnd: number | null; // revoked_at or valid_until
}
interface Qualification {
  level: 'master' | 'core' | 'community';
  grantedOn: string;
  expiresOn: string | null;
  revokedAt: number | null;
}
interface Person {
  id: string;
  email: string;
  unit: string | null;
  birthYear: number | null;
  roles: string[];
  createdAt: number;
  move: { at: number; to: string } | null;
  erased: boolean;
  completions: Completion[];
  qualifications: Qualification[];
  source: string | null;
  minutes: Array<{ date: string; seconds: number }>;
  workerOf: string | null;
}

describe('province KPIs against an independent computation', () => {
  let t: TestApp;
  let ds: DataSource;
  let admin: Session;
  let province: OrgUnitEntity;
  const communes: OrgUnitEntity[] = [];
  let agencyA0: OrgUnitEntity;
  let agencyA1: OrgUnitEntity;
  let school: OrgUnitEntity;
  const parent = new Map<string, string | null>();
  const kind = new Map<string, string>();
  const people: Person[] = [];
  const courseIds: Record<'A' | 'B', string> = { A: '', B: '' };
  const r = rng(Number(process.env.KPI_TEST_SEED ?? 20261204));
  // Officials' rosters: agency → entries (email, position, from, to)
  const roster: Array<{
    agency: string;
    email: string;
    position: 'leader' | 'staff';
    from: string;
    to: string | null;
  }> = [];
  // Enterprises: id, tax code, park, registered, active range; compliance per week
  const parks: Record<'P' | 'P2', string> = { P: '', P2: '' };
  const enterprises: Array<{
    id: string | null;
    tax: string;
    park: string;
    listed: boolean;
    activeTo: string | null;
    live: Record<string, boolean>;
    frozen: Record<string, boolean>;
  }> = [];
  const stats = new Map<string, number>();

  const chainOf = (unit: string | null): string[] => {
    const out: string[] = [];
    for (let u: string | null = unit ?? province.id; u; u = parent.get(u) ?? null) out.push(u);
    return out;
  };

  beforeAll(async () => {
    t = await createTestApp({ worker: true, env: { LOG_LEVEL: 'error' } });
    ds = t.app.get(DataSource);
    const f = new Factories(t);
    expect((await t.app.get(CourseImportService).importDirectory(FIXTURE)).counts.rejected).toBe(0);
    province = await f.province();
    for (let i = 0; i < 4; i++) communes.push(await f.commune(i));
    agencyA0 = await f.orgUnit(communes[0], OrgUnitKind.Agency, 'UBND xã thử nghiệm');
    agencyA1 = await f.orgUnit(province, OrgUnitKind.Agency, 'Sở thử nghiệm');
    school = await f.orgUnit(communes[1], OrgUnitKind.School, 'Trường thử nghiệm');
    parent.set(province.id, null);
    kind.set(province.id, 'province');
    for (const c of communes) {
      parent.set(c.id, province.id);
      kind.set(c.id, c.kind);
    }
    for (const [u, p, k] of [
      [agencyA0, communes[0], 'agency'],
      [agencyA1, province, 'agency'],
      [school, communes[1], 'school'],
    ] as const) {
      parent.set(u.id, p.id);
      kind.set(u.id, k);
    }
    admin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: province });
    for (const [k, slug] of [
      ['A', COURSE_A],
      ['B', COURSE_B],
    ] as const) {
      const [row] = await ds.query(`SELECT id FROM course WHERE slug = $1`, [slug]);
      courseIds[k] = row.id;
    }
    // The KPIs read the fixture courses (a PATCH is also what a province admin would do).
    for (const [code, params] of [
      ['CITIZENS_ONLINE_SERVICES', { courseSlugs: [COURSE_A] }],
      ['AI_BASICS', { courseSlugs: [COURSE_B], ageMin: 15, ageMax: 60 }],
      ['OFFICIALS_TRAINED', { courseSlugs: [COURSE_A, COURSE_B] }],
    ] as const) {
      const res = await admin.agent.patch(`/v1/kpis/definitions/${code}`).send({ params, reason: 'Thử nghiệm' });
      expect([res.status, res.body.params?.courseSlugs]).toEqual([200, params.courseSlugs]);
    }
    await generate();
    // Uploads refresh the open week in the background; read once every refresh has run.
    const queue = t.app.get(QueueService).queue(QueueName.Reporting);
    for (let i = 0; i < 600; i++) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).every((n) => n === 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 120_000);
  afterAll(() => t?.close());

  async function generate() {
    const units = [...communes.map((c) => c.id), agencyA0.id, agencyA1.id, school.id, null];
    for (let i = 0; i < 220; i++) {
      const createdAt = NOW - r.int(1, 140) * DAY + r.int(0, 80_000) * 1000;
      const unit = r.pick(units);
      const p: Person = {
        id: randomUUID(),
        email: `kpi-${i}@test.hocso.vn`,
        unit,
        birthYear: r.chance(0.08) ? null : r.int(1950, 2013),
        roles: r.chance(0.05) ? ['learner', 'official'] : ['learner'],
        createdAt,
        move: null,
        erased: false,
        completions: [],
        qualifications: [],
        source: null,
        minutes: [],
        workerOf: null,
      };
      if (r.chance(0.12)) {
        const at = Math.max(createdAt + DAY, NOW - r.int(1, 50) * DAY);
        if (at < NOW - 3600_000) p.move = { at, to: r.pick(units.filter((u) => u !== unit && u !== null) as string[]) };
      }
      for (const course of ['A', 'B'] as const) {
        if (!r.chance(0.55)) continue;
        const completedAt = Math.min(NOW - 3600_000, createdAt + r.int(1, 60) * DAY);
        const cert = r.pick(['none', 'valid', 'valid', 'revoked', 'expired'] as const);
        const certFrom = completedAt + 60_000;
        const certEnd = cert === 'revoked' || cert === 'expired' ? certFrom + r.next() * (NOW - certFrom) : null;
        p.completions.push({ course, completedAt, cert, certFrom, certEnd });
      }
      if (r.chance(0.12)) {
        p.source = r.pick(['department', 'commune', 'university', null]);
        for (let q = 0; q < r.int(1, 2); q++) {
          const granted = addDays(TODAY, -r.int(10, 200));
          p.qualifications.push({
            level: r.pick(['master', 'core', 'community'] as const),
            grantedOn: granted,
            expiresOn: r.chance(0.3)
              ? [granted, addDays(TODAY, -r.int(1, 9) * 7 + 3)].sort()[1]
              : r.chance(0.5)
                ? addDays(TODAY, 100)
                : null,
            revokedAt: r.chance(0.2) ? NOW - r.int(1, 40) * DAY : null,
          });
        }
      }
      for (let d = 0; d < r.int(0, 4); d++) {
        const date = addDays(TODAY, -r.int(0, 45));
        if (!p.minutes.some((m) => m.date === date)) p.minutes.push({ date, seconds: r.int(60, 5400) });
      }
      people.push(p);
    }
    await ds.query(
      `INSERT INTO app_user (id, email, full_name, org_unit_id, birth_year, roles, created_at, status, locale)
       SELECT id, email, name, unit, by, CASE WHEN official THEN ARRAY['learner', 'official'] ELSE ARRAY['learner'] END,
              created, 'active', 'vi'
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::int[], $6::boolean[], $7::timestamptz[])
           AS x(id, email, name, unit, by, official, created)`,
      [
        people.map((p) => p.id),
        people.map((p) => p.email),
        people.map((_, i) => `Người học ${i}`),
        people.map((p) => p.unit),
        people.map((p) => p.birthYear),
        people.map((p) => p.roles.includes('official')),
        people.map((p) => new Date(p.createdAt)),
      ],
    );
    // Moves: the trigger records them now; the history is shifted to when they happened.
    for (const p of people.filter((x) => x.move)) {
      await ds.query(`UPDATE app_user SET org_unit_id = $2 WHERE id = $1`, [p.id, p.move!.to]);
      await ds.query(`UPDATE user_org_unit_history SET valid_to = $2 WHERE user_id = $1 AND valid_to IS NOT NULL`, [
        p.id,
        new Date(p.move!.at),
      ]);
      await ds.query(`UPDATE user_org_unit_history SET valid_from = $2 WHERE user_id = $1 AND valid_to IS NULL`, [
        p.id,
        new Date(p.move!.at),
      ]);
    }
    const [version] = await ds.query(`SELECT latest_version_id AS a FROM course WHERE id = $1`, [courseIds.A]);
    const [versionB] = await ds.query(`SELECT latest_version_id AS b FROM course WHERE id = $1`, [courseIds.B]);
    const [list] = await ds.query(
      `INSERT INTO status_list (size, bits) VALUES (131072, decode(repeat('00', 16384), 'hex')) RETURNING id`,
    );
    let index = 0;
    for (const p of people) {
      for (const c of p.completions) {
        const courseId = courseIds[c.course];
        await ds.query(
          `INSERT INTO enrollment (user_id, course_id, course_slug, version_id, source, status, completed_at, enrolled_at)
           VALUES ($1, $2, $3, $4, 'self', 'completed', $5, $6)`,
          [
            p.id,
            courseId,
            c.course === 'A' ? COURSE_A : COURSE_B,
            c.course === 'A' ? version.a : versionB.b,
            new Date(c.completedAt),
            new Date(p.createdAt),
          ],
        );
        if (c.cert === 'none') continue;
        await ds.query(
          `INSERT INTO certificate (id, holder_id, achievement_key, kind, course_id, title_vi, title_en, valid_from, valid_until,
             credential, credential_jwt, kid, status_list_id, status_index, revoked_at)
           VALUES ($1, $2, $3, 'course', $4, 'Chứng nhận', 'Certificate', $5, $6, '{}'::jsonb, 'x', 'k', $7, $8, $9)`,
          [
            randomUUID(),
            p.id,
            `course:${courseId}`,
            courseId,
            new Date(c.certFrom),
            c.cert === 'expired' ? new Date(c.certEnd!) : null,
            list.id,
            index++,
            c.cert === 'revoked' ? new Date(c.certEnd!) : null,
          ],
        );
      }
      if (p.qualifications.length) {
        await ds.query(`INSERT INTO trainer_profile (user_id, source) VALUES ($1, $2)`, [p.id, p.source]);
        for (const q of p.qualifications) {
          await ds.query(
            `INSERT INTO trainer_qualification (user_id, level, basis, granted_on, expires_on, revoked_at)
             VALUES ($1, $2, 'appointment', $3, $4, $5)`,
            [p.id, q.level, q.grantedOn, q.expiresOn, q.revokedAt ? new Date(q.revokedAt) : null],
          );
        }
      }
      for (const m of p.minutes) {
        await ds.query(
          `INSERT INTO learning_minutes_daily (user_id, local_date, course_id, seconds) VALUES ($1, $2, $3, $4)`,
          [p.id, m.date, courseIds.A, m.seconds],
        );
      }
    }
    await industrialParks();
    await officials();
    // Population (working age) for three communes; the fourth has none ("no data").
    for (const [i, c] of communes.slice(0, 3).entries()) stats.set(c.id, 40 + i * 15);
    const res = await admin.agent.put('/v1/population-stats').send({
      rows: communes.slice(0, 3).map((c) => ({
        orgUnitCode: c.code,
        period: String(YEAR),
        workingAge: stats.get(c.id),
        population: stats.get(c.id)! * 2,
        source: 'Cục Thống kê (thử nghiệm)',
        sourceDate: `${YEAR}-01-15`,
      })),
    });
    expect([res.status, res.body.code]).toEqual([200, undefined]);
  }

  async function industrialParks() {
    for (const key of ['P', 'P2'] as const) {
      const id = randomUUID();
      await ds.query(
        `INSERT INTO org_unit (id, kind, code, name, parent_id, path) VALUES ($1, 'industrial_park', $2, $3, $4, $5)`,
        [id, `KCN-${key}-${id.slice(0, 6)}`, `KCN ${key}`, province.id, `${province.path}${id}/`],
      );
      await ds.query(`INSERT INTO industrial_park (org_unit_id) VALUES ($1)`, [id]);
      parks[key] = id;
      parent.set(id, province.id);
      kind.set(id, 'industrial_park');
    }
    const specs = [
      // park P (has a list): E1 compliant both weeks; E2 live-compliant in WP but frozen not; E3 no reports; X unregistered
      {
        key: 'E1',
        park: 'P',
        listed: true,
        registered: true,
        live: { [W0]: true, [WP]: true },
        frozen: { [WP]: true },
      },
      {
        key: 'E2',
        park: 'P',
        listed: true,
        registered: true,
        live: { [W0]: true, [WP]: true },
        frozen: { [WP]: false },
      },
      { key: 'E3', park: 'P', listed: true, registered: true, live: {}, frozen: {} },
      { key: 'X', park: 'P', listed: true, registered: false, live: {}, frozen: {} },
      // park P2 (no list): its registered, active enterprises are the denominator
      { key: 'E4', park: 'P2', listed: false, registered: true, live: { [W0]: false, [WP]: true }, frozen: {} },
      {
        key: 'E5',
        park: 'P2',
        listed: false,
        registered: true,
        live: { [W0]: true },
        frozen: {},
        activeTo: addDays(TODAY, -120),
      },
    ];
    await ds.query(
      `INSERT INTO compliance_week (iso_week, status, closed_at, rule, threshold, enterprises, compliant_enterprises)
       VALUES ($1, 'closed', now(), 'worker_coverage', 0.8, 0, 0)`,
      [WP],
    );
    for (const [i, s] of specs.entries()) {
      const tax = `09${String(Date.now()).slice(-6)}${i}${i}`;
      let id: string | null = null;
      if (s.registered) {
        id = randomUUID();
        await ds.query(
          `INSERT INTO org_unit (id, kind, code, name, parent_id, path) VALUES ($1, 'enterprise', $2, $3, $4, $5)`,
          [
            id,
            `DN-${id.slice(0, 8)}`,
            `Doanh nghiệp ${s.key}`,
            parks[s.park as 'P' | 'P2'],
            `${province.path}${parks[s.park as 'P' | 'P2']}/${id}/`,
          ],
        );
        await ds.query(
          `INSERT INTO enterprise (org_unit_id, industrial_park_id, tax_code, ownership, active_from, active_to)
           VALUES ($1, $2, $3, 'domestic', $4, $5)`,
          [id, parks[s.park as 'P' | 'P2'], tax, addDays(TODAY, -300), s.activeTo ?? null],
        );
        parent.set(id, parks[s.park as 'P' | 'P2']);
        kind.set(id, 'enterprise');
        for (const [week, compliant] of Object.entries(s.live)) {
          await ds.query(
            `INSERT INTO weekly_enterprise_compliance (enterprise_id, iso_week, industrial_park_id, compliant, rule, threshold)
             VALUES ($1, $2, $3, $4, 'worker_coverage', 0.8)`,
            [id, week, parks[s.park as 'P' | 'P2'], compliant],
          );
        }
        for (const [week, compliant] of Object.entries(s.frozen)) {
          await ds.query(
            `INSERT INTO compliance_snapshot (iso_week, enterprise_id, industrial_park_id, active_workers, covered_workers, compliant, frozen_at)
             VALUES ($1, $2, $3, 10, 5, $4, now())`,
            [week, id, parks[s.park as 'P' | 'P2'], compliant],
          );
        }
      }
      enterprises.push({
        id,
        tax,
        park: parks[s.park as 'P' | 'P2'],
        listed: s.listed,
        activeTo: s.activeTo ?? null,
        live: s.live,
        frozen: s.frozen,
      });
    }
    const res = await admin.agent.put(`/v1/industrial-parks/${parks.P}/operating-enterprises`).send({
      rows: enterprises.filter((e) => e.listed).map((e) => ({ taxCode: e.tax, name: `DN ${e.tax}` })),
      asOf: addDays(TODAY, -200),
    });
    expect([res.status, res.body.code]).toEqual([200, undefined]);
    // Some workers linked to accounts (the worker segment).
    for (const p of people.filter((x) => !x.roles.includes('official')).slice(0, 15)) {
      p.workerOf = enterprises[0].id;
      await ds.query(`INSERT INTO worker (enterprise_id, worker_code, user_id) VALUES ($1, $2, $3)`, [
        enterprises[0].id,
        `W-${p.id.slice(0, 8)}`,
        p.id,
      ]);
    }
  }

  async function officials() {
    const d1 = addDays(TODAY, -70);
    const d2 = addDays(TODAY, -3);
    const pool = people.filter((p) => !p.workerOf);
    const first = pool.slice(20, 34);
    const a1 = pool.slice(34, 42);
    const ghost = ['chua-dang-ky-1@test.hocso.vn', 'chua-dang-ky-2@test.hocso.vn'];
    const put = async (agency: OrgUnitEntity, rows: Array<{ email: string; position: string }>, asOf: string) => {
      const res = await admin.agent.put(`/v1/org-units/${agency.id}/officials`).query({ asOf }).send({ rows });
      expect([res.status, res.body.code]).toEqual([200, undefined]);
    };
    const pos = (i: number) => (i % 4 === 0 ? 'leader' : 'staff');
    await put(
      agencyA0,
      [
        ...first.map((p, i) => ({ email: p.email, position: pos(i) })),
        ...ghost.map((email) => ({ email, position: 'staff' })),
      ],
      d1,
    );
    await put(
      agencyA1,
      a1.map((p, i) => ({ email: p.email, position: pos(i + 1) })),
      d1,
    );
    // Three weeks later… no: three days ago, two people left A0 and one joined.
    const stay = first.slice(2);
    const joined = pool[50];
    await put(
      agencyA0,
      [
        ...stay.map((p, i) => ({ email: p.email, position: pos(i + 2) })),
        ...ghost.map((email) => ({ email, position: 'staff' })),
        { email: joined.email, position: 'staff' },
      ],
      d2,
    );
    first.forEach((p, i) => {
      roster.push({
        agency: agencyA0.id,
        email: p.email,
        position: pos(i),
        from: d1,
        to: i < 2 ? addDays(d2, -1) : null,
      });
    });
    for (const email of ghost) roster.push({ agency: agencyA0.id, email, position: 'staff', from: d1, to: null });
    roster.push({ agency: agencyA0.id, email: joined.email, position: 'staff', from: d2, to: null });
    a1.forEach((p, i) => {
      roster.push({ agency: agencyA1.id, email: p.email, position: pos(i + 1), from: d1, to: null });
    });
  }

  // ---------- the independent computation ----------

  /** Where a person is at an instant, or undefined when not counted (not yet created, erased). */
  function unitAt(p: Person, instant: number): string | null | undefined {
    if (p.erased || p.createdAt > instant) return undefined;
    return p.move && p.move.at <= instant ? p.move.to : p.unit;
  }
  function validCompletion(c: Completion, instant: number): boolean {
    if (c.completedAt > instant) return false;
    if (c.cert === 'none' || c.certFrom > instant) return true;
    return c.cert === 'valid' || c.certEnd! > instant;
  }
  const done = (p: Person, courses: Array<'A' | 'B'>, instant: number) =>
    courses.every((k) => p.completions.some((c) => c.course === k && validCompletion(c, instant)));
  const within = (unit: string | null, scope: string) => chainOf(unit).includes(scope);

  function expected(instant: number, asOf: string, weekKey: string, scope: string) {
    const present = people.filter((p) => unitAt(p, instant) !== undefined && within(unitAt(p, instant)!, scope));
    const year = Number(asOf.slice(0, 4));
    const inBand = (p: Person) => p.birthYear !== null && year - p.birthYear >= 15 && year - p.birthYear <= 60;
    // TOT
    const rank = { master: 3, core: 2, community: 1 } as const;
    const byLevel: Record<string, number> = {};
    let trainers = 0;
    for (const p of present) {
      const valid = p.qualifications.filter(
        (q) =>
          q.grantedOn <= asOf &&
          (q.expiresOn === null || q.expiresOn >= asOf) &&
          (q.revokedAt === null || q.revokedAt > instant),
      );
      if (!valid.length) continue;
      trainers++;
      const best = valid.reduce((a, b) => (rank[b.level] > rank[a.level] ? b : a)).level;
      byLevel[best] = (byLevel[best] ?? 0) + 1;
    }
    // Officials (by roster agency)
    const onRoster = roster.filter((e) => e.from <= asOf && (e.to === null || e.to >= asOf) && within(e.agency, scope));
    const personOf = (email: string) => people.find((p) => p.email === email && !p.erased);
    const officials = { n: 0, trained: 0, leader: [0, 0], staff: [0, 0] };
    for (const e of onRoster) {
      const p = personOf(e.email);
      const trained = p ? done(p, ['A', 'B'], instant) : false;
      officials.n++;
      officials.trained += trained ? 1 : 0;
      officials[e.position][0] += trained ? 1 : 0;
      officials[e.position][1]++;
    }
    // Population shares
    const denominator = (id: string): number | null => {
      if (year < YEAR) return null; // the figures were uploaded for this year only
      if (stats.has(id)) return stats.get(id)!;
      const kids = [...parent.entries()].filter(([, p]) => p === id).map(([k]) => denominator(k));
      return kids.some((k) => k !== null) ? kids.reduce<number>((s, k) => s + (k ?? 0), 0) : null;
    };
    const citizens = present.filter((p) => inBand(p) && done(p, ['A'], instant)).length;
    const ai = present.filter((p) => inBand(p) && done(p, ['B'], instant)).length;
    // Enterprises (a week period)
    const inScopeParks = [parks.P, parks.P2].filter((pk) => within(pk, scope));
    const listedOrActive = enterprises.filter(
      (e) =>
        inScopeParks.includes(e.park) &&
        (e.listed || (e.park === parks.P2 && (e.activeTo === null || e.activeTo >= weekRange(weekKey).monday))),
    );
    const compliant = listedOrActive.filter(
      (e) => e.id !== null && (e.frozen[weekKey] ?? e.live[weekKey] ?? false),
    ).length;
    // Activity
    const officialSet = new Set(onRoster.map((e) => personOf(e.email)?.id).filter(Boolean));
    const segment = (p: Person) =>
      officialSet.has(p.id) || p.roles.includes('official')
        ? 'official'
        : p.workerOf
          ? 'worker'
          : unitAt(p, instant) === school.id
            ? 'student'
            : 'citizen';
    const segments: Record<string, number> = {};
    for (const p of present) segments[segment(p)] = (segments[segment(p)] ?? 0) + 1;
    // The province admin's own account is a registered person too (a citizen, at the province).
    const admins = admin.user.createdAt.getTime() <= instant && scope === province.id ? 1 : 0;
    if (admins) segments.citizen = (segments.citizen ?? 0) + admins;
    const windowStart = addDays(asOf, -29);
    const active = present.filter((p) => p.minutes.some((m) => m.date >= windowStart && m.date <= asOf)).length;
    const hours =
      present.reduce(
        (s, p) =>
          s +
          p.minutes
            .filter((m) => m.date >= weekRange(weekKey).monday && m.date <= asOf)
            .reduce((a, m) => a + m.seconds, 0),
        0,
      ) / 3600;
    const completions = present.reduce(
      (s, p) => s + p.completions.filter((c) => validCompletion(c, instant)).length,
      0,
    );
    const certificates = present.reduce(
      (s, p) =>
        s +
        p.completions.filter(
          (c) => c.cert !== 'none' && c.certFrom <= instant && (c.cert === 'valid' || c.certEnd! > instant),
        ).length,
      0,
    );
    return {
      TOT_TRAINERS: { numerator: trainers, denominator: null, byLevel },
      OFFICIALS_TRAINED: { numerator: officials.trained, denominator: officials.n || null, officials },
      ENTERPRISE_WEEKLY_HOUR: { numerator: compliant, denominator: listedOrActive.length || null },
      CITIZENS_ONLINE_SERVICES: { numerator: citizens, denominator: denominator(scope) },
      AI_BASICS: { numerator: ai, denominator: denominator(scope) },
      LEARNERS_REGISTERED: { numerator: present.length + admins, denominator: null, segments },
      LEARNERS_ACTIVE_30D: { numerator: active, denominator: null },
      LEARNING_HOURS: { numerator: hours, denominator: null },
      COMPLETIONS: { numerator: completions, denominator: null },
      CERTIFICATES: { numerator: certificates, denominator: null },
    };
  }

  type Item = { code: string; numerator: number; denominator: number | null; value: number | null; noData: boolean };
  const overview = async (period: string, orgUnitId: string): Promise<Item[]> => {
    const res = await admin.agent.get('/v1/kpis').query({ period, orgUnitId });
    expect([res.status, res.body.code]).toEqual([200, undefined]);
    return res.body;
  };
  function check(items: Item[], exp: ReturnType<typeof expected>, label: string) {
    for (const item of items) {
      const e = exp[item.code as keyof typeof exp];
      const got = { code: item.code, numerator: item.numerator, denominator: item.denominator };
      const want = { code: item.code, numerator: e.numerator, denominator: e.denominator };
      if (item.code === 'LEARNING_HOURS') {
        expect(Math.abs(item.numerator - e.numerator)).toBeLessThan(0.05);
        continue;
      }
      expect([label, got]).toEqual([label, want]);
      if (
        e.denominator === null &&
        ['OFFICIALS_TRAINED', 'CITIZENS_ONLINE_SERVICES', 'AI_BASICS', 'ENTERPRISE_WEEKLY_HOUR'].includes(item.code)
      ) {
        // An empty denominator is "no data", never 0 % or a division error.
        expect([label, item.code, item.value, item.noData]).toEqual([label, item.code, null, true]);
      }
      if (e.denominator) {
        expect(item.value).toBeCloseTo((100 * e.numerator) / e.denominator, 1);
      }
    }
  }

  const scopes = () => [province.id, ...communes.map((c) => c.id), agencyA0.id, parks.P, parks.P2];

  const frozenPast: Record<string, Item[]> = {};

  it('matches for the open week at the province, each commune, an agency and each park', async () => {
    for (const scope of scopes()) {
      const items = await overview(W0, scope);
      expect(items.map((i) => i.code)).toContain('TOT_TRAINERS');
      // The open week is computed "as of now", the instant the snapshot was taken.
      const [p] = await ds.query(`SELECT computed_at FROM kpi_period WHERE period = $1`, [W0]);
      check(items, expected(new Date(p.computed_at).getTime(), TODAY, W0, scope), `${W0} @ ${scope}`);
    }
  });

  it('matches for a past week (frozen at first read) — where people were then, what was valid then', async () => {
    for (const scope of scopes()) {
      const items = await overview(WP, scope);
      check(items, expected(WP_END, weekRange(WP).sunday, WP, scope), `${WP} @ ${scope}`);
      frozenPast[scope] = items;
    }
    const [p] = await ds.query(`SELECT status FROM kpi_period WHERE period = $1`, [WP]);
    expect(p.status).toBe('frozen');
  });

  it('breaks down by commune, level, position, segment and enterprise with the same figures', async () => {
    const citizens = await admin.agent
      .get('/v1/kpis/CITIZENS_ONLINE_SERVICES/breakdown')
      .query({ by: 'commune', period: WP });
    expect(citizens.status).toBe(200);
    expect(citizens.body.rows).toHaveLength(92);
    for (const c of communes) {
      const row = citizens.body.rows.find((x: { orgUnitId: string }) => x.orgUnitId === c.id);
      const e = expected(WP_END, weekRange(WP).sunday, WP, c.id).CITIZENS_ONLINE_SERVICES;
      expect([c.code, row.numerator, row.denominator, row.noData]).toEqual([
        c.code,
        e.numerator,
        e.denominator,
        e.denominator === null,
      ]);
    }
    const exp = expected(WP_END, weekRange(WP).sunday, WP, province.id);
    const levels = await admin.agent.get('/v1/kpis/TOT_TRAINERS/breakdown').query({ by: 'level', period: WP });
    expect([levels.status, levels.body.code]).toEqual([200, 'TOT_TRAINERS']);
    const gotLevels = Object.fromEntries(
      levels.body.rows.map((x: { key: string; numerator: number }) => [x.key, x.numerator]),
    );
    expect(gotLevels).toEqual(exp.TOT_TRAINERS.byLevel);
    const positions = await admin.agent
      .get('/v1/kpis/OFFICIALS_TRAINED/breakdown')
      .query({ by: 'position', period: WP });
    const gotPositions = Object.fromEntries(
      positions.body.rows.map((x: { key: string; numerator: number; denominator: number }) => [
        x.key,
        [x.numerator, x.denominator],
      ]),
    );
    const wantPositions = Object.fromEntries(
      (['leader', 'staff'] as const)
        .filter((k) => exp.OFFICIALS_TRAINED.officials[k][1] > 0)
        .map((k) => [k, exp.OFFICIALS_TRAINED.officials[k]]),
    );
    expect(gotPositions).toEqual(wantPositions);
    const segments = await admin.agent
      .get('/v1/kpis/LEARNERS_REGISTERED/breakdown')
      .query({ by: 'segment', period: WP });
    expect(
      Object.fromEntries(segments.body.rows.map((x: { key: string; numerator: number }) => [x.key, x.numerator])),
    ).toEqual(exp.LEARNERS_REGISTERED.segments);
    const ents = await admin.agent
      .get('/v1/kpis/ENTERPRISE_WEEKLY_HOUR/breakdown')
      .query({ by: 'enterprise', period: WP });
    expect(ents.status).toBe(200);
    const byTax = Object.fromEntries(
      ents.body.rows.map((x: { key: string; numerator: number }) => [x.key, x.numerator]),
    );
    // E2 was live-compliant but frozen not: the frozen weekly snapshot wins; E3 (no reports) and X (not on Hocso) count as not compliant.
    expect(byTax).toEqual(
      Object.fromEntries(
        enterprises
          .filter((e) => e.listed || e.park === parks.P2)
          .filter((e) => e.activeTo === null)
          .map((e) => [e.tax, e.id && (e.frozen[WP] ?? e.live[WP]) ? 1 : 0]),
      ),
    );
  });

  it('keeps a frozen week as it was; late data is noted, not merged; erased people leave only aggregates', async () => {
    // An erased person who counted in the past week, a revocation now, a completion back-dated into that week.
    const erasedPerson = people.find(
      (p) =>
        unitAt(p, WP_END) !== undefined && p.completions.some((c) => c.course === 'A' && validCompletion(c, WP_END)),
    )!;
    const actor: UserActor = {
      kind: 'user',
      userId: erasedPerson.id,
      roles: [Role.Learner],
      orgUnitId: null,
      orgPath: null,
      locale: 'vi',
    };
    await t.app.get(DataRightsService).erase(actor, { confirm: true });
    erasedPerson.erased = true;
    const late = people.find(
      (p) => !p.erased && unitAt(p, WP_END) !== undefined && !p.completions.some((c) => c.course === 'B'),
    )!;
    const at = WP_END - 2 * DAY;
    await ds.query(
      `INSERT INTO enrollment (user_id, course_id, course_slug, version_id, source, status, completed_at)
       SELECT $1, id, slug, latest_version_id, 'self', 'completed', $2 FROM course WHERE id = $3`,
      [late.id, new Date(at), courseIds.B],
    );
    late.completions.push({ course: 'B', completedAt: at, cert: 'none', certFrom: at, certEnd: null });

    const again = await overview(WP, province.id);
    expect(again.map((i) => [i.code, i.numerator, i.denominator])).toEqual(
      frozenPast[province.id].map((i) => [i.code, i.numerator, i.denominator]),
    );
    // A province admin asks for a check: the late figures appear next to the frozen ones.
    const queue = t.app.get(QueueService).queue(QueueName.Reporting);
    const req = await admin.agent.post('/v1/kpis/snapshots').send({ period: WP });
    expect(req.status).toBe(202);
    await waitForJob(queue, req.body.jobId, 60_000);
    const res = await admin.agent.get('/v1/kpis').query({ period: WP, orgUnitId: province.id });
    const now = expected(WP_END, weekRange(WP).sunday, WP, province.id);
    for (const item of res.body) {
      const before = frozenPast[province.id].find((i) => i.code === item.code)!;
      expect([item.code, item.numerator]).toEqual([item.code, before.numerator]);
      const e = now[item.code as keyof typeof now];
      if (item.code === 'LEARNING_HOURS') continue;
      if (e.numerator !== before.numerator || e.denominator !== before.denominator) {
        expect([item.code, item.late?.numerator, item.late?.denominator ?? null]).toEqual([
          item.code,
          e.numerator,
          e.denominator,
        ]);
      } else {
        expect([item.code, item.late]).toEqual([item.code, null]);
      }
    }
    // At least the erased account is gone from today's count of that week.
    const registered = res.body.find((i: { code: string }) => i.code === 'LEARNERS_REGISTERED');
    expect(registered.late?.numerator).toBe(registered.numerator - 1);
    // The open week, refreshed, follows today's data.
    const refresh = await admin.agent.post('/v1/kpis/snapshots').send({ period: W0 });
    await waitForJob(queue, refresh.body.jobId, 60_000);
    const [p] = await ds.query(`SELECT computed_at FROM kpi_period WHERE period = $1`, [W0]);
    check(
      await overview(W0, province.id),
      expected(new Date(p.computed_at).getTime(), TODAY, W0, province.id),
      'after',
    );
  });

  it('the weekly close freezes the week that ended (and any month or quarter that ended in it)', async () => {
    const week = addWeeks(W0, -1);
    const queue = t.app.get(QueueService).queue(QueueName.WeeklyClose);
    const job = await t.app
      .get(QueueService)
      .add(JobName.CloseComplianceWeek, { isoWeek: week }, { jobId: `close-${week}` });
    const result = await waitForJob<{ kpis: { frozen: string[] } }>(queue, job.id!, 60_000);
    expect(result.kpis.frozen).toContain(week);
    const [p] = await ds.query(`SELECT status, frozen_at FROM kpi_period WHERE period = $1`, [week]);
    expect(p.status).toBe('frozen');
    const items = await overview(week, province.id);
    const [computed] = await ds.query(`SELECT computed_at FROM kpi_period WHERE period = $1`, [week]);
    expect(new Date(computed.computed_at).getTime()).toBe(new Date(p.frozen_at).getTime());
    const end = localMidnight(addDays(weekRange(week).sunday, 1)).getTime();
    check(items, expected(end, weekRange(week).sunday, week, province.id), `closed ${week}`);
    // Closing the same week again changes nothing.
    const again = await t.app
      .get(QueueService)
      .add(JobName.CloseComplianceWeek, { isoWeek: week }, { jobId: `close-${week}-2` });
    await waitForJob(queue, again.id!, 60_000);
    const [after] = await ds.query(`SELECT computed_at FROM kpi_period WHERE period = $1`, [week]);
    expect(new Date(after.computed_at).getTime()).toBe(new Date(computed.computed_at).getTime());
  });

  it('exports the overview as CSV with a BOM, and scopes every read to the caller’s units', async () => {
    const csv = await admin.agent
      .get('/v1/kpis/export.csv')
      .query({ period: WP })
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(csv.status).toBe(200);
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toContain('Mã chỉ tiêu');
    expect(lines).toHaveLength(11);
    expect(lines.find((l) => l.startsWith('CITIZENS_ONLINE_SERVICES'))).toContain(
      String(frozenPast[province.id].find((i) => i.code === 'CITIZENS_ONLINE_SERVICES')!.numerator),
    );

    const communeAdmin = await createSession(t, { roles: [Role.OrgAdmin], orgUnit: communes[0] });
    const own = await communeAdmin.agent.get('/v1/kpis').query({ period: WP });
    expect(own.status).toBe(200);
    expect(own.body[0].orgUnit.id).toBe(communes[0].id);
    const other = await communeAdmin.agent.get('/v1/kpis').query({ period: WP, orgUnitId: communes[1].id });
    expect([other.status, other.body.errors?.[0]?.field]).toEqual([404, 'orgUnitId']);
    const breakdown = await communeAdmin.agent
      .get('/v1/kpis/OFFICIALS_TRAINED/breakdown')
      .query({ by: 'agency', period: WP });
    expect(breakdown.body.rows.map((x: { orgUnitId: string }) => x.orgUnitId)).toEqual([agencyA0.id]);
    const parkAdmin = await createSession(t, { roles: [Role.OrgAdmin], orgUnit: { id: parks.P } as OrgUnitEntity });
    const park = await parkAdmin.agent
      .get('/v1/kpis/ENTERPRISE_WEEKLY_HOUR/breakdown')
      .query({ by: 'enterprise', period: WP });
    expect(park.body.rows).toHaveLength(enterprises.filter((e) => e.listed).length);
    const learner = await createSession(t, { roles: [Role.Learner], orgUnit: communes[0] });
    expect((await learner.agent.get('/v1/kpis')).status).toBe(403);
  });
});
