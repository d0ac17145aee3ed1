import { Injectable } from '@nestjs/common';
import { localDate, localMidnight } from '@hocso/common';
import { addDays, weekRange } from '@hocso/workforce';
import type { EntityManager } from 'typeorm';
import { isOpen, type Period } from '../period';
import { type KpiDefinition, type KpiParams, KpiCode } from './kpi-definitions.service';

/** One figure of a snapshot: a KPI at an org unit, in total (dim '') or for one slice of it. */
export interface SnapshotRow {
  kpiCode: string;
  orgUnitId: string;
  /** '' for the unit's total; 'level:core', 'position:leader', 'segment:worker', 'enterprise:<tax code>'… */
  dim: string;
  numerator: number;
  /** null for counts (no denominator) */
  denominator: number | null;
  details: Record<string, unknown>;
}

export interface ComputedSnapshot {
  period: Period;
  /** the local date the figures are taken at: the period's last day, or today while it is open */
  asOf: string;
  /** the instant the figures are taken at */
  asOfInstant: Date;
  rows: SnapshotRow[];
}

interface Unit {
  id: string;
  kind: string;
  path: string;
  parentId: string | null;
  /** own id and every ancestor's */
  chain: string[];
}

const LEVEL_RANK = `CASE q.level WHEN 'master' THEN 3 WHEN 'core' THEN 2 ELSE 1 END`;

/** Whatever pg returns for numeric/bigint aggregates, as a number. */
const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/**
 * Accumulates figures per (KPI, unit, dim). `up` adds a leaf's figures to the leaf and every
 * ancestor (people are in one unit at a time, so sums never double count); `at` adds to one unit.
 */
class Accumulator {
  private readonly rows = new Map<string, SnapshotRow>();

  constructor(
    private readonly units: Map<string, Unit>,
    private readonly rootId: string,
  ) {}

  chain(unitId: string | null): string[] {
    if (unitId === null) return [this.rootId];
    return this.units.get(unitId)?.chain ?? [this.rootId];
  }

  at(
    kpiCode: string,
    unitId: string,
    dim: string,
    numerator: number,
    denominator: number | null,
    details?: Record<string, unknown>,
  ) {
    const key = `${kpiCode}|${unitId}|${dim}`;
    let row = this.rows.get(key);
    if (!row) {
      row = { kpiCode, orgUnitId: unitId, dim, numerator: 0, denominator: null, details: {} };
      this.rows.set(key, row);
    }
    row.numerator += numerator;
    if (denominator !== null) row.denominator = (row.denominator ?? 0) + denominator;
    for (const [k, v] of Object.entries(details ?? {})) {
      if (typeof v === 'number') row.details[k] = ((row.details[k] as number | undefined) ?? 0) + v;
      else row.details[k] = v;
    }
  }

  up(
    kpiCode: string,
    leafUnitId: string | null,
    dim: string,
    numerator: number,
    denominator: number | null,
    details?: Record<string, unknown>,
  ) {
    for (const id of this.chain(leafUnitId)) this.at(kpiCode, id, dim, numerator, denominator, details);
  }

  get(kpiCode: string, unitId: string, dim = ''): SnapshotRow | undefined {
    return this.rows.get(`${kpiCode}|${unitId}|${dim}`);
  }

  all(): SnapshotRow[] {
    return [...this.rows.values()];
  }
}

/**
 * Computes every KPI for every org unit as of a period's end, with set-based SQL (GROUP BY unit,
 * never entity graphs) and a roll-up up the org-unit tree in memory. The rules (shared/CONTEXT.md
 * §7.4): people are counted once (an account, whatever the channel of their enrollments), where
 * they belonged at the snapshot instant (user_org_unit_history); erased accounts are left out of
 * live figures (frozen snapshots keep what they were); a completion counts while its certificate —
 * if one was issued — is neither revoked nor expired; trainers count while a qualification is valid.
 */
@Injectable()
export class KpiComputer {
  async compute(
    em: EntityManager,
    period: Period,
    definitions: KpiDefinition[],
    now = new Date(),
  ): Promise<ComputedSnapshot> {
    const open = isOpen(period, now);
    const asOf = open ? localDate(now) : period.endsOn;
    const asOfInstant = open ? now : localMidnight(addDays(period.endsOn, 1));
    const units = await this.loadUnits(em);
    const root = [...units.values()].find((u) => u.parentId === null && u.kind === 'province') ??
      [...units.values()].find((u) => u.parentId === null) ?? { id: '', chain: [] };
    const acc = new Accumulator(units, root.id);
    const ctx: Ctx = { em, period, asOf, asOfInstant, units, acc };
    const def = (code: KpiCode) => definitions.find((d) => d.code === code);
    if (root.id) {
      const tot = def(KpiCode.TotTrainers);
      if (tot) await this.totTrainers(ctx, tot.params);
      const officials = def(KpiCode.OfficialsTrained);
      if (officials) await this.officials(ctx, officials.params);
      const ent = def(KpiCode.EnterpriseWeeklyHour);
      if (ent) await this.enterprises(ctx, ent.params);
      for (const code of [KpiCode.CitizensOnlineServices, KpiCode.AiBasics]) {
        const d = def(code);
        if (d) await this.populationShare(ctx, code, d.params);
      }
      await this.activity(ctx, def(KpiCode.LearnersActive30d)?.params.days ?? 30);
    }
    return { period, asOf, asOfInstant, rows: acc.all() };
  }

  private async loadUnits(em: EntityManager): Promise<Map<string, Unit>> {
    const rows: Array<{ id: string; kind: string; path: string; parent_id: string | null }> = await em.query(
      `SELECT id, kind, path, parent_id FROM org_unit`,
    );
    const units = new Map<string, Unit>();
    for (const r of rows) {
      units.set(r.id, {
        id: r.id,
        kind: r.kind,
        path: r.path,
        parentId: r.parent_id,
        chain: r.path.split('/').filter(Boolean),
      });
    }
    return units;
  }

  /** The accounts (not erased) and the unit each belonged to at the snapshot instant ($1). */
  private static readonly PEOPLE = `pu AS (
      SELECT h.user_id, h.org_unit_id
        FROM user_org_unit_history h JOIN app_user u ON u.id = h.user_id
       WHERE u.status <> 'erased' AND h.valid_from <= $1 AND (h.valid_to IS NULL OR h.valid_to > $1)
    )`;

  /**
   * Valid completions at $1 of the courses in $2 (uuid[]): completed by then, and — when a course
   * certificate was issued by then — at least one of them neither revoked nor expired at $1.
   */
  private static readonly COMPLETIONS = `cert AS (
      SELECT c.holder_id, c.course_id,
             bool_or((c.revoked_at IS NULL OR c.revoked_at > $1) AND (c.valid_until IS NULL OR c.valid_until > $1)) AS valid
        FROM certificate c
       WHERE c.kind = 'course' AND c.valid_from <= $1 AND c.course_id = ANY($2::uuid[])
       GROUP BY c.holder_id, c.course_id
    ), vc AS (
      SELECT e.user_id, e.course_id
        FROM enrollment e LEFT JOIN cert ON cert.holder_id = e.user_id AND cert.course_id = e.course_id
       WHERE e.completed_at IS NOT NULL AND e.completed_at <= $1 AND e.course_id = ANY($2::uuid[])
         AND coalesce(cert.valid, true)
    )`;

  /** People who completed every course of the set: `done (user_id)`; $3 = the set's size. */
  private static readonly DONE =
    `done AS (SELECT user_id FROM vc GROUP BY user_id HAVING count(DISTINCT course_id) = $3)`;

  /** Officials on a roster at a date (the SQL parameter given), one row per person, matched to accounts by e-mail or phone. */
  private static roster(date: string) {
    return `ro AS (
      SELECT DISTINCT ON (coalesce(coalesce(ue.id, up.id)::text, r.email, r.phone))
             r.agency_id, r.position, coalesce(ue.id, up.id) AS user_id
        FROM official_roster r
        LEFT JOIN app_user ue ON r.email IS NOT NULL AND ue.email = r.email AND ue.status <> 'erased'
        LEFT JOIN app_user up ON r.phone IS NOT NULL AND up.phone = r.phone AND up.status <> 'erased'
       WHERE r.active_from <= ${date} AND (r.active_to IS NULL OR r.active_to >= ${date})
       ORDER BY coalesce(coalesce(ue.id, up.id)::text, r.email, r.phone), r.active_from DESC, r.id
    )`;
  }

  private async courseIds(em: EntityManager, slugs: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await em.query(`SELECT id FROM course WHERE slug = ANY($1::text[])`, [slugs]);
    return rows.map((r) => r.id);
  }

  /** TOT_TRAINERS: distinct people with a valid qualification, at their highest level. */
  private async totTrainers({ em, asOf, asOfInstant, acc }: Ctx, params: KpiParams) {
    const levels = params.levels ?? ['master', 'core', 'community'];
    const rows: Array<{ org_unit_id: string | null; level: string; source: string | null; n: string }> = await em.query(
      `WITH ${KpiComputer.PEOPLE}, best AS (
           SELECT DISTINCT ON (q.user_id) q.user_id, q.level
             FROM trainer_qualification q
            WHERE q.granted_on <= $2::date AND (q.expires_on IS NULL OR q.expires_on >= $2::date)
              AND (q.revoked_at IS NULL OR q.revoked_at > $1) AND q.level = ANY($3::text[])
            ORDER BY q.user_id, ${LEVEL_RANK} DESC
         )
         SELECT pu.org_unit_id, b.level, p.source, count(*) AS n
           FROM best b JOIN pu ON pu.user_id = b.user_id LEFT JOIN trainer_profile p ON p.user_id = b.user_id
          GROUP BY pu.org_unit_id, b.level, p.source`,
      [asOfInstant, asOf, levels],
    );
    for (const r of rows) {
      const count = n(r.n);
      acc.up(KpiCode.TotTrainers, r.org_unit_id, '', count, null);
      acc.up(KpiCode.TotTrainers, r.org_unit_id, `level:${r.level}`, count, null);
      acc.up(KpiCode.TotTrainers, r.org_unit_id, `source:${r.source ?? 'unknown'}`, count, null);
    }
  }

  /** OFFICIALS_TRAINED: roster officials (per agency) who completed the course set. */
  private async officials({ em, asOf, asOfInstant, acc }: Ctx, params: KpiParams) {
    const slugs = params.courseSlugs ?? [];
    const ids = await this.courseIds(em, slugs);
    const rows: Array<{ agency_id: string; position: string; n: string; registered: string; trained: string }> =
      await em.query(
        `WITH ${KpiComputer.COMPLETIONS}, ${KpiComputer.DONE}, ${KpiComputer.roster('$4::date')}
         SELECT ro.agency_id, ro.position, count(*) AS n, count(ro.user_id) AS registered, count(done.user_id) AS trained
           FROM ro LEFT JOIN done ON done.user_id = ro.user_id
          GROUP BY ro.agency_id, ro.position`,
        [asOfInstant, ids, slugs.length, asOf],
      );
    for (const r of rows) {
      const details = { registered: n(r.registered) };
      acc.up(KpiCode.OfficialsTrained, r.agency_id, '', n(r.trained), n(r.n), details);
      acc.up(KpiCode.OfficialsTrained, r.agency_id, `position:${r.position}`, n(r.trained), n(r.n), details);
    }
  }

  /**
   * ENTERPRISE_WEEKLY_HOUR: of the enterprises on each park's operating list during the period
   * (the registered enterprises of a park that has no list), those compliant in at least
   * periodShare of the period's weeks that have begun. Frozen weekly snapshots win over live rows.
   */
  private async enterprises({ em, period, asOf, acc }: Ctx, params: KpiParams) {
    const share = params.periodShare ?? 1;
    const weeks = period.weeks.filter((w) => weekRange(w).monday <= asOf);
    const required = Math.max(1, Math.ceil(share * weeks.length - 1e-9));
    const listed: Array<{
      park_id: string;
      tax_code: string;
      name: string;
      enterprise_id: string | null;
      enterprise_park_id: string | null;
      listed: boolean;
    }> = await em.query(
      `SELECT pe.park_id, pe.tax_code, pe.name, e.org_unit_id AS enterprise_id, e.industrial_park_id AS enterprise_park_id, true AS listed
         FROM park_enterprise pe LEFT JOIN enterprise e ON e.tax_code = pe.tax_code
        WHERE (pe.operating_from IS NULL OR pe.operating_from <= $2::date)
          AND coalesce(least(pe.operating_to, pe.delisted_on - 1), $1::date) >= $1::date
       UNION ALL
       SELECT e.industrial_park_id, e.tax_code, o.name, e.org_unit_id, e.industrial_park_id, false
         FROM enterprise e JOIN org_unit o ON o.id = e.org_unit_id
        WHERE NOT EXISTS (SELECT 1 FROM park_enterprise pe WHERE pe.park_id = e.industrial_park_id)
          AND (e.active_from IS NULL OR e.active_from <= $2::date) AND (e.active_to IS NULL OR e.active_to >= $1::date)`,
      [period.startsOn, period.endsOn],
    );
    const compliance: Array<{ enterprise_id: string; compliant_weeks: string; reported_weeks: string }> =
      weeks.length === 0
        ? []
        : await em.query(
            `SELECT enterprise_id, count(*) FILTER (WHERE compliant) AS compliant_weeks, count(*) AS reported_weeks FROM (
               SELECT coalesce(s.enterprise_id, w.enterprise_id) AS enterprise_id, coalesce(s.compliant, w.compliant) AS compliant
                 FROM (SELECT enterprise_id, iso_week, compliant FROM compliance_snapshot WHERE iso_week = ANY($1::text[])) s
                 FULL JOIN (SELECT enterprise_id, iso_week, compliant FROM weekly_enterprise_compliance WHERE iso_week = ANY($1::text[])) w
                   ON w.enterprise_id = s.enterprise_id AND w.iso_week = s.iso_week
             ) x GROUP BY enterprise_id`,
            [weeks],
          );
    const byEnterprise = new Map(compliance.map((c) => [c.enterprise_id, n(c.compliant_weeks)]));
    for (const e of listed) {
      const compliantWeeks = e.enterprise_id ? (byEnterprise.get(e.enterprise_id) ?? 0) : 0;
      const ok = weeks.length > 0 && compliantWeeks >= required ? 1 : 0;
      const registered = e.enterprise_id !== null;
      // A registered enterprise in the park that lists it rolls up through its own unit.
      const leaf = registered && e.enterprise_park_id === e.park_id ? e.enterprise_id : e.park_id;
      acc.up(KpiCode.EnterpriseWeeklyHour, leaf, '', ok, 1, {
        registered: registered ? 1 : 0,
        fromParkList: e.listed ? 1 : 0,
      });
      acc.at(KpiCode.EnterpriseWeeklyHour, e.park_id, `enterprise:${e.tax_code}`, ok, 1, {
        taxCode: e.tax_code,
        name: e.name,
        enterpriseId: e.enterprise_id,
        registered,
        compliantWeeks,
        weeks: weeks.length,
        requiredWeeks: required,
      });
    }
  }

  /**
   * CITIZENS_ONLINE_SERVICES and AI_BASICS: people in the age band (at the snapshot year) with the
   * course set completed, over the population statistic of the unit (its own figure, else the sum
   * of its children's). Coverage: how many people in the band are registered at all.
   */
  private async populationShare({ em, asOf, asOfInstant, units, acc }: Ctx, code: KpiCode, params: KpiParams) {
    const slugs = params.courseSlugs ?? [];
    const ids = await this.courseIds(em, slugs);
    const year = Number(asOf.slice(0, 4));
    const [ageMin, ageMax] = [params.ageMin ?? 15, params.ageMax ?? 60];
    const rows: Array<{ org_unit_id: string | null; registered: string; completed: string; unknown_age: string }> =
      await em.query(
        `WITH ${KpiComputer.PEOPLE}, ${KpiComputer.COMPLETIONS}, ${KpiComputer.DONE}
         SELECT pu.org_unit_id,
                count(*) FILTER (WHERE $4::int - u.birth_year BETWEEN $5::int AND $6::int) AS registered,
                count(done.user_id) FILTER (WHERE $4::int - u.birth_year BETWEEN $5::int AND $6::int) AS completed,
                count(done.user_id) FILTER (WHERE u.birth_year IS NULL) AS unknown_age
           FROM pu JOIN app_user u ON u.id = pu.user_id LEFT JOIN done ON done.user_id = pu.user_id
          GROUP BY pu.org_unit_id`,
        [asOfInstant, ids, slugs.length, year, ageMin, ageMax],
      );
    // Denominators: each unit's latest statistic up to the snapshot year.
    const stats: Array<{ org_unit_id: string; value: number; period: string; source: string; source_date: string }> =
      await em.query(
        `SELECT DISTINCT ON (org_unit_id) org_unit_id, value, period, source, to_char(source_date, 'YYYY-MM-DD') AS source_date
           FROM population_stat WHERE metric = $1 AND period <= $2
          ORDER BY org_unit_id, period DESC`,
        [params.denominatorMetric ?? 'working_age', String(year)],
      );
    const own = new Map(stats.map((s) => [s.org_unit_id, s]));
    const children = new Map<string, string[]>();
    for (const u of units.values()) {
      if (u.parentId) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id]);
    }
    const memo = new Map<string, { value: number; units: number; sources: Set<string>; periods: Set<string> } | null>();
    const denominator = (id: string): ReturnType<typeof memo.get> => {
      if (memo.has(id)) return memo.get(id);
      const s = own.get(id);
      let out: { value: number; units: number; sources: Set<string>; periods: Set<string> } | null = null;
      if (s) {
        out = {
          value: s.value,
          units: 1,
          sources: new Set([`${s.source} (${s.source_date})`]),
          periods: new Set([s.period]),
        };
      } else {
        for (const c of children.get(id) ?? []) {
          const d = denominator(c);
          if (!d) continue;
          out ??= { value: 0, units: 0, sources: new Set(), periods: new Set() };
          out.value += d.value;
          out.units += d.units;
          for (const x of d.sources) out.sources.add(x);
          for (const x of d.periods) out.periods.add(x);
        }
      }
      memo.set(id, out);
      return out;
    };
    for (const r of rows) {
      acc.up(code, r.org_unit_id, '', n(r.completed), null, {
        registered: n(r.registered),
        completedUnknownAge: n(r.unknown_age),
      });
    }
    // Every unit with a denominator gets a row (0 completed is a figure, not "no data").
    for (const u of units.values()) {
      const d = denominator(u.id);
      if (!d) continue;
      acc.at(code, u.id, '', 0, d.value, {
        statUnits: d.units,
        statSources: [...d.sources].slice(0, 5),
        statPeriods: [...d.periods].sort(),
        ageMin,
        ageMax,
      });
    }
  }

  /**
   * Activity by segment: registered, active in the window, learning hours in the period (online
   * time + attended sessions), valid completions and valid certificates. Each person is in one
   * segment: official (on a roster or with the official role) > worker (linked to an active worker
   * record) > student (in a school) > citizen.
   */
  private async activity({ em, period, asOf, asOfInstant, acc }: Ctx, days: number) {
    const rows: Array<{
      org_unit_id: string | null;
      segment: string;
      registered: string;
      active: string;
      online_seconds: string;
      session_minutes: string;
      completions: string;
      certificates: string;
    }> = await em.query(
      `WITH ${KpiComputer.PEOPLE}, ${KpiComputer.roster('$2::date')},
       cert AS (
         SELECT c.holder_id, c.course_id,
                bool_or((c.revoked_at IS NULL OR c.revoked_at > $1) AND (c.valid_until IS NULL OR c.valid_until > $1)) AS valid
           FROM certificate c WHERE c.kind = 'course' AND c.valid_from <= $1 GROUP BY c.holder_id, c.course_id
       ),
       comp AS (
         SELECT e.user_id, count(*) AS n
           FROM enrollment e LEFT JOIN cert ON cert.holder_id = e.user_id AND cert.course_id = e.course_id
          WHERE e.completed_at IS NOT NULL AND e.completed_at <= $1 AND coalesce(cert.valid, true)
          GROUP BY e.user_id
       ),
       certs AS (
         SELECT holder_id AS user_id, count(*) AS n FROM certificate
          WHERE valid_from <= $1 AND (revoked_at IS NULL OR revoked_at > $1) AND (valid_until IS NULL OR valid_until > $1)
          GROUP BY holder_id
       ),
       online AS (
         SELECT user_id, sum(seconds) FILTER (WHERE local_date >= $4::date) AS period_seconds,
                bool_or(local_date >= $3::date AND seconds > 0) AS active
           FROM learning_minutes_daily WHERE local_date BETWEEN LEAST($3::date, $4::date) AND $2::date
          GROUP BY user_id
       ),
       sessions AS (
         SELECT user_id, sum(minutes) FILTER (WHERE local_date >= $4::date) AS period_minutes,
                bool_or(local_date >= $3::date) AS active
           FROM cohort_attendance WHERE status <> 'absent' AND local_date BETWEEN LEAST($3::date, $4::date) AND $2::date
          GROUP BY user_id
       ),
       workers AS (
         SELECT DISTINCT user_id FROM worker
          WHERE user_id IS NOT NULL AND (active_from IS NULL OR active_from <= $2::date) AND (active_to IS NULL OR active_to >= $2::date)
       ),
       officials AS (SELECT DISTINCT user_id FROM ro WHERE user_id IS NOT NULL),
       seg AS (
         SELECT pu.user_id, pu.org_unit_id,
                CASE WHEN off.user_id IS NOT NULL OR 'official' = ANY(u.roles) THEN 'official'
                     WHEN w.user_id IS NOT NULL THEN 'worker'
                     WHEN o.kind = 'school' THEN 'student'
                     ELSE 'citizen' END AS segment
           FROM pu JOIN app_user u ON u.id = pu.user_id
           LEFT JOIN org_unit o ON o.id = pu.org_unit_id
           LEFT JOIN officials off ON off.user_id = pu.user_id
           LEFT JOIN workers w ON w.user_id = pu.user_id
       )
       SELECT seg.org_unit_id, seg.segment, count(*) AS registered,
              count(*) FILTER (WHERE coalesce(online.active, false) OR coalesce(sessions.active, false)) AS active,
              coalesce(sum(online.period_seconds), 0) AS online_seconds,
              coalesce(sum(sessions.period_minutes), 0) AS session_minutes,
              coalesce(sum(comp.n), 0) AS completions, coalesce(sum(certs.n), 0) AS certificates
         FROM seg
         LEFT JOIN online ON online.user_id = seg.user_id
         LEFT JOIN sessions ON sessions.user_id = seg.user_id
         LEFT JOIN comp ON comp.user_id = seg.user_id
         LEFT JOIN certs ON certs.user_id = seg.user_id
        GROUP BY seg.org_unit_id, seg.segment`,
      [asOfInstant, asOf, addDays(asOf, -(days - 1)), period.startsOn],
    );
    for (const r of rows) {
      const hours = Math.round(((n(r.online_seconds) + n(r.session_minutes) * 60) / 3600) * 100) / 100;
      const figures: Array<[KpiCode, number, Record<string, unknown>?]> = [
        [KpiCode.LearnersRegistered, n(r.registered)],
        [KpiCode.LearnersActive30d, n(r.active)],
        [
          KpiCode.LearningHours,
          hours,
          {
            onlineHours: Math.round((n(r.online_seconds) / 3600) * 100) / 100,
            sessionHours: Math.round((n(r.session_minutes) / 60) * 100) / 100,
          },
        ],
        [KpiCode.Completions, n(r.completions)],
        [KpiCode.Certificates, n(r.certificates)],
      ];
      for (const [code, value, details] of figures) {
        acc.up(code, r.org_unit_id, '', value, null, details);
        acc.up(code, r.org_unit_id, `segment:${r.segment}`, value, null, details);
      }
    }
  }
}

interface Ctx {
  em: EntityManager;
  period: Period;
  asOf: string;
  asOfInstant: Date;
  units: Map<string, Unit>;
  acc: Accumulator;
}
