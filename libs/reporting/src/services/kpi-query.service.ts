import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, localDate } from '@hocso/common';
import { addWeeks, epochDay, isIsoWeek, isoWeekOf, weeksBetween } from '@hocso/workforce';
import type { DataSource } from 'typeorm';
import { currentWeek, type Period, parsePeriod, previousPeriod } from '../period';
import { ReportingException, ReportingExceptionCode } from '../reporting.exception';
import { type KpiDefinition, KpiDefinitionsService, type KpiUnit } from './kpi-definitions.service';
import { KpiSnapshotsService, type PeriodRow } from './kpi-snapshots.service';
import { ReportScope, type ScopedUnit } from './report-scope';

export type Locale = 'vi' | 'en';
export type BreakdownBy = 'commune' | 'agency' | 'park' | 'enterprise' | 'level' | 'source' | 'position' | 'segment';

/** The dimensions each KPI can be broken down by. */
export const BREAKDOWNS: Record<string, readonly BreakdownBy[]> = {
  TOT_TRAINERS: ['commune', 'agency', 'level', 'source'],
  OFFICIALS_TRAINED: ['agency', 'commune', 'position'],
  ENTERPRISE_WEEKLY_HOUR: ['park', 'enterprise'],
  CITIZENS_ONLINE_SERVICES: ['commune'],
  AI_BASICS: ['commune'],
  LEARNERS_REGISTERED: ['commune', 'agency', 'park', 'enterprise', 'segment'],
  LEARNERS_ACTIVE_30D: ['commune', 'agency', 'park', 'enterprise', 'segment'],
  LEARNING_HOURS: ['commune', 'agency', 'park', 'enterprise', 'segment'],
  COMPLETIONS: ['commune', 'agency', 'park', 'enterprise', 'segment'],
  CERTIFICATES: ['commune', 'agency', 'park', 'enterprise', 'segment'],
};

const UNIT_KINDS: Partial<Record<BreakdownBy, string[]>> = {
  commune: ['commune', 'ward'],
  agency: ['agency'],
  park: ['industrial_park'],
  enterprise: ['enterprise'],
};

/** How many weekly points the forecast fits its line to. */
const FORECAST_WEEKS = 12;

export interface KpiFigure {
  value: number | null;
  numerator: number;
  denominator: number | null;
  /** a share whose denominator is missing or zero: shown as "no data", never 0 % */
  noData: boolean;
}

export interface KpiForecast {
  method: 'linear';
  /** weekly points the line was fitted to */
  points: number;
  ratePerWeek: number | null;
  weeksLeft: number;
  projected: number | null;
  /** what it would take per week from now to reach the target on time */
  requiredRatePerWeek: number | null;
  onTrack: boolean | null;
  reason?: 'not_enough_history' | 'deadline_passed';
}

export interface KpiItem extends KpiFigure {
  code: string;
  label: string;
  description: string;
  kind: 'target' | 'activity';
  unit: KpiUnit;
  period: string;
  asOf: string;
  status: 'provisional' | 'frozen';
  computedAt: string;
  orgUnit: { id: string; code: string; name: string; kind: string };
  target: { value: number; comparison: 'gte' | 'gt'; date: string | null } | null;
  /** value / target (0…1+) */
  progress: number | null;
  onTrack: boolean | null;
  trend: {
    previousPeriod: string;
    previousValue: number | null;
    delta: number | null;
    direction: 'up' | 'down' | 'flat' | null;
  };
  forecast: KpiForecast | null;
  /** the dimensions `GET /v1/kpis/{code}/breakdown?by=` accepts for this KPI */
  breakdowns: readonly BreakdownBy[];
  details: Record<string, unknown>;
  /** figures changed after this period was frozen (not merged; a province admin may re-freeze) */
  late: (KpiFigure & { detectedAt: string }) | null;
}

export interface BreakdownRow extends KpiFigure {
  /** the org unit's id, or the slice ('core', 'leader', a tax code…) */
  key: string;
  orgUnitId: string | null;
  code: string | null;
  name: string;
  kind: string | null;
  details: Record<string, unknown>;
}

interface SnapshotRecord {
  kpi_code: string;
  org_unit_id: string;
  dim: string;
  numerator: string;
  denominator: string | null;
  details: Record<string, unknown>;
  late: { numerator: number; denominator: number | null; detectedAt: string } | null;
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

export function figure(unit: KpiUnit, numerator: number, denominator: number | null): KpiFigure {
  if (unit === 'percent') {
    const ok = denominator !== null && denominator > 0;
    return { value: ok ? round((100 * numerator) / denominator) : null, numerator, denominator, noData: !ok };
  }
  return { value: unit === 'hours' ? round(numerator, 2) : numerator, numerator, denominator, noData: false };
}

export function meets(value: number, target: number, comparison: 'gte' | 'gt'): boolean {
  return comparison === 'gt' ? value > target : value >= target;
}

/** Least-squares slope (per week) of weekly points; null with fewer than 3 points. */
export function weeklySlope(points: Array<{ week: number; value: number }>): number | null {
  if (points.length < 3) return null;
  const mx = points.reduce((s, p) => s + p.week, 0) / points.length;
  const my = points.reduce((s, p) => s + p.value, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.week - mx) * (p.value - my);
    den += (p.week - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

/**
 * Reads KPI snapshots for people: the overview of a unit (each target with its numerator,
 * denominator, trend against the previous period and forecast to the target date), breakdowns by
 * commune, agency, park, enterprise or slice, weekly series and CSV exports. Every read is scoped:
 * province admins see everything, an org admin their own unit and below.
 */
@Injectable()
export class KpiQueryService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly snapshots: KpiSnapshotsService,
    private readonly definitions: KpiDefinitionsService,
    private readonly scope: ReportScope,
  ) {}

  resolvePeriod(key: string | undefined, now = new Date()): Period {
    if (key === undefined || key === '') return currentWeek(now);
    const p = parsePeriod(key);
    if (!p || p.startsOn > localDate(now)) {
      throw new ReportingException(ReportingExceptionCode.PERIOD_INVALID, { field: 'period' });
    }
    return p;
  }

  async overview(
    actor: Actor,
    query: { period?: string; orgUnitId?: string },
    locale: Locale,
    now = new Date(),
  ): Promise<KpiItem[]> {
    const unit = await this.scope.unit(actor, query.orgUnitId);
    const period = this.resolvePeriod(query.period, now);
    const prevPeriod = previousPeriod(period);
    // One round trip for both periods when their snapshots exist; computed one after the other when not.
    const [known, knownPrev] = await Promise.all([
      this.snapshots.find(period.key),
      this.snapshots.find(prevPeriod.key),
    ]);
    const snap = await this.snapshots.ensure(period, now, known);
    const prev = await this.snapshots.ensure(prevPeriod, now, knownPrev);
    // A frozen period keeps the targets it was frozen with; an open one shows today's.
    const [rows, prevRows, series, current] = await Promise.all([
      this.rows(period.key, unit.id),
      this.rows(prevPeriod.key, unit.id),
      this.weeklyPoints(unit.id, snap.asOf),
      snap.status === 'frozen' && snap.definitions.length ? snap.definitions : this.definitions.all(),
    ]);
    const defs = current;
    return defs.map((d) =>
      this.item(
        d,
        unit,
        snap,
        rows.get(d.code),
        { period: prev, row: prevRows.get(d.code) },
        series.get(d.code) ?? [],
        locale,
      ),
    );
  }

  private item(
    d: KpiDefinition,
    unit: ScopedUnit,
    snap: PeriodRow,
    row: SnapshotRecord | undefined,
    prev: { period: PeriodRow; row: SnapshotRecord | undefined },
    series: Array<{ week: number; value: number }>,
    locale: Locale,
  ): KpiItem {
    const f = this.figureOf(d.unit, row);
    const p = this.figureOf(d.unit, prev.row);
    const target = d.kind === 'target' && d.targetValue !== null ? d.targetValue : null;
    const delta = f.value !== null && p.value !== null ? round(f.value - p.value, 2) : null;
    const forecast = target === null || f.value === null ? null : this.forecast(d, f.value, snap.asOf, series);
    let onTrack: boolean | null = null;
    if (target !== null && f.value !== null) {
      onTrack = meets(f.value, target, d.targetComparison) ? true : (forecast?.onTrack ?? null);
    }
    return {
      code: d.code,
      label: d.label[locale],
      description: d.description[locale],
      kind: d.kind,
      unit: d.unit,
      period: snap.period,
      asOf: snap.asOf,
      status: snap.status,
      computedAt: snap.computedAt,
      orgUnit: { id: unit.id, code: unit.code, name: unit.name, kind: unit.kind },
      ...f,
      target: target === null ? null : { value: target, comparison: d.targetComparison, date: d.targetDate },
      progress: target && f.value !== null ? round(f.value / target, 4) : null,
      onTrack,
      trend: {
        previousPeriod: prev.period.period,
        previousValue: p.value,
        delta,
        direction: delta === null ? null : delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat',
      },
      forecast,
      breakdowns: BREAKDOWNS[d.code] ?? [],
      details: row?.details ?? {},
      late: row?.late
        ? { ...this.figureOf(d.unit, { ...row, ...stringify(row.late) }), detectedAt: row.late.detectedAt }
        : null,
    };
  }

  private figureOf(unit: KpiUnit, row: Pick<SnapshotRecord, 'numerator' | 'denominator'> | undefined): KpiFigure {
    if (!row) return figure(unit, 0, null);
    return figure(unit, Number(row.numerator), row.denominator === null ? null : Number(row.denominator));
  }

  private forecast(
    d: KpiDefinition,
    value: number,
    asOf: string,
    series: Array<{ week: number; value: number }>,
  ): KpiForecast {
    const target = d.targetValue!;
    const weeksLeft = d.targetDate ? Math.max(0, ((epochDay(d.targetDate) ?? 0) - (epochDay(asOf) ?? 0)) / 7) : 0;
    const slope = weeklySlope(series);
    const required = weeksLeft > 0 ? round((target - value) / weeksLeft, 3) : null;
    if (!d.targetDate || weeksLeft === 0) {
      return {
        method: 'linear',
        points: series.length,
        ratePerWeek: slope === null ? null : round(slope, 3),
        weeksLeft: 0,
        projected: value,
        requiredRatePerWeek: null,
        onTrack: meets(value, target, d.targetComparison),
        reason: 'deadline_passed',
      };
    }
    if (slope === null) {
      return {
        method: 'linear',
        points: series.length,
        ratePerWeek: null,
        weeksLeft: round(weeksLeft, 1),
        projected: null,
        requiredRatePerWeek: required,
        onTrack: null,
        reason: 'not_enough_history',
      };
    }
    let projected = value + slope * weeksLeft;
    if (d.unit === 'percent') projected = Math.min(100, Math.max(0, projected));
    projected = round(projected, d.unit === 'percent' ? 1 : 0);
    return {
      method: 'linear',
      points: series.length,
      ratePerWeek: round(slope, 3),
      weeksLeft: round(weeksLeft, 1),
      projected,
      requiredRatePerWeek: required,
      onTrack: meets(projected, target, d.targetComparison),
    };
  }

  /** Weekly values of every KPI at a unit over the FORECAST_WEEKS weeks up to asOf. */
  private async weeklyPoints(unitId: string, asOf: string) {
    const last = isoWeekOf(asOf);
    const weeks = weeksBetween(addWeeks(last, -(FORECAST_WEEKS - 1)), last);
    const rows: Array<{
      period: string;
      kpi_code: string;
      numerator: string;
      denominator: string | null;
      unit: KpiUnit;
    }> = await this.ds.query(
      `SELECT s.period, s.kpi_code, s.numerator, s.denominator, d.unit
           FROM kpi_snapshot s JOIN kpi_definition d ON d.code = s.kpi_code
          WHERE s.org_unit_id = $1 AND s.dim = '' AND s.period = ANY($2::text[])`,
      [unitId, weeks],
    );
    const out = new Map<string, Array<{ week: number; value: number }>>();
    for (const r of rows) {
      const f = figure(r.unit, Number(r.numerator), r.denominator === null ? null : Number(r.denominator));
      if (f.value === null) continue;
      const list = out.get(r.kpi_code) ?? [];
      list.push({ week: weeks.indexOf(r.period), value: f.value });
      out.set(r.kpi_code, list);
    }
    return out;
  }

  private async rows(period: string, unitId: string): Promise<Map<string, SnapshotRecord>> {
    const rows: SnapshotRecord[] = await this.ds.query(
      `SELECT kpi_code, org_unit_id, dim, numerator, denominator, details, late
         FROM kpi_snapshot WHERE period = $1 AND org_unit_id = $2 AND dim = ''`,
      [period, unitId],
    );
    return new Map(rows.map((r) => [r.kpi_code, r]));
  }

  async breakdown(
    actor: Actor,
    code: string,
    query: { by?: string; period?: string; orgUnitId?: string },
    locale: Locale,
    now = new Date(),
  ) {
    const unit = await this.scope.unit(actor, query.orgUnitId);
    const period = this.resolvePeriod(query.period, now);
    const [d, known] = await Promise.all([this.definitions.get(code), this.snapshots.find(period.key)]);
    const allowed = BREAKDOWNS[d.code] ?? [];
    const by = query.by as BreakdownBy;
    if (!allowed.includes(by)) {
      throw new ReportingException(ReportingExceptionCode.BREAKDOWN_INVALID, {
        field: 'by',
        extensions: { allowed },
      });
    }
    const snap = await this.snapshots.ensure(period, now, known);
    const def = (snap.status === 'frozen' && snap.definitions.find((x) => x.code === d.code)) || d;
    const total = (await this.rows(period.key, unit.id)).get(d.code);
    let rows: BreakdownRow[];
    if (UNIT_KINDS[by] && !(by === 'enterprise' && d.code === 'ENTERPRISE_WEEKLY_HOUR')) {
      const records: Array<{
        id: string;
        code: string;
        name: string;
        kind: string;
        numerator: string | null;
        denominator: string | null;
        details: Record<string, unknown> | null;
      }> = await this.ds.query(
        `SELECT o.id, o.code, o.name, o.kind, s.numerator, s.denominator, s.details
           FROM org_unit o
           LEFT JOIN kpi_snapshot s ON s.org_unit_id = o.id AND s.period = $3 AND s.kpi_code = $4 AND s.dim = ''
          WHERE o.path LIKE $1 || '%' AND o.id <> $2 AND o.kind = ANY($5::text[])`,
        [unit.path, unit.id, period.key, d.code, UNIT_KINDS[by]],
      );
      rows = records.map((r) => ({
        key: r.id,
        orgUnitId: r.id,
        code: r.code,
        name: r.name,
        kind: r.kind,
        ...this.figureOf(
          def.unit,
          r.numerator === null ? undefined : { numerator: r.numerator, denominator: r.denominator },
        ),
        details: r.details ?? {},
      }));
    } else {
      // Slices: of this unit (level, source, position, segment), or of the parks under it (enterprises).
      const prefix = by === 'enterprise' ? 'enterprise:' : `${by}:`;
      const records: Array<{
        dim: string;
        numerator: string;
        denominator: string | null;
        details: Record<string, unknown>;
      }> = await this.ds.query(
        by === 'enterprise'
          ? `SELECT s.dim, s.numerator, s.denominator, s.details
                 FROM kpi_snapshot s JOIN org_unit o ON o.id = s.org_unit_id
                WHERE s.period = $1 AND s.kpi_code = $2 AND o.path LIKE $3 || '%' AND starts_with(s.dim, $4)`
          : `SELECT s.dim, s.numerator, s.denominator, s.details FROM kpi_snapshot s
                WHERE s.period = $1 AND s.kpi_code = $2 AND s.org_unit_id = $3 AND starts_with(s.dim, $4)`,
        [period.key, d.code, by === 'enterprise' ? unit.path : unit.id, prefix],
      );
      rows = records.map((r) => {
        const key = r.dim.slice(prefix.length);
        const enterpriseId = (r.details.enterpriseId as string | null | undefined) ?? null;
        return {
          key,
          orgUnitId: by === 'enterprise' ? enterpriseId : null,
          code: by === 'enterprise' ? key : null,
          name: by === 'enterprise' ? String(r.details.name ?? key) : sliceName(by, key, locale),
          kind: by === 'enterprise' ? 'enterprise' : null,
          ...this.figureOf(def.unit, r),
          details: r.details,
        };
      });
    }
    rows.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    return {
      code: d.code,
      label: def.label[locale],
      unit: def.unit,
      by,
      period: snap.period,
      asOf: snap.asOf,
      status: snap.status,
      orgUnit: { id: unit.id, code: unit.code, name: unit.name, kind: unit.kind },
      total: this.figureOf(def.unit, total),
      rows,
    };
  }

  async series(
    actor: Actor,
    code: string,
    query: { orgUnitId?: string; from?: string; to?: string },
    locale: Locale,
    now = new Date(),
  ) {
    const unit = await this.scope.unit(actor, query.orgUnitId);
    const d = await this.definitions.get(code);
    const to = query.to ?? currentWeek(now).key;
    const from = query.from ?? addWeeks(to, -11);
    if (!isIsoWeek(from)) throw new ReportingException(ReportingExceptionCode.RANGE_INVALID, { field: 'from' });
    if (!isIsoWeek(to)) throw new ReportingException(ReportingExceptionCode.RANGE_INVALID, { field: 'to' });
    const weeks = weeksBetween(from, to);
    if (weeks.length === 0 || weeks.length > 104) {
      throw new ReportingException(ReportingExceptionCode.RANGE_INVALID, { field: 'from' });
    }
    const records: Array<{
      period: string;
      numerator: string;
      denominator: string | null;
      status: 'provisional' | 'frozen';
      as_of: string;
      late: SnapshotRecord['late'];
    }> = await this.ds.query(
      `SELECT p.period, s.numerator, s.denominator, p.status, to_char(p.as_of, 'YYYY-MM-DD') AS as_of, s.late
         FROM kpi_period p
         LEFT JOIN kpi_snapshot s ON s.period = p.period AND s.kpi_code = $1 AND s.org_unit_id = $2 AND s.dim = ''
        WHERE p.period = ANY($3::text[])`,
      [d.code, unit.id, weeks],
    );
    const byWeek = new Map(records.map((r) => [r.period, r]));
    return {
      code: d.code,
      label: d.label[locale],
      unit: d.unit,
      orgUnit: { id: unit.id, code: unit.code, name: unit.name, kind: unit.kind },
      target: d.kind === 'target' && d.targetValue !== null ? { value: d.targetValue, date: d.targetDate } : null,
      points: weeks.map((w) => {
        const r = byWeek.get(w);
        if (!r)
          return {
            period: w,
            computed: false,
            status: null,
            asOf: null,
            value: null,
            numerator: null,
            denominator: null,
            noData: true,
            late: false,
          };
        const f = this.figureOf(d.unit, r.numerator === null ? undefined : r);
        return { period: w, computed: true, status: r.status, asOf: r.as_of, ...f, late: r.late !== null };
      }),
    };
  }

  /**
   * The overview (or, with `by`, the breakdowns) as CSV rows for Excel: the caller's language,
   * dates dd/MM/yyyy.
   */
  async exportRows(
    actor: Actor,
    query: { period?: string; orgUnitId?: string; by?: string; code?: string },
    locale: Locale,
    now = new Date(),
  ): Promise<{ header: string[]; rows: Array<Array<string | number | null>> }> {
    const items = await this.overview(actor, { period: query.period, orgUnitId: query.orgUnitId }, locale, now);
    const vi = locale === 'vi';
    const dmy = (d: string | null) => (d ? `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}` : '');
    const yesNo = (b: boolean | null) => (b === null ? '' : b ? (vi ? 'Có' : 'Yes') : vi ? 'Không' : 'No');
    if (!query.by) {
      const header = vi
        ? [
            'Mã chỉ tiêu',
            'Chỉ tiêu',
            'Kỳ',
            'Ngày chốt',
            'Trạng thái',
            'Mã đơn vị',
            'Đơn vị',
            'Giá trị',
            'Đơn vị tính',
            'Tử số',
            'Mẫu số',
            'Mục tiêu',
            'Hạn',
            'Đúng tiến độ',
            'Kỳ trước',
            'Thay đổi',
            'Dự báo đến hạn',
            'Số liệu bổ sung muộn',
          ]
        : [
            'KPI code',
            'KPI',
            'Period',
            'As of',
            'Status',
            'Unit code',
            'Unit',
            'Value',
            'Measure',
            'Numerator',
            'Denominator',
            'Target',
            'Deadline',
            'On track',
            'Previous',
            'Change',
            'Forecast at deadline',
            'Late data',
          ];
      return {
        header,
        rows: items.map((i) => [
          i.code,
          i.label,
          i.period,
          dmy(i.asOf),
          statusText(i.status, locale),
          i.orgUnit.code,
          i.orgUnit.name,
          i.noData ? (vi ? 'Chưa có số liệu' : 'No data') : i.value,
          unitText(i.unit, locale),
          i.numerator,
          i.denominator,
          i.target?.value ?? null,
          dmy(i.target?.date ?? null),
          yesNo(i.onTrack),
          i.trend.previousValue,
          i.trend.delta,
          i.forecast?.projected ?? null,
          i.late ? (i.late.value ?? '') : '',
        ]),
      };
    }
    const codes = query.code
      ? [query.code]
      : items.map((i) => i.code).filter((c) => BREAKDOWNS[c]?.includes(query.by as BreakdownBy));
    if (codes.length === 0) throw new ReportingException(ReportingExceptionCode.BREAKDOWN_INVALID, { field: 'by' });
    const header = vi
      ? ['Mã chỉ tiêu', 'Chỉ tiêu', 'Kỳ', 'Ngày chốt', 'Theo', 'Mã', 'Tên', 'Giá trị', 'Đơn vị tính', 'Tử số', 'Mẫu số']
      : ['KPI code', 'KPI', 'Period', 'As of', 'By', 'Code', 'Name', 'Value', 'Measure', 'Numerator', 'Denominator'];
    const rows: Array<Array<string | number | null>> = [];
    for (const code of codes) {
      const b = await this.breakdown(
        actor,
        code,
        { by: query.by, period: query.period, orgUnitId: query.orgUnitId },
        locale,
        now,
      );
      for (const r of b.rows) {
        rows.push([
          b.code,
          b.label,
          b.period,
          dmy(b.asOf),
          b.by,
          r.code ?? r.key,
          r.name,
          r.noData ? (vi ? 'Chưa có số liệu' : 'No data') : r.value,
          unitText(b.unit, locale),
          r.numerator,
          r.denominator,
        ]);
      }
    }
    return { header, rows };
  }
}

function stringify(late: { numerator: number; denominator: number | null }) {
  return {
    numerator: String(late.numerator),
    denominator: late.denominator === null ? null : String(late.denominator),
  };
}

const SLICE_NAMES: Record<string, { vi: string; en: string }> = {
  'level:master': { vi: 'Giảng viên cấp tỉnh (master)', en: 'Master trainers' },
  'level:core': { vi: 'Giảng viên nguồn (core)', en: 'Core trainers' },
  'level:community': { vi: 'Giảng viên cộng đồng', en: 'Community trainers' },
  'source:department': { vi: 'Sở, ban, ngành', en: 'Departments' },
  'source:commune': { vi: 'Xã, phường', en: 'Communes' },
  'source:university': { vi: 'Đại học', en: 'Universities' },
  'source:college': { vi: 'Cao đẳng', en: 'Colleges' },
  'source:community_team': { vi: 'Tổ công nghệ số cộng đồng', en: 'Community digital-technology teams' },
  'source:unknown': { vi: 'Chưa rõ nguồn', en: 'Unknown source' },
  'position:leader': { vi: 'Lãnh đạo, quản lý', en: 'Leaders and managers' },
  'position:staff': { vi: 'Công chức, viên chức', en: 'Staff' },
  'segment:citizen': { vi: 'Người dân', en: 'Citizens' },
  'segment:official': { vi: 'Cán bộ, công chức, viên chức', en: 'Officials' },
  'segment:worker': { vi: 'Người lao động doanh nghiệp', en: 'Enterprise workers' },
  'segment:student': { vi: 'Học sinh, sinh viên', en: 'Pupils and students' },
};

function sliceName(by: string, key: string, locale: Locale): string {
  return SLICE_NAMES[`${by}:${key}`]?.[locale] ?? key;
}

function statusText(status: 'provisional' | 'frozen', locale: Locale) {
  if (status === 'frozen') return locale === 'vi' ? 'Đã chốt' : 'Frozen';
  return locale === 'vi' ? 'Tạm tính' : 'Provisional';
}

function unitText(unit: KpiUnit, locale: Locale) {
  const t: Record<KpiUnit, [string, string]> = {
    people: ['người', 'people'],
    percent: ['%', '%'],
    hours: ['giờ', 'hours'],
    count: ['lượt', 'count'],
  };
  return t[unit][locale === 'vi' ? 0 : 1];
}
