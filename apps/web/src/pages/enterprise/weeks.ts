/** ISO weeks (Monday first) of dates in Asia/Ho_Chi_Minh, as the API names them: 2026-W02. */
const DAY = 86_400_000;

/** Today's local date in Vietnam as a UTC midnight. */
export function todayVietnam(now = new Date()): Date {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Ho_Chi_Minh',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .format(now)
    .split('-')
    .map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

export function isoWeek(date: Date): string {
  const day = (date.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(date.getTime() + (3 - day) * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The last `count` ISO weeks ending `back` weeks before the current one, newest first. */
export function recentWeeks(count: number, back = 0, now = new Date()): string[] {
  const today = todayVietnam(now);
  const out: string[] = [];
  for (let i = back; i < back + count; i++) out.push(isoWeek(new Date(today.getTime() - i * 7 * DAY)));
  return out;
}

/** Monday and Sunday (YYYY-MM-DD) of an ISO week. */
export function weekRange(week: string): { monday: string; sunday: string } {
  const [y, w] = week.split('-W').map(Number);
  const jan4 = new Date(Date.UTC(y, 0, 4));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * DAY + (w - 1) * 7 * DAY);
  const sunday = new Date(monday.getTime() + 6 * DAY);
  return { monday: monday.toISOString().slice(0, 10), sunday: sunday.toISOString().slice(0, 10) };
}
