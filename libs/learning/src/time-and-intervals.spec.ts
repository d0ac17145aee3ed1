import { addRange, formatMultirange, merge, parseMultirange, total } from './intervals';
import { localDate, splitByLocalDay } from '@hocso/common';

describe('local time (Asia/Ho_Chi_Minh, UTC+7, no DST)', () => {
  it('23:30 UTC is the next local day; 16:59 UTC is still today', () => {
    expect(localDate(new Date('2026-10-10T23:30:00Z'))).toBe('2026-10-11');
    expect(localDate(new Date('2026-10-10T16:59:59Z'))).toBe('2026-10-10');
    expect(localDate(new Date('2026-10-10T17:00:00Z'))).toBe('2026-10-11');
  });

  it('splits a range at local midnight into seconds-of-day parts', () => {
    // 16:59:30Z–17:00:20Z is 23:59:30–00:00:20 in Vietnam
    expect(splitByLocalDay(new Date('2026-12-31T16:59:30Z'), new Date('2026-12-31T17:00:20Z'))).toEqual([
      { date: '2026-12-31', start: 86370, end: 86400 },
      { date: '2027-01-01', start: 0, end: 20 },
    ]);
    expect(splitByLocalDay(new Date('2026-10-10T01:00:00Z'), new Date('2026-10-10T01:00:00Z'))).toEqual([]);
  });
});

describe('coverage intervals', () => {
  it('merges overlapping and touching ranges', () => {
    expect(
      merge([
        [10, 20],
        [15, 30],
        [30, 40],
        [50, 60],
      ]),
    ).toEqual([
      [10, 40],
      [50, 60],
    ]);
  });

  it('adds only what was not covered', () => {
    const a = addRange([], 0, 60);
    expect(a.added).toBe(60);
    const b = addRange(a.ranges, 30, 90);
    expect(b.added).toBe(30);
    const c = addRange(b.ranges, 0, 90);
    expect(c.added).toBe(0);
    expect(total(c.ranges)).toBe(90);
  });

  it('round-trips PostgreSQL int4multirange text, including inclusive bounds', () => {
    expect(parseMultirange('{}')).toEqual([]);
    expect(parseMultirange('{[3600,3660),[7200,7230)}')).toEqual([
      [3600, 3660],
      [7200, 7230],
    ]);
    expect(parseMultirange('{[1,5]}')).toEqual([[1, 6]]);
    expect(
      formatMultirange([
        [3600, 3660],
        [7200, 7230],
      ]),
    ).toBe('{[3600,3660),[7200,7230)}');
  });
});
