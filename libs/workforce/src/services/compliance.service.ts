import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Actor } from '@hocso/common';
import { decodeCursor, encodeCursor, type Page } from '@hocso/database';
import { addBulkWithin, JobName, QueueName, QueueService } from '@hocso/queue';
import type { JobsOptions } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import {
  type ComplianceAuditNote,
  ComplianceWeekEntity,
  ComplianceWeekStatus,
} from '../entities/compliance-week.entity';
import { WeeklyEnterpriseComplianceEntity } from '../entities/weekly-enterprise-compliance.entity';
import { type ComplianceRule } from '../entities/workforce-settings.entity';
import { addWeeks, isIsoWeek, isLocalDate, isoWeekOf, localDateOf, weekRange, weeksBetween } from '../time/iso-week';
import { WorkforceException, WorkforceExceptionCode } from '../workforce.exception';
import { WORKER_EXTRA_MINUTES, type WorkerExtraMinutesSource } from './extra-minutes';
import { WorkforceAccess } from './workforce-access.service';
import { WorkforceClock } from './workforce-clock';
import { type WorkforceSettingsInput, WorkforceSettingsService } from './workforce-settings.service';

/** A worker is covered in a week with at least this many minutes (the province's "1 hour"). */
export const WEEKLY_MINUTES_TARGET = 60;
/** Park and province target: more than this share of active enterprises compliant. */
export const ENTERPRISE_SHARE_TARGET = 0.8;
const MAX_ROUNDS = 5;
const MAX_TREND_WEEKS = 53;

export interface EnterpriseWeekResult {
  enterpriseId: string;
  activeWorkers: number;
  coveredWorkers: number;
  coverage: number | null;
  compliant: boolean;
  dirty: boolean;
}

export interface ShortWorker {
  workerCode: string;
  displayName: string | null;
  minutes: number;
  reportedMinutes: number;
  extraMinutes: number;
}

export interface EnterpriseComplianceView {
  enterpriseId: string;
  isoWeek: string;
  row: WeeklyEnterpriseComplianceEntity;
  week: ComplianceWeekEntity | null;
  shortWorkers: Page<ShortWorker>;
}

export interface EnterpriseWeekLine {
  enterpriseId: string;
  name: string;
  taxCode: string;
  industrialParkId: string;
  activeWorkers: number;
  coveredWorkers: number;
  coverage: number | null;
  compliant: boolean;
  upToDate: boolean;
}

export interface ParkWeekSummary {
  industrialParkId: string;
  name: string;
  isoWeek: string;
  activeEnterprises: number;
  compliantEnterprises: number;
  share: number | null;
  targetMet: boolean;
}

/**
 * The job id of an enterprise-week rollup: `enterpriseId@YYYY-Www@seq` (BullMQ refuses ':' in
 * custom ids). Triggers of one change share the sequence number and are deduplicated; a change that
 * arrives while a rollup is already running gets a new number, so it is never swallowed by the
 * running job's id (a job whose sequence is already computed returns at once).
 */
export function complianceJobId(enterpriseId: string, isoWeek: string, seq: number | string): string {
  return `${enterpriseId}@${isoWeek}@${seq}`;
}

export const COMPLIANCE_JOB_OPTIONS: JobsOptions = {
  // Removed when done, so a later change can queue the same enterprise-week again at once.
  removeOnComplete: true,
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

/** Current ISO week in Asia/Ho_Chi_Minh. */
export function currentIsoWeek(now = new Date()): string {
  return isoWeekOf(localDateOf(now));
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * Weekly compliance (CONTEXT.md §7.4, KPI 4). For an enterprise e and ISO week w:
 *  - minutes(k) = Σ over local days of min(reported session minutes + extra minutes of k's linked
 *    account, daily cap); k is covered when minutes(k) ≥ 60;
 *  - coverage = covered ÷ active workers; the worker rule is met when coverage ≥ θ; the session
 *    rule when some reported session of ≥ 60 minutes had an attendee; `compliant` follows the rule
 *    the province chose.
 * Recomputes are full (not incremental sums) and serialised per enterprise-week by an advisory
 * lock, so at-least-once jobs, two workers or a retried job always end at the same numbers.
 */
@Injectable()
export class ComplianceService {
  private readonly logger = new Logger(ComplianceService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: WorkforceSettingsService,
    private readonly access: WorkforceAccess,
    private readonly queues: QueueService,
    @Inject(WORKER_EXTRA_MINUTES) private readonly extraMinutes: WorkerExtraMinutesSource,
    private readonly clock: WorkforceClock,
  ) {}

  /** The current ISO week (Asia/Ho_Chi_Minh) by the workforce clock. */
  currentWeek(): string {
    return currentIsoWeek(this.clock.now());
  }

  // ------------------------------------------------------------------------------------------
  // Triggers
  // ------------------------------------------------------------------------------------------

  /**
   * Marks enterprise-weeks as changed (bumps `requested_seq`, creating the row when missing). Call
   * inside the transaction that commits the change, or right after it; then `enqueue`.
   */
  async markDirty(em: EntityManager, pairs: Array<{ enterpriseId: string; isoWeek: string }>): Promise<void> {
    if (pairs.length === 0) return;
    const sorted = uniquePairs(pairs);
    const s = await this.settings.get(em);
    await em.query(
      `INSERT INTO weekly_enterprise_compliance AS c (enterprise_id, iso_week, industrial_park_id, rule, threshold)
       SELECT e.org_unit_id, p.iso_week, e.industrial_park_id, $3, $4
       FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS p(enterprise_id, iso_week, n)
       JOIN enterprise e ON e.org_unit_id = p.enterprise_id
       ORDER BY p.n
       ON CONFLICT (enterprise_id, iso_week) DO UPDATE SET requested_seq = c.requested_seq + 1`,
      [sorted.map((p) => p.enterpriseId), sorted.map((p) => p.isoWeek), s.complianceRule, s.coverageThreshold],
    );
  }

  /** Queues the rollup of each dirty enterprise-week (deduplicated by job id); the sweeper covers failures. */
  async enqueue(pairs: Array<{ enterpriseId: string; isoWeek: string }>): Promise<boolean> {
    const unique = uniquePairs(pairs);
    if (unique.length === 0) return true;
    const dirty: Array<{ enterprise_id: string; iso_week: string; requested_seq: string }> = await this.ds.query(
      `SELECT c.enterprise_id, c.iso_week, c.requested_seq
       FROM unnest($1::uuid[], $2::text[]) AS p(enterprise_id, iso_week)
       JOIN weekly_enterprise_compliance c ON c.enterprise_id = p.enterprise_id AND c.iso_week = p.iso_week
       WHERE c.requested_seq > c.computed_seq`,
      [unique.map((p) => p.enterpriseId), unique.map((p) => p.isoWeek)],
    );
    return addBulkWithin(
      this.queues,
      QueueName.Compliance,
      JobName.RecomputeCompliance,
      dirty.map((d) => ({
        data: { enterpriseId: d.enterprise_id, isoWeek: d.iso_week, seq: Number(d.requested_seq) },
        opts: { ...COMPLIANCE_JOB_OPTIONS, jobId: complianceJobId(d.enterprise_id, d.iso_week, d.requested_seq) },
      })),
    );
  }

  /**
   * A user's minutes changed outside workforce (Hocso learning, cohort attendance): recompute the
   * weeks of the given local dates for every enterprise where the user is a linked worker. The
   * Learning library calls this (or adds a WorkerMinutesChanged job) after its write commits.
   */
  async recomputeForUser(userId: string, localDates: string[]): Promise<{ queued: number }> {
    const weeks = [...new Set(localDates.filter(isLocalDate).map(isoWeekOf))];
    if (weeks.length === 0) return { queued: 0 };
    const rows: Array<{ enterprise_id: string }> = await this.ds.query(
      `SELECT DISTINCT enterprise_id FROM worker WHERE user_id = $1`,
      [userId],
    );
    const pairs = rows.flatMap((r) => weeks.map((isoWeek) => ({ enterpriseId: r.enterprise_id, isoWeek })));
    if (pairs.length === 0) return { queued: 0 };
    await this.ds.transaction((em) => this.markDirty(em, pairs));
    await this.enqueue(pairs);
    return { queued: pairs.length };
  }

  /** Re-queues dirty enterprise-weeks (their job failed to be added, or was deduplicated away). */
  async sweep(limit = 5000): Promise<{ requeued: number }> {
    const rows: Array<{ enterprise_id: string; iso_week: string; requested_seq: string }> = await this.ds.query(
      `SELECT enterprise_id, iso_week, requested_seq FROM weekly_enterprise_compliance
       WHERE requested_seq > computed_seq LIMIT $1`,
      [limit],
    );
    await addBulkWithin(
      this.queues,
      QueueName.Compliance,
      JobName.RecomputeCompliance,
      rows.map((d) => ({
        data: { enterpriseId: d.enterprise_id, isoWeek: d.iso_week, seq: Number(d.requested_seq) },
        opts: { ...COMPLIANCE_JOB_OPTIONS, jobId: complianceJobId(d.enterprise_id, d.iso_week, d.requested_seq) },
      })),
    );
    return { requeued: rows.length };
  }

  /**
   * Changes the province's settings (province admins); when the rule, θ or the daily cap change,
   * every enterprise-week of the reporting window is recomputed with them.
   */
  async updateSettings(actor: Actor, input: WorkforceSettingsInput) {
    const { before, after } = await this.settings.update(actor, input);
    const affects =
      before.complianceRule !== after.complianceRule ||
      before.coverageThreshold !== after.coverageThreshold ||
      before.dailyCapMinutes !== after.dailyCapMinutes;
    if (affects) {
      const now = this.currentWeek();
      const weeks = weeksBetween(addWeeks(now, -after.reportWindowWeeks), now);
      await this.ds.query(
        `UPDATE weekly_enterprise_compliance SET requested_seq = requested_seq + 1 WHERE iso_week = ANY($1::text[])`,
        [weeks],
      );
      await this.sweep();
    }
    return after;
  }

  // ------------------------------------------------------------------------------------------
  // Computation
  // ------------------------------------------------------------------------------------------

  /** The job: recompute until the enterprise-week is no longer dirty (bounded). */
  async recomputeEnterpriseWeek(enterpriseId: string, isoWeek: string, seq?: number) {
    if (!isIsoWeek(isoWeek)) throw new WorkforceException(WorkforceExceptionCode.WEEK_INVALID);
    if (seq !== undefined) {
      const [done] = await this.ds.query(
        `SELECT active_workers, covered_workers, compliant FROM weekly_enterprise_compliance
         WHERE enterprise_id = $1 AND iso_week = $2 AND computed_seq >= $3`,
        [enterpriseId, isoWeek, seq],
      );
      // Already computed by an earlier (or concurrent) job: nothing to do.
      if (done)
        return {
          rounds: 0,
          activeWorkers: done.active_workers,
          coveredWorkers: done.covered_workers,
          compliant: done.compliant,
        };
    }
    let rounds = 0;
    let result: EnterpriseWeekResult | undefined;
    do {
      rounds++;
      result = (await this.recomputeMany([enterpriseId], isoWeek))[0];
    } while (result?.dirty && rounds < MAX_ROUNDS);
    return {
      rounds,
      activeWorkers: result?.activeWorkers ?? 0,
      coveredWorkers: result?.coveredWorkers ?? 0,
      compliant: result?.compliant ?? false,
    };
  }

  /**
   * One set-based recompute of many enterprises for one week, in one transaction: per-worker
   * minutes (reported + extra, capped per day), then the enterprise rows. Used by the per-job
   * path (one enterprise) and by the weekly close (all active enterprises, in chunks).
   */
  async recomputeMany(enterpriseIds: string[], isoWeek: string): Promise<EnterpriseWeekResult[]> {
    const ids = [...new Set(enterpriseIds)].sort();
    if (ids.length === 0) return [];
    const { monday, sunday } = weekRange(isoWeek);
    const s = await this.settings.get();
    // Learning and attendance minutes of the linked workers come from other modules' sources, which
    // read through the pool — so before the transaction: embedded PGlite has one connection, which
    // the transaction holds (a read through a second one waited for ever). A change to those minutes
    // queues its own recompute (requested_seq), so reading them just before the lock loses nothing.
    const linked: Array<{ user_id: string }> = await this.ds.query(
      `SELECT DISTINCT user_id FROM worker
       WHERE enterprise_id = ANY($1::uuid[]) AND user_id IS NOT NULL
         AND (active_from IS NULL OR active_from <= $3::date) AND (active_to IS NULL OR active_to >= $2::date)`,
      [ids, monday, sunday],
    );
    const extra = await this.extraFor(
      linked.map((l) => l.user_id),
      monday,
      sunday,
    );
    return this.ds.transaction(async (em) => {
      // Set-based joins over a few hundred to a few hundred thousand rows: hash joins, always. With
      // fresh (not yet analysed) session rows the planner otherwise nests loops over CTE scans.
      await em.query(`SET LOCAL enable_nestloop = off`);
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k ORDER BY k`, [
        ids.map((id) => `wf:${id}:${isoWeek}`),
      ]);
      await em.query(
        `INSERT INTO weekly_enterprise_compliance (enterprise_id, iso_week, industrial_park_id, rule, threshold)
         SELECT org_unit_id, $2, industrial_park_id, $3, $4 FROM enterprise
         WHERE org_unit_id = ANY($1::uuid[]) ORDER BY org_unit_id
         ON CONFLICT DO NOTHING`,
        [ids, isoWeek, s.complianceRule, s.coverageThreshold],
      );
      const seqs: Array<{ enterprise_id: string; requested_seq: string }> = await em.query(
        `SELECT enterprise_id, requested_seq FROM weekly_enterprise_compliance
         WHERE enterprise_id = ANY($1::uuid[]) AND iso_week = $2`,
        [ids, isoWeek],
      );
      // Upserted, not deleted and re-inserted: a recompute of unchanged data (the weekly close after
      // the per-report jobs, a re-sent report) then writes nothing — no dead rows, no index churn.
      // Only the rows of workers no longer active this week go.
      await em.query(
        `DELETE FROM weekly_worker_minutes m
         WHERE m.enterprise_id = ANY($1::uuid[]) AND m.iso_week = $2
           AND NOT EXISTS (
             SELECT 1 FROM worker w
             WHERE w.id = m.worker_id AND w.enterprise_id = m.enterprise_id AND w.enterprise_id = ANY($1::uuid[])
               AND (w.active_from IS NULL OR w.active_from <= $4::date)
               AND (w.active_to IS NULL OR w.active_to >= $3::date))`,
        [ids, isoWeek, monday, sunday],
      );
      await em.query(
        `WITH active AS (
           SELECT w.id, w.enterprise_id, w.user_id FROM worker w
           WHERE w.enterprise_id = ANY($1::uuid[])
             AND (w.active_from IS NULL OR w.active_from <= $4::date)
             AND (w.active_to IS NULL OR w.active_to >= $3::date)
         ), reported AS (
           SELECT s.worker_id, s.local_date, sum(s.minutes)::int AS reported, 0 AS extra
           FROM training_session s
           WHERE s.enterprise_id = ANY($1::uuid[]) AND s.local_date BETWEEN $3::date AND $4::date
           GROUP BY 1, 2
         ), extra AS (
           SELECT a.id AS worker_id, x.local_date, 0 AS reported, sum(x.minutes)::int AS extra
           FROM unnest($5::uuid[], $6::date[], $7::int[]) AS x(user_id, local_date, minutes)
           JOIN active a ON a.user_id = x.user_id
           GROUP BY 1, 2
         ), daily AS (
           -- the daily cap applies to all sources of one local day together
           SELECT worker_id, local_date, sum(reported)::int AS reported, sum(extra)::int AS extra,
                  least(sum(reported) + sum(extra), $8::int)::int AS counted
           FROM (SELECT * FROM reported UNION ALL SELECT * FROM extra) u
           GROUP BY 1, 2
         )
         INSERT INTO weekly_worker_minutes
           (enterprise_id, iso_week, worker_id, reported_minutes, extra_minutes, minutes, covered)
         SELECT a.enterprise_id, $2, a.id,
                coalesce(sum(d.reported), 0), coalesce(sum(d.extra), 0), coalesce(sum(d.counted), 0),
                coalesce(sum(d.counted), 0) >= $9::int
         FROM active a LEFT JOIN daily d ON d.worker_id = a.id
         GROUP BY a.enterprise_id, a.id
         ON CONFLICT (enterprise_id, iso_week, worker_id) DO UPDATE SET
           reported_minutes = EXCLUDED.reported_minutes, extra_minutes = EXCLUDED.extra_minutes,
           minutes = EXCLUDED.minutes, covered = EXCLUDED.covered
         WHERE (weekly_worker_minutes.reported_minutes, weekly_worker_minutes.extra_minutes,
                weekly_worker_minutes.minutes, weekly_worker_minutes.covered)
               IS DISTINCT FROM (EXCLUDED.reported_minutes, EXCLUDED.extra_minutes, EXCLUDED.minutes, EXCLUDED.covered)`,
        [
          ids,
          isoWeek,
          monday,
          sunday,
          extra.userIds,
          extra.dates,
          extra.minutes,
          s.dailyCapMinutes,
          WEEKLY_MINUTES_TARGET,
        ],
      );
      const seqById = new Map(seqs.map((r) => [r.enterprise_id, r.requested_seq]));
      const rows: Array<{
        enterprise_id: string;
        active_workers: number;
        covered_workers: number;
        coverage: string | null;
        compliant: boolean;
        requested_seq: string;
        computed_seq: string;
      }> = await em.query(
        `WITH seq AS (
           SELECT * FROM unnest($1::uuid[], $5::bigint[]) AS t(enterprise_id, seq)
         ), m AS (
           SELECT enterprise_id, count(*)::int AS active, (count(*) FILTER (WHERE covered))::int AS covered
           FROM weekly_worker_minutes WHERE enterprise_id = ANY($1::uuid[]) AND iso_week = $2
           GROUP BY 1
         ), l AS (
           SELECT s.enterprise_id, max(s.minutes)::int AS longest
           FROM training_session s JOIN worker w ON w.id = s.worker_id
           -- w.enterprise_id repeats what holds anyway (a session's worker is on its enterprise's
           -- roster): with nested loops off it lets the hash side read those enterprises' workers
           -- by index instead of the whole worker table on every job
           WHERE s.enterprise_id = ANY($1::uuid[]) AND w.enterprise_id = ANY($1::uuid[])
             AND s.local_date BETWEEN $3::date AND $4::date
             AND (w.active_from IS NULL OR w.active_from <= $4::date)
             AND (w.active_to IS NULL OR w.active_to >= $3::date)
           GROUP BY 1
         ), v AS (
           SELECT e.org_unit_id AS enterprise_id, e.industrial_park_id, coalesce(m.active, 0) AS active,
                  coalesce(m.covered, 0) AS covered, coalesce(l.longest, 0) AS longest, seq.seq
           FROM enterprise e JOIN seq ON seq.enterprise_id = e.org_unit_id
           LEFT JOIN m ON m.enterprise_id = e.org_unit_id LEFT JOIN l ON l.enterprise_id = e.org_unit_id
         )
         INSERT INTO weekly_enterprise_compliance AS c
           (enterprise_id, iso_week, industrial_park_id, active_workers, covered_workers, coverage,
            longest_session_minutes, worker_rule_met, session_rule_met, compliant, rule, threshold,
            requested_seq, computed_seq, computed_at)
         SELECT enterprise_id, $2, industrial_park_id, active, covered,
                CASE WHEN active > 0 THEN round(covered::numeric / active, 5) END,
                longest,
                active > 0 AND covered::numeric / active >= $6,
                longest >= $8,
                CASE WHEN $7 = 'weekly_session' THEN longest >= $8 ELSE active > 0 AND covered::numeric / active >= $6 END,
                $7, $6, seq, seq, now()
         FROM v ORDER BY enterprise_id
         ON CONFLICT (enterprise_id, iso_week) DO UPDATE SET
           industrial_park_id = EXCLUDED.industrial_park_id,
           active_workers = EXCLUDED.active_workers,
           covered_workers = EXCLUDED.covered_workers,
           coverage = EXCLUDED.coverage,
           longest_session_minutes = EXCLUDED.longest_session_minutes,
           worker_rule_met = EXCLUDED.worker_rule_met,
           session_rule_met = EXCLUDED.session_rule_met,
           compliant = EXCLUDED.compliant,
           rule = EXCLUDED.rule,
           threshold = EXCLUDED.threshold,
           computed_seq = EXCLUDED.computed_seq,
           computed_at = EXCLUDED.computed_at
         RETURNING enterprise_id, active_workers, covered_workers, coverage, compliant, requested_seq, computed_seq`,
        [
          ids,
          isoWeek,
          monday,
          sunday,
          ids.map((id) => seqById.get(id) ?? '0'),
          s.coverageThreshold,
          s.complianceRule,
          WEEKLY_MINUTES_TARGET,
        ],
      );
      const results = rows.map((r) => ({
        enterpriseId: r.enterprise_id,
        activeWorkers: r.active_workers,
        coveredWorkers: r.covered_workers,
        coverage: num(r.coverage),
        compliant: r.compliant,
        dirty: BigInt(r.requested_seq) > BigInt(r.computed_seq),
      }));
      await this.noteLateChanges(em, isoWeek, results);
      return results;
    });
  }

  private async extraFor(userIds: string[], monday: string, sunday: string) {
    const out = { userIds: [] as string[], dates: [] as string[], minutes: [] as number[] };
    if (userIds.length === 0) return out;
    const rows = await this.extraMinutes.minutesFor(userIds, monday, sunday);
    const wanted = new Set(userIds);
    for (const r of rows) {
      if (!wanted.has(r.userId) || !isLocalDate(r.localDate) || r.localDate < monday || r.localDate > sunday) continue;
      const minutes = Math.floor(Number(r.minutes));
      if (!Number.isFinite(minutes) || minutes <= 0) continue;
      out.userIds.push(r.userId);
      out.dates.push(r.localDate);
      out.minutes.push(Math.min(minutes, 1440));
    }
    return out;
  }

  /** A recompute of a closed week that changes an enterprise's figures reopens the week, with a note. */
  private async noteLateChanges(em: EntityManager, isoWeek: string, results: EnterpriseWeekResult[]) {
    const week = await em.findOne(ComplianceWeekEntity, { where: { isoWeek }, lock: { mode: 'pessimistic_write' } });
    if (!week) return;
    const frozen: Array<{
      enterprise_id: string;
      compliant: boolean;
      coverage: string | null;
      active_workers: number;
    }> = await em.query(
      `SELECT enterprise_id, compliant, coverage, active_workers FROM compliance_snapshot
         WHERE iso_week = $1 AND enterprise_id = ANY($2::uuid[])`,
      [isoWeek, results.map((r) => r.enterpriseId)],
    );
    const byId = new Map(frozen.map((f) => [f.enterprise_id, f]));
    const notes: ComplianceAuditNote[] = [];
    const at = new Date().toISOString();
    for (const r of results) {
      const f = byId.get(r.enterpriseId);
      const before = f ? { compliant: f.compliant, coverage: num(f.coverage) } : undefined;
      if (f && f.compliant === r.compliant && num(f.coverage) === r.coverage) continue;
      if (!f && r.activeWorkers === 0) continue;
      notes.push({
        at,
        event: 'reopened',
        enterpriseId: r.enterpriseId,
        before,
        after: { compliant: r.compliant, coverage: r.coverage },
      });
    }
    if (notes.length === 0) return;
    await em.query(
      `UPDATE compliance_week SET status = $2, reopened_at = now(), audit = audit || $3::jsonb WHERE iso_week = $1`,
      [isoWeek, ComplianceWeekStatus.Reopened, JSON.stringify(notes)],
    );
  }

  /** Makes sure each enterprise-week has a computed row (computing the missing ones now). */
  async ensureComputed(enterpriseIds: string[], isoWeek: string): Promise<void> {
    if (enterpriseIds.length === 0) return;
    const rows: Array<{ enterprise_id: string }> = await this.ds.query(
      `SELECT enterprise_id FROM weekly_enterprise_compliance
       WHERE enterprise_id = ANY($1::uuid[]) AND iso_week = $2 AND computed_at IS NOT NULL`,
      [enterpriseIds, isoWeek],
    );
    const have = new Set(rows.map((r) => r.enterprise_id));
    const missing = enterpriseIds.filter((id) => !have.has(id));
    for (let i = 0; i < missing.length; i += 200) await this.recomputeMany(missing.slice(i, i + 200), isoWeek);
  }

  // ------------------------------------------------------------------------------------------
  // Reads
  // ------------------------------------------------------------------------------------------

  parseWeek(week: string | undefined, field = 'week'): string {
    const w = week ?? this.currentWeek();
    if (!isIsoWeek(w)) throw new WorkforceException(WorkforceExceptionCode.WEEK_INVALID, { field });
    return w;
  }

  parseRange(from: string | undefined, to: string | undefined): string[] {
    const end = this.parseWeek(to, 'to');
    const start = from === undefined ? addWeeks(end, -7) : this.parseWeek(from, 'from');
    const weeks = weeksBetween(start, end);
    if (weeks.length === 0 || weeks.length > MAX_TREND_WEEKS) {
      throw new WorkforceException(WorkforceExceptionCode.WEEK_RANGE_INVALID, { field: 'from' });
    }
    return weeks;
  }

  async enterpriseWeek(
    actor: Actor,
    enterpriseId: string,
    query: { week?: string; cursor?: string; limit: number },
  ): Promise<EnterpriseComplianceView> {
    await this.access.enterprise(actor, enterpriseId, 'read');
    const isoWeek = this.parseWeek(query.week);
    await this.ensureComputed([enterpriseId], isoWeek);
    const row = await this.ds.manager.findOneByOrFail(WeeklyEnterpriseComplianceEntity, { enterpriseId, isoWeek });
    const week = await this.ds.manager.findOneBy(ComplianceWeekEntity, { isoWeek });
    const shortWorkers = await this.workers(enterpriseId, isoWeek, { ...query, onlyShort: true });
    return { enterpriseId, isoWeek, row, week, shortWorkers };
  }

  /** Workers of an enterprise-week by minutes ascending (keyset pages). */
  async workers(
    enterpriseId: string,
    isoWeek: string,
    query: { cursor?: string; limit: number; onlyShort: boolean },
  ): Promise<Page<ShortWorker>> {
    const params: unknown[] = [enterpriseId, isoWeek, query.limit + 1];
    let after = '';
    if (query.cursor) {
      const c = decodeCursor(query.cursor);
      params.push(Number(c.v), c.id);
      after = `AND (m.minutes, w.worker_code) > ($4::int, $5::text)`;
    }
    const rows: Array<{
      worker_code: string;
      display_name: string | null;
      minutes: number;
      reported_minutes: number;
      extra_minutes: number;
    }> = await this.ds.query(
      `SELECT w.worker_code, w.display_name, m.minutes, m.reported_minutes, m.extra_minutes
       FROM weekly_worker_minutes m JOIN worker w ON w.id = m.worker_id
       WHERE m.enterprise_id = $1 AND m.iso_week = $2 ${query.onlyShort ? 'AND NOT m.covered' : ''} ${after}
       ORDER BY m.minutes, w.worker_code LIMIT $3`,
      params,
    );
    const items = rows.slice(0, query.limit).map((r) => ({
      workerCode: r.worker_code,
      displayName: r.display_name,
      minutes: r.minutes,
      reportedMinutes: r.reported_minutes,
      extraMinutes: r.extra_minutes,
    }));
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > query.limit && last ? encodeCursor({ v: last.minutes, id: last.workerCode }) : null,
    };
  }

  /** Every active worker of an enterprise-week (CSV export). */
  async allWorkers(actor: Actor, enterpriseId: string, week: string | undefined) {
    const view = await this.enterpriseWeek(actor, enterpriseId, { week, limit: 1 });
    const workers: ShortWorker[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.workers(enterpriseId, view.isoWeek, { cursor, limit: 5000, onlyShort: false });
      workers.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { view, workers };
  }

  async enterpriseTrend(actor: Actor, enterpriseId: string, from?: string, to?: string) {
    await this.access.enterprise(actor, enterpriseId, 'read');
    const weeks = this.parseRange(from, to);
    const current = this.currentWeek();
    for (const w of weeks) if (w <= current) await this.ensureComputed([enterpriseId], w);
    const rows = await this.ds.manager.find(WeeklyEnterpriseComplianceEntity, {
      where: weeks.map((isoWeek) => ({ enterpriseId, isoWeek })),
    });
    const byWeek = new Map(rows.map((r) => [r.isoWeek, r]));
    return weeks.map((isoWeek) => ({ isoWeek, row: byWeek.get(isoWeek) ?? null }));
  }

  /** Active enterprises of some parks in a week, with their (computed) figures. */
  private async enterpriseLines(parkIds: string[], isoWeek: string): Promise<EnterpriseWeekLine[]> {
    const { monday, sunday } = weekRange(isoWeek);
    const active: Array<{ org_unit_id: string }> = await this.ds.query(
      `SELECT org_unit_id FROM enterprise
       WHERE industrial_park_id = ANY($1::uuid[])
         AND (active_from IS NULL OR active_from <= $3::date) AND (active_to IS NULL OR active_to >= $2::date)`,
      [parkIds, monday, sunday],
    );
    const ids = active.map((a) => a.org_unit_id);
    if (isoWeek <= this.currentWeek()) await this.ensureComputed(ids, isoWeek);
    const rows: Array<{
      enterprise_id: string;
      name: string;
      tax_code: string;
      industrial_park_id: string;
      active_workers: number | null;
      covered_workers: number | null;
      coverage: string | null;
      compliant: boolean | null;
      dirty: boolean | null;
    }> = await this.ds.query(
      `SELECT e.org_unit_id AS enterprise_id, o.name, e.tax_code, e.industrial_park_id,
              c.active_workers, c.covered_workers, c.coverage, c.compliant,
              c.requested_seq > c.computed_seq AS dirty
       FROM enterprise e
       JOIN org_unit o ON o.id = e.org_unit_id
       LEFT JOIN weekly_enterprise_compliance c ON c.enterprise_id = e.org_unit_id AND c.iso_week = $2
       WHERE e.org_unit_id = ANY($1::uuid[])
       ORDER BY o.name, e.tax_code`,
      [ids, isoWeek],
    );
    return rows.map((r) => ({
      enterpriseId: r.enterprise_id,
      name: r.name,
      taxCode: r.tax_code,
      industrialParkId: r.industrial_park_id,
      activeWorkers: r.active_workers ?? 0,
      coveredWorkers: r.covered_workers ?? 0,
      coverage: num(r.coverage),
      compliant: r.compliant ?? false,
      upToDate: r.dirty === false,
    }));
  }

  async parkWeek(actor: Actor, parkId: string, week?: string) {
    const { unit } = await this.access.park(actor, parkId);
    const isoWeek = this.parseWeek(week);
    const enterprises = await this.enterpriseLines([parkId], isoWeek);
    return {
      summary: summarise(parkId, unit.name, isoWeek, enterprises),
      enterprises,
      week: await this.ds.manager.findOneBy(ComplianceWeekEntity, { isoWeek }),
    };
  }

  async parkTrend(actor: Actor, parkId: string, from?: string, to?: string): Promise<ParkWeekSummary[]> {
    const { unit } = await this.access.park(actor, parkId);
    const weeks = this.parseRange(from, to);
    const out: ParkWeekSummary[] = [];
    for (const w of weeks) out.push(summarise(parkId, unit.name, w, await this.enterpriseLines([parkId], w)));
    return out;
  }

  private async parksInScope(actor: Actor): Promise<Array<{ id: string; name: string }>> {
    const scope = this.access.adminScope(actor);
    return this.ds.query(
      `SELECT o.id, o.name FROM industrial_park p JOIN org_unit o ON o.id = p.org_unit_id
       WHERE o.path LIKE $1 ORDER BY o.name`,
      [`${scope}%`],
    );
  }

  async provinceWeek(actor: Actor, week?: string) {
    const parks = await this.parksInScope(actor);
    const isoWeek = this.parseWeek(week);
    const lines = await this.enterpriseLines(
      parks.map((p) => p.id),
      isoWeek,
    );
    const perPark = parks.map((p) =>
      summarise(
        p.id,
        p.name,
        isoWeek,
        lines.filter((l) => l.industrialParkId === p.id),
      ),
    );
    return {
      total: summarise(null, null, isoWeek, lines),
      parks: perPark,
      week: await this.ds.manager.findOneBy(ComplianceWeekEntity, { isoWeek }),
    };
  }

  async provinceTrend(actor: Actor, from?: string, to?: string) {
    const parks = await this.parksInScope(actor);
    const weeks = this.parseRange(from, to);
    const out: ParkWeekSummary[] = [];
    for (const w of weeks) {
      out.push(
        summarise(
          null,
          null,
          w,
          await this.enterpriseLines(
            parks.map((p) => p.id),
            w,
          ),
        ),
      );
    }
    return out;
  }
}

function summarise(
  parkId: string | null,
  name: string | null,
  isoWeek: string,
  lines: EnterpriseWeekLine[],
): ParkWeekSummary {
  const compliant = lines.filter((l) => l.compliant).length;
  const share = lines.length > 0 ? Math.round((compliant / lines.length) * 100000) / 100000 : null;
  return {
    industrialParkId: parkId as string,
    name: name as string,
    isoWeek,
    activeEnterprises: lines.length,
    compliantEnterprises: compliant,
    share,
    targetMet: share !== null && share > ENTERPRISE_SHARE_TARGET,
  };
}

function uniquePairs(pairs: Array<{ enterpriseId: string; isoWeek: string }>) {
  const seen = new Map<string, { enterpriseId: string; isoWeek: string }>();
  for (const p of pairs) seen.set(`${p.enterpriseId}|${p.isoWeek}`, p);
  const key = (p: { enterpriseId: string; isoWeek: string }) => `${p.enterpriseId}|${p.isoWeek}`;
  return [...seen.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export type { ComplianceRule };
