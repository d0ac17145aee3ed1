/**
 * Local dates and ISO 8601 weeks in Asia/Ho_Chi_Minh (CONTEXT.md §6.1). Vietnam keeps UTC+07:00
 * all year (no daylight saving), so an instant's local date is its UTC date after adding 7 hours:
 * a session at 23:30 UTC belongs to the next local day. Weeks are ISO weeks (Monday first, week 1
 * holds the year's first Thursday) — never locale week numbers (CLDR `vi` has minimalDays = 1,
 * which numbers the days around New Year differently).
 */
export const WORKFORCE_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const DAY_MS = 86_400_000;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/** Days since 1970-01-01 of a valid YYYY-MM-DD, or null when it is not a real calendar date. */
export function epochDay(localDate: string): number | null {
  const m = LOCAL_DATE.exec(localDate);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return t / DAY_MS;
}

export function isLocalDate(value: string): boolean {
  return epochDay(value) !== null;
}

function fromEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The local date (YYYY-MM-DD, Asia/Ho_Chi_Minh) of an instant — the one shared helper. */
export { localDate as localDateOf } from '@hocso/common';

export function addDays(localDate: string, days: number): string {
  const d = epochDay(localDate);
  if (d === null) throw new RangeError(`not a date: ${localDate}`);
  return fromEpochDay(d + days);
}

/** Monday = 0 … Sunday = 6. */
function weekdayIndex(day: number): number {
  // 1970-01-01 was a Thursday (index 3).
  return (((day + 3) % 7) + 7) % 7;
}

/** The ISO week (YYYY-Www) a local date belongs to. */
export function isoWeekOf(localDate: string): string {
  const day = epochDay(localDate);
  if (day === null) throw new RangeError(`not a date: ${localDate}`);
  const thursday = day - weekdayIndex(day) + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1) / DAY_MS;
  const week = Math.floor((thursday - jan1) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday of ISO week 1 of an ISO week-year. */
function week1Monday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4) / DAY_MS;
  return jan4 - weekdayIndex(jan4);
}

/** True for a well-formed YYYY-Www that exists (W53 only in years that have one). */
export function isIsoWeek(value: string): boolean {
  const m = ISO_WEEK.exec(value);
  if (!m) return false;
  const week = Number(m[2]);
  if (week < 1 || week > 53) return false;
  return isoWeekOf(fromEpochDay(week1Monday(Number(m[1])) + (week - 1) * 7)) === value;
}

/** First (Monday) and last (Sunday) local dates of an ISO week. */
export function weekRange(isoWeek: string): { monday: string; sunday: string } {
  if (!isIsoWeek(isoWeek)) throw new RangeError(`not an ISO week: ${isoWeek}`);
  const m = ISO_WEEK.exec(isoWeek)!;
  const monday = week1Monday(Number(m[1])) + (Number(m[2]) - 1) * 7;
  return { monday: fromEpochDay(monday), sunday: fromEpochDay(monday + 6) };
}

export function addWeeks(isoWeek: string, weeks: number): string {
  return isoWeekOf(addDays(weekRange(isoWeek).monday, weeks * 7));
}

/** Every ISO week from `from` to `to`, inclusive (empty when from > to). */
export function weeksBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const end = weekRange(to).monday;
  for (let w = from; weekRange(w).monday <= end; w = addWeeks(w, 1)) out.push(w);
  return out;
}

/** "Tuần 02/2026 (05/01–11/01/2026)": how a week is shown to people (CONTEXT.md §6.1). */
export function weekLabel(isoWeek: string, locale: 'vi' | 'en' = 'vi'): string {
  const { monday, sunday } = weekRange(isoWeek);
  const dm = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}`;
  const [year, week] = isoWeek.split('-W');
  const range = `${dm(monday)}–${dm(sunday)}/${sunday.slice(0, 4)}`;
  return locale === 'vi' ? `Tuần ${week}/${year} (${range})` : `Week ${week} of ${year} (${range})`;
}
