/**
 * Reporting periods on the client, as the API names them (libs/reporting/src/period.ts): an ISO
 * week `2026-W48`, a month `2026-11`, a quarter `2026-Q4` or a year `2026`, in Asia/Ho_Chi_Minh.
 * Dates are local YYYY-MM-DD strings computed in UTC, so the viewer's time zone never shifts them.
 */
export type PeriodKind = 'week' | 'month' | 'quarter' | 'year';

const DAY = 86_400_000;
const WEEK = /^(\d{4})-W(\d{2})$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;

const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const toIso = (d: Date) => d.toISOString().slice(0, 10);

export function addDays(iso: string, days: number): string {
  return toIso(new Date(toDate(iso).getTime() + days * DAY));
}

/** Today in Asia/Ho_Chi_Minh. */
export function today(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Ho_Chi_Minh',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** The ISO week (2026-W49) of a local date. */
export function isoWeekOf(iso: string): string {
  const d = toDate(iso);
  const dow = d.getUTCDay() || 7;
  const thursday = new Date(d.getTime() + (4 - dow) * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday and Sunday of an ISO week. */
export function weekRange(key: string): { monday: string; sunday: string } {
  const m = WEEK.exec(key);
  if (!m) throw new Error(`not an ISO week: ${key}`);
  const year = Number(m[1]);
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Dow = new Date(jan4).getUTCDay() || 7;
  const monday = toIso(new Date(jan4 - (jan4Dow - 1) * DAY + (Number(m[2]) - 1) * 7 * DAY));
  return { monday, sunday: addDays(monday, 6) };
}

export function addWeeks(key: string, n: number): string {
  return isoWeekOf(addDays(weekRange(key).monday, n * 7));
}

export function kindOf(key: string): PeriodKind | null {
  if (WEEK.test(key)) return 'week';
  if (MONTH.test(key)) return 'month';
  if (QUARTER.test(key)) return 'quarter';
  if (YEAR.test(key)) return 'year';
  return null;
}

export function isPeriod(key: string | null | undefined): key is string {
  if (!key) return false;
  const kind = kindOf(key);
  if (!kind) return false;
  const year = Number(key.slice(0, 4));
  if (year < 2000 || year > 2100) return false;
  return kind !== 'week' || isoWeekOf(weekRange(key).monday) === key;
}

/** First and last local dates of a period. */
export function periodRange(key: string): { start: string; end: string } {
  const kind = kindOf(key);
  const y = Number(key.slice(0, 4));
  const last = (year: number, month: number) => toIso(new Date(Date.UTC(year, month, 0)));
  switch (kind) {
    case 'week': {
      const { monday, sunday } = weekRange(key);
      return { start: monday, end: sunday };
    }
    case 'month': {
      const m = Number(key.slice(5, 7));
      return { start: `${key}-01`, end: last(y, m) };
    }
    case 'quarter': {
      const q = Number(key.slice(6));
      return { start: `${y}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`, end: last(y, q * 3) };
    }
    default:
      return { start: `${y}-01-01`, end: `${y}-12-31` };
  }
}

/** The period of a kind that contains a local date. */
export function periodContaining(kind: PeriodKind, iso: string): string {
  const y = iso.slice(0, 4);
  if (kind === 'week') return isoWeekOf(iso);
  if (kind === 'month') return iso.slice(0, 7);
  if (kind === 'quarter') return `${y}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;
  return y;
}

/** The current period of each kind and the ones before it, newest first. */
export function recentPeriods(kind: PeriodKind, from = today()): string[] {
  const count = { week: 26, month: 24, quarter: 8, year: 5 }[kind];
  const out: string[] = [];
  let key = periodContaining(kind, from);
  for (let i = 0; i < count; i++) {
    out.push(key);
    key = periodContaining(kind, addDays(periodRange(key).start, -1));
  }
  return out;
}

/**
 * The ISO week a period's weekly series ends with: its last week (the one whose Thursday is inside
 * it, as the API assigns weeks to months, quarters and years), or this week while it is still open.
 */
export function lastWeekOf(key: string, now = today()): string {
  const { end } = periodRange(key);
  return end < now ? isoWeekOf(addDays(end, -3)) : isoWeekOf(now);
}

export function weekNumber(key: string): number {
  return Number(key.slice(6));
}
