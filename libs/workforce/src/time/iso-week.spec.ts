import { addWeeks, isIsoWeek, isoWeekOf, localDateOf, weekLabel, weekRange, weeksBetween } from './iso-week';

describe('ISO weeks in Asia/Ho_Chi_Minh', () => {
  it.each([
    ['2025-12-28', '2025-W52'], // Sunday
    ['2025-12-29', '2026-W01'], // Monday of the week holding 1 Jan 2026 (a Thursday)
    ['2026-01-01', '2026-W01'],
    ['2026-01-04', '2026-W01'],
    ['2026-01-05', '2026-W02'],
    ['2020-12-31', '2020-W53'], // 2020 has 53 ISO weeks
    ['2021-01-03', '2020-W53'], // … and they run into January 2021
    ['2021-01-04', '2021-W01'],
    ['2026-12-31', '2026-W53'],
    ['2027-01-03', '2026-W53'],
    ['2027-01-04', '2027-W01'],
    ['2024-12-30', '2025-W01'],
  ])('%s is in %s', (date, week) => {
    expect(isoWeekOf(date)).toBe(week);
  });

  it('week ranges run Monday to Sunday', () => {
    expect(weekRange('2026-W01')).toEqual({ monday: '2025-12-29', sunday: '2026-01-04' });
    expect(weekRange('2020-W53')).toEqual({ monday: '2020-12-28', sunday: '2021-01-03' });
    expect(weekRange('2026-W53')).toEqual({ monday: '2026-12-28', sunday: '2027-01-03' });
  });

  it('W53 exists only in long years', () => {
    expect(isIsoWeek('2020-W53')).toBe(true);
    expect(isIsoWeek('2026-W53')).toBe(true);
    expect(isIsoWeek('2025-W53')).toBe(false);
    expect(isIsoWeek('2026-W00')).toBe(false);
    expect(isIsoWeek('2026-W54')).toBe(false);
    expect(isIsoWeek('2026-2')).toBe(false);
  });

  it('23:30 UTC is the next local day (UTC+7, no daylight saving)', () => {
    expect(localDateOf(new Date('2026-01-04T23:30:00Z'))).toBe('2026-01-05');
    expect(localDateOf(new Date('2026-01-04T16:59:59Z'))).toBe('2026-01-04');
    expect(localDateOf(new Date('2026-01-04T17:00:00Z'))).toBe('2026-01-05');
    // Sunday evening UTC of week 1 is already Monday of week 2 in Vietnam.
    expect(isoWeekOf(localDateOf(new Date('2026-01-04T23:30:00Z')))).toBe('2026-W02');
  });

  it('steps and ranges across New Year', () => {
    expect(addWeeks('2026-W52', 1)).toBe('2026-W53');
    expect(addWeeks('2026-W53', 1)).toBe('2027-W01');
    expect(addWeeks('2026-W01', -1)).toBe('2025-W52');
    expect(weeksBetween('2026-W52', '2027-W02')).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
    expect(weeksBetween('2027-W02', '2026-W52')).toEqual([]);
  });

  it('agrees with a day-by-day count for ten years', () => {
    // Independent rule: a date's ISO year is the year of its week's Thursday; weeks count Thursdays.
    let day = Date.UTC(2019, 11, 30); // a Monday, 2020-W01
    let year = 2020;
    let week = 1;
    for (let i = 0; i < 3653; i++, day += 86_400_000) {
      const d = new Date(day);
      const weekday = (d.getUTCDay() + 6) % 7;
      if (weekday === 0 && i > 0) {
        const thursday = new Date(day + 3 * 86_400_000);
        if (thursday.getUTCFullYear() !== year) {
          year = thursday.getUTCFullYear();
          week = 1;
        } else week++;
      }
      expect(isoWeekOf(d.toISOString().slice(0, 10))).toBe(`${year}-W${String(week).padStart(2, '0')}`);
    }
  });

  it('labels weeks the Vietnamese way', () => {
    expect(weekLabel('2026-W02')).toBe('Tuần 02/2026 (05/01–11/01/2026)');
    expect(weekLabel('2026-W01', 'en')).toBe('Week 01 of 2026 (29/12–04/01/2026)');
  });
});
