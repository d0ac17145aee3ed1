/** Half-open integer ranges [start, end), kept sorted and merged. */
export type Range = [number, number];

export function parseMultirange(text: string | null | undefined): Range[] {
  if (!text || text === '{}') return [];
  const out: Range[] = [];
  for (const m of text.matchAll(/([[(])(-?\d+),(-?\d+)([\])])/g)) {
    const start = Number(m[2]) + (m[1] === '(' ? 1 : 0);
    const end = Number(m[3]) + (m[4] === ']' ? 1 : 0);
    if (end > start) out.push([start, end]);
  }
  return merge(out);
}

export function formatMultirange(ranges: Range[]): string {
  return `{${ranges.map(([s, e]) => `[${s},${e})`).join(',')}}`;
}

export function merge(ranges: Range[]): Range[] {
  const sorted = [...ranges].filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export function total(ranges: Range[]): number {
  return ranges.reduce((sum, [s, e]) => sum + (e - s), 0);
}

/** Adds [start, end) to the set; returns the new set and how many units were not covered before. */
export function addRange(ranges: Range[], start: number, end: number): { ranges: Range[]; added: number } {
  if (end <= start) return { ranges, added: 0 };
  const next = merge([...ranges, [start, end]]);
  return { ranges: next, added: total(next) - total(ranges) };
}
