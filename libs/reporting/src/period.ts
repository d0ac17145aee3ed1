import { localDate } from '@hocso/common';
import { addDays, addWeeks, isIsoWeek, isoWeekOf, weekRange } from '@hocso/workforce';

/**
 * Reporting periods in Asia/Ho_Chi_Minh: an ISO week (2026-W48), a month (2026-11), a quarter
 * (2026-Q4) or a year (2026). A period's KPIs are taken "as of" its last day; its ISO weeks (for
 * the enterprise 1-hour rule) are the weeks whose Thursday falls inside it, so every week belongs
 * to exactly one month, quarter and year.
 */
export type PeriodKind = 'week' | 'month' | 'quarter' | 'year';

export interface Period {
  key: string;
  kind: PeriodKind;
  /** first local date (YYYY-MM-DD) */
  startsOn: string;
  /** last local date */
  endsOn: string;
  /** ISO weeks of the period (Thursday inside it) */
  weeks: string[];
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;

function lastDayOfMonth(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

function range(kind: PeriodKind, key: string, startsOn: string, endsOn: string): Period {
  if (kind === 'week') return { key, kind, startsOn, endsOn, weeks: [key] };
  const weeks: string[] = [];
  // The first week whose Thursday is on or after startsOn.
  for (let w = isoWeekOf(addDays(startsOn, 3)); addDays(weekRange(w).monday, 3) <= endsOn; w = addWeeks(w, 1)) {
    weeks.push(w);
  }
  return { key, kind, startsOn, endsOn, weeks };
}

/** The period a key names, or null when the key is not one (or not a real week). */
export function parsePeriod(key: string): Period | null {
  // Hocso's reporting years: 2000–2100 (the calendar helpers hold nothing older or newer).
  const year = Number(/^(\d{4})/.exec(key)?.[1]);
  if (!(year >= 2000 && year <= 2100)) return null;
  if (isIsoWeek(key)) {
    const { monday, sunday } = weekRange(key);
    return range('week', key, monday, sunday);
  }
  let m = MONTH.exec(key);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    return range('month', key, `${m[1]}-${m[2]}-01`, lastDayOfMonth(y, mo));
  }
  m = QUARTER.exec(key);
  if (m) {
    const q = Number(m[2]);
    const first = String((q - 1) * 3 + 1).padStart(2, '0');
    return range('quarter', key, `${m[1]}-${first}-01`, lastDayOfMonth(Number(m[1]), q * 3));
  }
  m = YEAR.exec(key);
  if (m) return range('year', key, `${m[1]}-01-01`, `${m[1]}-12-31`);
  return null;
}

/** The period of the same kind that contains a local date. */
export function periodContaining(kind: PeriodKind, date: string): Period {
  const y = date.slice(0, 4);
  const key =
    kind === 'week'
      ? isoWeekOf(date)
      : kind === 'month'
        ? date.slice(0, 7)
        : kind === 'quarter'
          ? `${y}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`
          : y;
  return parsePeriod(key)!;
}

/** The period of the same kind just before this one. */
export function previousPeriod(p: Period): Period {
  return periodContaining(p.kind, addDays(p.startsOn, -1));
}

/** The current ISO week in Asia/Ho_Chi_Minh. */
export function currentWeek(now = new Date()): Period {
  return periodContaining('week', localDate(now));
}

/** True while the period has not ended (its figures are provisional). */
export function isOpen(p: Period, now = new Date()): boolean {
  return p.endsOn >= localDate(now);
}

/** Periods whose last day falls within the given ISO week (frozen when that week closes). */
export function periodsEndingInWeek(isoWeek: string): Period[] {
  const { monday, sunday } = weekRange(isoWeek);
  const out: Period[] = [parsePeriod(isoWeek)!];
  for (let d = monday; d <= sunday; d = addDays(d, 1)) {
    for (const kind of ['month', 'quarter', 'year'] as const) {
      const p = periodContaining(kind, d);
      if (p.endsOn === d) out.push(p);
    }
  }
  return out;
}
