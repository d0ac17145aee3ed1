import { css, html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { ApiError, OfflineError, request } from '../../api';
import { fmtDate, fmtDateTime, fmtNumber, register, t } from '../../i18n';
import { kindOf, periodRange, weekNumber } from './period';

/** What the KPI API answers (apps/api/src/reporting/kpis.controller.ts, libs/reporting). */
export type KpiUnit = 'people' | 'percent' | 'hours' | 'count';
export type BreakdownBy = 'commune' | 'agency' | 'park' | 'enterprise' | 'level' | 'source' | 'position' | 'segment';

export interface OrgUnitRef {
  id: string;
  code: string;
  name: string;
  kind: string;
}

export interface KpiForecast {
  ratePerWeek: number | null;
  weeksLeft: number;
  projected: number | null;
  requiredRatePerWeek: number | null;
  onTrack: boolean | null;
  reason?: 'not_enough_history' | 'deadline_passed';
}

export interface KpiItem {
  code: string;
  label: string;
  description: string;
  kind: 'target' | 'activity';
  unit: KpiUnit;
  period: string;
  asOf: string;
  status: 'provisional' | 'frozen';
  computedAt: string;
  orgUnit: OrgUnitRef;
  value: number | null;
  numerator: number;
  denominator: number | null;
  noData: boolean;
  target: { value: number; comparison: 'gte' | 'gt'; date: string | null } | null;
  progress: number | null;
  onTrack: boolean | null;
  trend: {
    previousPeriod: string;
    previousValue: number | null;
    delta: number | null;
    direction: 'up' | 'down' | 'flat' | null;
  };
  forecast: KpiForecast | null;
  /** the dimensions the API breaks this KPI down by */
  breakdowns: BreakdownBy[];
  details: Record<string, unknown>;
  late: {
    value: number | null;
    numerator: number;
    denominator: number | null;
    noData: boolean;
    detectedAt: string;
  } | null;
}

register(
  {
    'kpi.dashboard.title': 'Bảng chỉ tiêu',
    'kpi.dashboard.for': '{unit} · {period}',
    'kpi.backToDashboard': '← Bảng chỉ tiêu',
    'kpi.filters': 'Chọn kỳ và đơn vị',
    'kpi.periodKind': 'Loại kỳ',
    'kpi.period': 'Kỳ báo cáo',
    'kpi.kind.week': 'Tuần',
    'kpi.kind.month': 'Tháng',
    'kpi.kind.quarter': 'Quý',
    'kpi.kind.year': 'Năm',
    'kpi.label.week': 'Tuần {n}/{y} ({range})',
    'kpi.label.weekShort': 'Tuần {n}/{y}',
    'kpi.label.weekTick': 'T{n}',
    'kpi.label.month': 'Tháng {m}/{y}',
    'kpi.label.quarter': 'Quý {q}/{y}',
    'kpi.label.year': 'Năm {y}',
    'kpi.unitLevel': 'Cấp đơn vị',
    'kpi.unit': 'Đơn vị',
    'kpi.level.province': 'Toàn tỉnh',
    'kpi.level.commune': 'Xã, phường',
    'kpi.level.agency': 'Cơ quan, đơn vị',
    'kpi.level.park': 'Khu công nghiệp',
    'kpi.level.enterprise': 'Doanh nghiệp',
    'kpi.level.other': 'Đơn vị khác',
    'kpi.unit.choose': '— Chọn đơn vị —',
    'kpi.unit.loading': 'Đang tải danh sách đơn vị…',
    'kpi.unitKind.province': 'tỉnh',
    'kpi.noData': 'Chưa có số liệu',
    'kpi.unit.people': 'người',
    'kpi.unit.hours': 'giờ',
    'kpi.unit.count': 'lượt',
    'kpi.points': 'điểm %',
    'kpi.target': 'Mục tiêu',
    'kpi.target.gte': '≥ {v}',
    'kpi.target.gt': '> {v}',
    'kpi.target.by': '{target}, hạn {date}',
    'kpi.target.noDate': '{target}, chưa có hạn',
    'kpi.progress': 'Đạt {p} mục tiêu',
    'kpi.fraction': 'Tử số / mẫu số',
    'kpi.fraction.value': '{n} / {d}',
    'kpi.onTrack.yes': '✓ Đúng tiến độ',
    'kpi.onTrack.no': '✗ Chậm tiến độ',
    'kpi.onTrack.unknown': '? Chưa đánh giá được',
    'kpi.trend': 'So với kỳ trước',
    'kpi.trend.up': '▲ tăng {d}',
    'kpi.trend.down': '▼ giảm {d}',
    'kpi.trend.flat': '■ không đổi',
    'kpi.trend.prev': '({period}: {v})',
    'kpi.trend.none': 'Chưa có số liệu kỳ trước',
    'kpi.forecast': 'Dự báo đến hạn',
    'kpi.forecast.value': '{v} vào {date}',
    'kpi.forecast.rate': 'Tốc độ hiện tại: {r}/tuần; cần {req}/tuần để đạt mục tiêu.',
    'kpi.forecast.rateOnly': 'Tốc độ hiện tại: {r}/tuần.',
    'kpi.forecast.notEnough': 'Chưa đủ dữ liệu để dự báo (cần ít nhất 3 tuần có số liệu).',
    'kpi.forecast.required': 'Cần {req}/tuần để đạt mục tiêu.',
    'kpi.forecast.passed': 'Đã đến hạn: đánh giá theo giá trị hiện tại.',
    'kpi.status.provisional': 'Tạm tính',
    'kpi.status.frozen': 'Đã chốt',
    'kpi.status.line': '{status} · tính lúc {at}',
    'kpi.late': 'Có số liệu bổ sung sau khi chốt (phát hiện {date}): {v}. Số đã chốt không đổi.',
    'kpi.detailsLink': 'Xem chi tiết',
    'kpi.export': 'Tải CSV',
    'kpi.exporting': 'Đang chuẩn bị tệp CSV…',
    'kpi.exported': 'Đã tải xuống tệp {file}.',
    'kpi.loadingData': 'Đang tải số liệu…',
    'kpi.updated': 'Đã cập nhật: {unit}, {period}.',
  },
  {
    'kpi.dashboard.title': 'KPI dashboard',
    'kpi.dashboard.for': '{unit} · {period}',
    'kpi.backToDashboard': '← KPI dashboard',
    'kpi.filters': 'Choose the period and unit',
    'kpi.periodKind': 'Period type',
    'kpi.period': 'Reporting period',
    'kpi.kind.week': 'Week',
    'kpi.kind.month': 'Month',
    'kpi.kind.quarter': 'Quarter',
    'kpi.kind.year': 'Year',
    'kpi.label.week': 'Week {n}/{y} ({range})',
    'kpi.label.weekShort': 'Week {n}/{y}',
    'kpi.label.weekTick': 'W{n}',
    'kpi.label.month': 'Month {m}/{y}',
    'kpi.label.quarter': 'Quarter {q}/{y}',
    'kpi.label.year': 'Year {y}',
    'kpi.unitLevel': 'Unit level',
    'kpi.unit': 'Unit',
    'kpi.level.province': 'Whole province',
    'kpi.level.commune': 'Communes and wards',
    'kpi.level.agency': 'Agencies',
    'kpi.level.park': 'Industrial parks',
    'kpi.level.enterprise': 'Enterprises',
    'kpi.level.other': 'Other units',
    'kpi.unit.choose': '— Choose a unit —',
    'kpi.unit.loading': 'Loading the units…',
    'kpi.unitKind.province': 'province',
    'kpi.noData': 'No data yet',
    'kpi.unit.people': 'people',
    'kpi.unit.hours': 'hours',
    'kpi.unit.count': '',
    'kpi.points': 'percentage points',
    'kpi.target': 'Target',
    'kpi.target.gte': '≥ {v}',
    'kpi.target.gt': '> {v}',
    'kpi.target.by': '{target} by {date}',
    'kpi.target.noDate': '{target}, no deadline',
    'kpi.progress': '{p} of the target reached',
    'kpi.fraction': 'Numerator / denominator',
    'kpi.fraction.value': '{n} / {d}',
    'kpi.onTrack.yes': '✓ On track',
    'kpi.onTrack.no': '✗ Behind schedule',
    'kpi.onTrack.unknown': '? Cannot tell yet',
    'kpi.trend': 'Compared with the previous period',
    'kpi.trend.up': '▲ up {d}',
    'kpi.trend.down': '▼ down {d}',
    'kpi.trend.flat': '■ unchanged',
    'kpi.trend.prev': '({period}: {v})',
    'kpi.trend.none': 'No data for the previous period',
    'kpi.forecast': 'Forecast at the deadline',
    'kpi.forecast.value': '{v} on {date}',
    'kpi.forecast.rate': 'Current pace: {r} a week; {req} a week needed to meet the target.',
    'kpi.forecast.rateOnly': 'Current pace: {r} a week.',
    'kpi.forecast.notEnough': 'Not enough data to forecast yet (at least 3 weeks of figures are needed).',
    'kpi.forecast.required': '{req} a week needed to meet the target.',
    'kpi.forecast.passed': 'The deadline has passed: judged on the current value.',
    'kpi.status.provisional': 'Provisional',
    'kpi.status.frozen': 'Frozen',
    'kpi.status.line': '{status} · computed {at}',
    'kpi.late': 'Late data arrived after the period was frozen (found {date}): {v}. The frozen figure is unchanged.',
    'kpi.detailsLink': 'Details',
    'kpi.export': 'Download CSV',
    'kpi.exporting': 'Preparing the CSV file…',
    'kpi.exported': 'Downloaded {file}.',
    'kpi.loadingData': 'Loading the figures…',
    'kpi.updated': 'Updated: {unit}, {period}.',
  },
);

const NBSP = '\u00a0';
const oneDecimal = () => new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** 72,5 % · 1.234 người · 761,9 giờ · 3.020 — numbers the Vietnamese way in both languages. */
export function fmtValue(unit: KpiUnit, value: number | null | undefined, withUnit = true): string {
  if (value === null || value === undefined) return t('kpi.noData');
  if (unit === 'percent') return `${oneDecimal().format(value)}${NBSP}%`;
  const n = unit === 'hours' ? fmtNumber(value, 1) : fmtNumber(value, 0);
  const word = withUnit ? t(`kpi.unit.${unit}`) : '';
  return word ? `${n}${NBSP}${word}` : n;
}

/** A change (percentage points for shares); `digits` for small rates per week. */
export function fmtDelta(unit: KpiUnit, delta: number, signed = false, digits = 1): string {
  const abs = signed ? delta : Math.abs(delta);
  const sign = signed && delta > 0 ? '+' : '';
  if (unit === 'percent') {
    const n = digits === 1 ? oneDecimal().format(abs) : fmtNumber(abs, digits);
    return `${sign}${n}${NBSP}${t('kpi.points')}`;
  }
  if (digits === 1) return `${sign}${fmtValue(unit, abs)}`;
  const word = t(`kpi.unit.${unit}`);
  return `${sign}${fmtNumber(abs, digits)}${word ? `${NBSP}${word}` : ''}`;
}

export function fmtCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : fmtNumber(n, 2);
}

/** "Tuần 49/2026 (30/11–06/12/2026)", "Tháng 12/2026", "Quý 4/2026", "Năm 2026". */
export function periodLabel(key: string, short = false): string {
  const y = key.slice(0, 4);
  switch (kindOf(key)) {
    case 'week': {
      const { start, end } = periodRange(key);
      const n = weekNumber(key);
      if (short) return t('kpi.label.weekShort', { n, y });
      const from = start.slice(0, 4) === end.slice(0, 4) ? fmtDate(start).slice(0, 5) : fmtDate(start);
      return t('kpi.label.week', { n, y, range: `${from}–${fmtDate(end)}` });
    }
    case 'month':
      return t('kpi.label.month', { m: key.slice(5, 7), y });
    case 'quarter':
      return t('kpi.label.quarter', { q: key.slice(6), y });
    case 'year':
      return t('kpi.label.year', { y });
    default:
      return key;
  }
}

/** The message to show for a failed request. */
export function errorText(err: unknown): string {
  if (err instanceof OfflineError) return t('common.offlineError');
  if (err instanceof ApiError && err.message && err.status < 500) return err.message;
  return t('common.error');
}

export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A KPI's detail page, keeping the period and the unit. */
export function detailHref(code: string, period: string, orgUnitId: string | null, by?: string): string {
  return `/admin/kpis/${encodeURIComponent(code)}${query({ period, orgUnitId, by })}`;
}

/**
 * Downloads a CSV export with the session's token: the text (Response.text() drops the BOM) is
 * saved again as UTF-8 with its BOM, so Excel opens Vietnamese correctly. Returns the file name.
 */
export async function downloadCsv(path: string, fileName: string): Promise<string> {
  const text = await request<string>('GET', path, { text: true });
  const blob = new Blob([text.startsWith('\ufeff') ? '' : '\ufeff', text], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return fileName;
}

export function csvPath(params: { period: string; orgUnitId: string | null; by?: string; code?: string }): string {
  return `/v1/kpis/export.csv${query({ ...params, delimiter: 'semicolon' })}`;
}

export function csvName(period: string, by?: string, code?: string): string {
  return `hocso-kpis-${period}${by ? `-${by}` : ''}${code ? `-${code}` : ''}.csv`;
}

function onTrackBadge(item: KpiItem): TemplateResult {
  const state = item.onTrack === true ? 'yes' : item.onTrack === false ? 'no' : 'unknown';
  return html`<p class="badge badge-${state}">${t(`kpi.onTrack.${state}`)}</p>`;
}

function targetText(item: KpiItem): string {
  if (!item.target) return '';
  const v = t(`kpi.target.${item.target.comparison}`, { v: fmtValue(item.unit, item.target.value) });
  return item.target.date
    ? t('kpi.target.by', { target: v, date: fmtDate(item.target.date) })
    : t('kpi.target.noDate', { target: v });
}

export function trendText(item: KpiItem): string {
  const { trend } = item;
  if (trend.direction === null || trend.delta === null) return t('kpi.trend.none');
  const head =
    trend.direction === 'flat'
      ? t('kpi.trend.flat')
      : t(`kpi.trend.${trend.direction}`, { d: fmtDelta(item.unit, trend.delta) });
  return `${head} ${t('kpi.trend.prev', { period: periodLabel(trend.previousPeriod, true), v: fmtValue(item.unit, trend.previousValue) })}`;
}

/** A pace per week: two decimals when small (0,01 điểm %/tuần is not 0). */
function rate(item: KpiItem, r: number): string {
  return fmtDelta(item.unit, r, true, Math.abs(r) < 1 ? 2 : 1);
}

function forecastText(item: KpiItem): TemplateResult | string {
  const f = item.forecast;
  if (!f || item.noData) return t('kpi.forecast.notEnough');
  if (f.reason === 'deadline_passed') return t('kpi.forecast.passed');
  if (f.reason === 'not_enough_history' || f.projected === null) {
    return html`${t('kpi.forecast.notEnough')}
    ${f.requiredRatePerWeek !== null ? html`<br />${t('kpi.forecast.required', { req: rate(item, f.requiredRatePerWeek) })}` : nothing}`;
  }
  const when = item.target?.date ? fmtDate(item.target.date) : '';
  const pace =
    f.ratePerWeek !== null && f.requiredRatePerWeek !== null
      ? t('kpi.forecast.rate', { r: rate(item, f.ratePerWeek), req: rate(item, f.requiredRatePerWeek) })
      : f.ratePerWeek !== null
        ? t('kpi.forecast.rateOnly', { r: rate(item, f.ratePerWeek) })
        : '';
  return html`<strong>${t('kpi.forecast.value', { v: fmtValue(item.unit, f.projected), date: when })}</strong>
    ${pace ? html`<br />${pace}` : nothing}`;
}

export function statusLine(item: { status: 'provisional' | 'frozen'; computedAt?: string }): string {
  return t('kpi.status.line', { status: t(`kpi.status.${item.status}`), at: fmtDateTime(item.computedAt) });
}

/**
 * One target KPI as a card: value (or "no data", never 0 %), on-track badge (text and colour),
 * target and deadline, numerator / denominator, trend, forecast, status and any late data.
 */
export function kpiCard(item: KpiItem, opts: { href?: string; headingLevel: 2 | 3; title?: string }): TemplateResult {
  const id = `kpi-${item.code}`;
  const label = opts.title ?? item.label;
  const title = opts.href ? html`<a href=${opts.href}>${label}</a>` : label;
  const heading = opts.headingLevel === 2 ? html`<h2 id=${id}>${title}</h2>` : html`<h3 id=${id}>${title}</h3>`;
  const pct = item.progress === null ? null : Math.max(0, Math.min(1, item.progress));
  return html`<article class="card kpi" aria-labelledby=${id}>
    ${heading}
    <p class="value ${item.noData ? 'nodata' : ''}">${item.noData ? t('kpi.noData') : fmtValue(item.unit, item.value)}</p>
    ${item.target ? onTrackBadge(item) : nothing}
    ${
      pct !== null
        ? html`<div class="bar" aria-hidden="true"><span style=${styleMap({ width: `${(pct * 100).toFixed(1)}%` })}></span></div>
          <p class="muted small">${t('kpi.progress', { p: `${oneDecimal().format((item.progress ?? 0) * 100)}${NBSP}%` })}</p>`
        : nothing
    }
    <dl>
      ${item.target ? html`<dt>${t('kpi.target')}</dt><dd>${targetText(item)}</dd>` : nothing}
      ${
        item.unit === 'percent'
          ? html`<dt>${t('kpi.fraction')}</dt>
            <dd>${t('kpi.fraction.value', { n: fmtCount(item.numerator), d: item.denominator === null ? t('kpi.noData') : fmtCount(item.denominator) })}</dd>`
          : nothing
      }
      <dt>${t('kpi.trend')}</dt>
      <dd class="trend trend-${item.trend.direction ?? 'none'}">${trendText(item)}</dd>
      ${item.target ? html`<dt>${t('kpi.forecast')}</dt><dd>${forecastText(item)}</dd>` : nothing}
    </dl>
    <p class="muted small">${statusLine(item)}</p>
    ${
      item.late
        ? html`<p class="late small">${t('kpi.late', { date: fmtDateTime(item.late.detectedAt), v: item.late.noData ? t('kpi.noData') : fmtValue(item.unit, item.late.value) })}</p>`
        : nothing
    }
  </article>`;
}

/** Styles shared by the dashboard and the detail page. */
export const kpiStyles = css`
  .sub {
    margin: -0.25rem 0 1rem;
  }
  .small {
    font-size: 0.875rem;
  }
  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 19rem), 1fr));
    gap: 1rem;
  }
  .kpi h2,
  .kpi h3 {
    font-size: 1.05rem;
    margin: 0 0 0.5rem;
  }
  .kpi .value {
    font-size: 2rem;
    font-weight: 600;
    margin: 0;
    line-height: 1.2;
  }
  .kpi .value.nodata {
    font-size: 1.25rem;
    color: var(--hc-muted);
  }
  .badge {
    display: inline-block;
    margin: 0.5rem 0;
    padding: 0.15rem 0.6rem;
    border-radius: 999px;
    font-weight: 600;
    font-size: 0.9rem;
    border: 1px solid currentColor;
  }
  .badge-yes {
    color: var(--hc-ok);
    background: #e8f5ec;
  }
  .badge-no {
    color: var(--hc-error);
    background: #fdecee;
  }
  .badge-unknown {
    color: var(--hc-muted);
    background: #f1f1f1;
  }
  .bar {
    height: 0.5rem;
    background: #e4e8ee;
    border-radius: 999px;
    overflow: hidden;
    margin-top: 0.25rem;
  }
  .bar span {
    display: block;
    height: 100%;
    background: var(--hc-primary);
  }
  .kpi dl {
    margin: 0.75rem 0 0.5rem;
  }
  .kpi dt {
    font-weight: 600;
    font-size: 0.875rem;
    color: var(--hc-muted);
  }
  .kpi dd {
    margin: 0 0 0.5rem;
  }
  .trend-up {
    color: var(--hc-ok);
  }
  .trend-down {
    color: var(--hc-error);
  }
  .late {
    border-left: 4px solid var(--hc-focus);
    padding-left: 0.5rem;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1rem;
    align-items: flex-end;
    margin: 1rem 0;
  }
  .num {
    text-align: right;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  th.num {
    text-align: right;
  }
  .table-wrap th[scope='row'] {
    min-width: 9rem;
  }
  caption {
    text-align: left;
    font-weight: 600;
    padding: 0.25rem 0;
  }
  .error-box {
    border-left: 4px solid var(--hc-error);
    padding: 0.5rem 1rem;
    background: #fff;
  }
`;
