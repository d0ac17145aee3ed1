import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { addJobWithin, JobName, QueueService } from '@hocso/queue';
import { addWeeks } from '@hocso/workforce';
import type { DataSource, EntityManager } from 'typeorm';
import { isOpen, type Period, parsePeriod, periodsEndingInWeek } from '../period';
import { ReportingException, ReportingExceptionCode } from '../reporting.exception';
import { KpiComputer, type SnapshotRow } from './kpi-computer';
import { type KpiDefinition, KpiDefinitionsService } from './kpi-definitions.service';

/** A provisional snapshot older than this is refreshed in the background when read. */
export const PROVISIONAL_MAX_AGE_MS = 10 * 60_000;
/** Frozen weekly snapshots re-checked for late data at each weekly close. */
export const LATE_CHECK_WEEKS = 4;

export interface PeriodRow {
  period: string;
  kind: Period['kind'];
  startsOn: string;
  endsOn: string;
  asOf: string;
  status: 'provisional' | 'frozen';
  computedAt: string;
  frozenAt: string | null;
  durationMs: number;
  rowCount: number;
  definitions: KpiDefinition[];
  lateCheckedAt: string | null;
  audit: Array<Record<string, unknown>>;
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

function mapPeriod(r: Record<string, unknown>): PeriodRow {
  return {
    period: r.period as string,
    kind: r.kind as Period['kind'],
    startsOn: r.starts_on as string,
    endsOn: r.ends_on as string,
    asOf: r.as_of as string,
    status: r.status as PeriodRow['status'],
    computedAt: iso(r.computed_at as Date)!,
    frozenAt: iso(r.frozen_at as Date | null),
    durationMs: r.duration_ms as number,
    rowCount: r.row_count as number,
    definitions: r.definitions as KpiDefinition[],
    lateCheckedAt: iso(r.late_checked_at as Date | null),
    audit: (r.audit as PeriodRow['audit']) ?? [],
  };
}

const rowKey = (r: { kpiCode: string; orgUnitId: string; dim: string }) => `${r.kpiCode}|${r.orgUnitId}|${r.dim}`;
const same = (a: number | null, b: number | null) =>
  a === null || b === null ? a === b : Math.abs(Number(a) - Number(b)) < 0.005;

/**
 * KPI snapshots (read models): one row per KPI, unit and slice for a period, so dashboards read a
 * few hundred rows instead of scanning the fact tables. An open period is provisional (recomputed
 * on demand and when stale); an ended period is frozen — by the weekly close, or the first time
 * anyone reads it — and never recomputed silently: later changes to its data (late reports,
 * revocations) are recorded next to the frozen figures as `late`, until a province admin re-freezes.
 */
@Injectable()
export class KpiSnapshotsService {
  private readonly logger = new Logger(KpiSnapshotsService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly computer: KpiComputer,
    private readonly definitions: KpiDefinitionsService,
    private readonly queues: QueueService,
  ) {}

  async find(period: string, em: EntityManager | DataSource = this.ds): Promise<PeriodRow | null> {
    const [row] = await em.query(
      `SELECT period, kind, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on,
              to_char(as_of, 'YYYY-MM-DD') AS as_of, status, computed_at, frozen_at, duration_ms, row_count, definitions,
              late_checked_at, audit
         FROM kpi_period WHERE period = $1`,
      [period],
    );
    return row ? mapPeriod(row) : null;
  }

  /**
   * The period's snapshot, computed now if there is none (an ended period is frozen at once). A
   * stale provisional snapshot is served as it is while a refresh runs in the background.
   */
  async ensure(period: Period, now = new Date(), known?: PeriodRow | null): Promise<PeriodRow> {
    const existing = known === undefined ? await this.find(period.key) : known;
    if (existing?.status === 'frozen') return existing;
    if (existing && isOpen(period, now)) {
      if (now.getTime() - Date.parse(existing.computedAt) > PROVISIONAL_MAX_AGE_MS) {
        await addJobWithin(
          this.queues,
          JobName.RefreshKpiSnapshot,
          { period: period.key },
          { jobId: `kpi-refresh@${period.key}@${Math.floor(now.getTime() / PROVISIONAL_MAX_AGE_MS)}` },
        );
      }
      return existing;
    }
    return this.compute(period, { now, onlyIfMissingOrProvisional: true });
  }

  /**
   * Recompute (open period) or check for late data (frozen period); `refreeze` replaces a frozen
   * period's figures with today's data and records who did it and why.
   */
  async refresh(
    periodKey: string,
    options: { refreeze?: { by: string; reason: string }; now?: Date } = {},
  ): Promise<{ period: PeriodRow; lateRows: number }> {
    const period = parsePeriod(periodKey);
    if (!period) throw new ReportingException(ReportingExceptionCode.PERIOD_INVALID, { field: 'period' });
    const now = options.now ?? new Date();
    const existing = await this.find(period.key);
    if (existing?.status === 'frozen' && !options.refreeze) {
      const lateRows = await this.checkLate(period, now);
      return { period: (await this.find(period.key))!, lateRows };
    }
    const row = await this.compute(period, { now, refreeze: options.refreeze });
    return { period: row, lateRows: 0 };
  }

  /**
   * The weekly close: freeze the week that ended and every month, quarter and year that ended in
   * it, then look for late data in the weeks frozen before.
   */
  async closeWeek(isoWeek: string, now = new Date()): Promise<{ frozen: string[]; lateRows: number }> {
    const frozen: string[] = [];
    for (const p of periodsEndingInWeek(isoWeek)) {
      if (isOpen(p, now)) continue;
      // A period read (and so frozen) before its close is frozen again now that the week's
      // compliance is final; a second close of the same week changes nothing.
      const existing = await this.find(p.key);
      if (existing?.status === 'frozen' && existing.audit.some((a) => a.event === 'weekly-close')) {
        frozen.push(p.key);
        continue;
      }
      const row = await this.compute(p, { now, note: { at: now.toISOString(), event: 'weekly-close' } });
      frozen.push(row.period);
    }
    let lateRows = 0;
    for (let i = 1; i <= LATE_CHECK_WEEKS; i++) {
      const p = parsePeriod(addWeeks(isoWeek, -i))!;
      if ((await this.find(p.key))?.status === 'frozen') lateRows += await this.checkLate(p, now);
    }
    return { frozen, lateRows };
  }

  private async compute(
    period: Period,
    options: {
      now: Date;
      onlyIfMissingOrProvisional?: boolean;
      refreeze?: { by: string; reason: string };
      note?: Record<string, unknown>;
    },
  ): Promise<PeriodRow> {
    const { now } = options;
    return this.ds.transaction(async (em) => {
      // One computation per period at a time; whoever waited reuses the result.
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`kpi-snapshot:${period.key}`]);
      const current = await this.find(period.key, em);
      if (options.onlyIfMissingOrProvisional && current?.status === 'frozen') return current;
      if (
        options.onlyIfMissingOrProvisional &&
        current &&
        isOpen(period, now) &&
        now.getTime() - Date.parse(current.computedAt) < 1000
      ) {
        return current;
      }
      const started = Date.now();
      const definitions = await this.definitions.all(em);
      const computed = await this.computer.compute(em, period, definitions, now);
      const frozen = !isOpen(period, now);
      const audit = [
        ...(options.refreeze
          ? [{ at: now.toISOString(), event: 're-frozen', by: options.refreeze.by, reason: options.refreeze.reason }]
          : []),
        ...(options.note ? [options.note] : []),
      ];
      await em.query(`DELETE FROM kpi_snapshot WHERE period = $1`, [period.key]);
      await em.query(
        `INSERT INTO kpi_period (period, kind, starts_on, ends_on, as_of, status, computed_at, frozen_at, duration_ms,
           row_count, definitions, audit)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb)
         ON CONFLICT (period) DO UPDATE SET as_of = EXCLUDED.as_of, status = EXCLUDED.status,
           computed_at = EXCLUDED.computed_at, frozen_at = EXCLUDED.frozen_at, duration_ms = EXCLUDED.duration_ms,
           row_count = EXCLUDED.row_count, definitions = EXCLUDED.definitions,
           audit = kpi_period.audit || EXCLUDED.audit`,
        [
          period.key,
          period.kind,
          period.startsOn,
          period.endsOn,
          computed.asOf,
          frozen ? 'frozen' : 'provisional',
          now,
          frozen ? now : null,
          Date.now() - started,
          computed.rows.length,
          JSON.stringify(definitions),
          JSON.stringify(audit),
        ],
      );
      await this.insertRows(em, period.key, computed.rows);
      await em.query(`UPDATE kpi_period SET duration_ms = $2 WHERE period = $1`, [period.key, Date.now() - started]);
      this.logger.log(
        `${frozen ? 'froze' : 'computed'} KPIs for ${period.key}: ${computed.rows.length} rows in ${Date.now() - started} ms`,
      );
      return (await this.find(period.key, em))!;
    });
  }

  private async insertRows(em: EntityManager, period: string, rows: SnapshotRow[]) {
    const CHUNK = 5000;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      await em.query(
        `INSERT INTO kpi_snapshot (period, kpi_code, org_unit_id, dim, numerator, denominator, details)
         SELECT $1, c, u, d, num, den, det
           FROM unnest($2::text[], $3::uuid[], $4::text[], $5::numeric[], $6::numeric[], $7::jsonb[]) AS t(c, u, d, num, den, det)`,
        [
          period,
          chunk.map((r) => r.kpiCode),
          chunk.map((r) => r.orgUnitId),
          chunk.map((r) => r.dim),
          chunk.map((r) => Math.round(r.numerator * 100) / 100),
          chunk.map((r) => (r.denominator === null ? null : Math.round(r.denominator * 100) / 100)),
          chunk.map((r) => JSON.stringify(r.details)),
        ],
      );
    }
  }

  /**
   * Recomputes a frozen period from today's data without changing it: rows whose figures moved get
   * `late` = the figures now (and when that was seen); rows that moved back lose it. Returns the
   * number of rows with late data.
   */
  private async checkLate(period: Period, now: Date): Promise<number> {
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`kpi-snapshot:${period.key}`]);
      const definitions = (await this.find(period.key, em))?.definitions ?? (await this.definitions.all(em));
      const fresh = await this.computer.compute(em, period, definitions, now);
      const frozen: Array<{
        kpi_code: string;
        org_unit_id: string;
        dim: string;
        numerator: string;
        denominator: string | null;
      }> = await em.query(
        `SELECT kpi_code, org_unit_id, dim, numerator, denominator FROM kpi_snapshot WHERE period = $1`,
        [period.key],
      );
      const freshByKey = new Map(fresh.rows.map((r) => [rowKey(r), r]));
      const late: Array<{ kpiCode: string; orgUnitId: string; dim: string; late: object | null }> = [];
      let lateRows = 0;
      for (const f of frozen) {
        const key = rowKey({ kpiCode: f.kpi_code, orgUnitId: f.org_unit_id, dim: f.dim });
        const now_ = freshByKey.get(key);
        freshByKey.delete(key);
        const numerator = now_?.numerator ?? 0;
        const denominator = now_ ? now_.denominator : f.denominator === null ? null : 0;
        const changed =
          !same(Number(f.numerator), numerator) ||
          !same(f.denominator === null ? null : Number(f.denominator), denominator);
        if (changed) lateRows++;
        late.push({
          kpiCode: f.kpi_code,
          orgUnitId: f.org_unit_id,
          dim: f.dim,
          late: changed ? { numerator, denominator, detectedAt: now.toISOString() } : null,
        });
      }
      for (let i = 0; i < late.length; i += 5000) {
        const chunk = late.slice(i, i + 5000);
        await em.query(
          `UPDATE kpi_snapshot s SET late = t.late
             FROM unnest($2::text[], $3::uuid[], $4::text[], $5::jsonb[]) AS t(c, u, d, late)
            WHERE s.period = $1 AND s.kpi_code = t.c AND s.org_unit_id = t.u AND s.dim = t.d
              AND s.late IS DISTINCT FROM t.late`,
          [
            period.key,
            chunk.map((l) => l.kpiCode),
            chunk.map((l) => l.orgUnitId),
            chunk.map((l) => l.dim),
            chunk.map((l) => (l.late === null ? null : JSON.stringify(l.late))),
          ],
        );
      }
      const note = {
        at: now.toISOString(),
        event: 'late-check',
        lateRows,
        newRows: freshByKey.size,
      };
      await em.query(`UPDATE kpi_period SET late_checked_at = $2, audit = audit || $3::jsonb WHERE period = $1`, [
        period.key,
        now,
        JSON.stringify(lateRows > 0 || freshByKey.size > 0 ? [note] : []),
      ]);
      return lateRows;
    });
  }
}
