/**
 * Local time in Asia/Ho_Chi_Minh, shared by every feature that buckets instants into local days
 * (learning minutes, workforce sessions and weeks). Vietnam has no daylight saving: local time is UTC+07:00 all year.
 */
export const VN_OFFSET_MS = 7 * 3600_000;

/** The local date (YYYY-MM-DD, Asia/Ho_Chi_Minh) of an instant. 23:30 UTC is the next local day. */
export function localDate(instant: Date): string {
  return new Date(instant.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** Local midnight (as a UTC instant) of a local date. */
export function localMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - VN_OFFSET_MS);
}

/** Seconds since local midnight of an instant (0 … 86399.999). */
export function secondsOfLocalDay(instant: Date): number {
  return ((instant.getTime() + VN_OFFSET_MS) % 86_400_000) / 1000;
}

/**
 * Splits the wall-clock range [from, to) into per-local-day ranges of whole seconds since local
 * midnight, e.g. 23:59:30–00:00:20 → [{day1: [86370, 86400)}, {day2: [0, 20)}].
 */
export function splitByLocalDay(from: Date, to: Date): Array<{ date: string; start: number; end: number }> {
  const out: Array<{ date: string; start: number; end: number }> = [];
  let cursor = Math.floor(from.getTime() / 1000) * 1000;
  const end = Math.floor(to.getTime() / 1000) * 1000;
  while (cursor < end) {
    const date = localDate(new Date(cursor));
    const dayEnd = localMidnight(date).getTime() + 86_400_000;
    const stop = Math.min(end, dayEnd);
    const start = Math.round(secondsOfLocalDay(new Date(cursor)));
    out.push({ date, start, end: start + Math.round((stop - cursor) / 1000) });
    cursor = stop;
  }
  return out;
}
