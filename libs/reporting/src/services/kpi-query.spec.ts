import { BREAKDOWNS, figure, meets, weeklySlope } from './kpi-query.service';

describe('figure', () => {
  it('a percent with no denominator (null or 0) is "no data", never 0 %', () => {
    expect(figure('percent', 0, null)).toEqual({ value: null, numerator: 0, denominator: null, noData: true });
    expect(figure('percent', 5, null)).toEqual({ value: null, numerator: 5, denominator: null, noData: true });
    expect(figure('percent', 0, 0)).toEqual({ value: null, numerator: 0, denominator: 0, noData: true });
    expect(figure('percent', 3, 0)).toMatchObject({ value: null, noData: true });
  });

  it('a percent is rounded to one decimal', () => {
    expect(figure('percent', 1, 3)).toEqual({ value: 33.3, numerator: 1, denominator: 3, noData: false });
    expect(figure('percent', 2, 3).value).toBe(66.7);
    expect(figure('percent', 0, 10)).toEqual({ value: 0, numerator: 0, denominator: 10, noData: false });
    expect(figure('percent', 10, 10).value).toBe(100);
    expect(figure('percent', 1, 8).value).toBe(12.5);
    expect(figure('percent', 999, 1000).value).toBe(99.9);
  });

  it('counts and people are the numerator; hours are rounded to two decimals; never "no data"', () => {
    expect(figure('people', 42, null)).toEqual({ value: 42, numerator: 42, denominator: null, noData: false });
    expect(figure('count', 0, null)).toEqual({ value: 0, numerator: 0, denominator: null, noData: false });
    expect(figure('hours', 12.3456, null)).toEqual({
      value: 12.35,
      numerator: 12.3456,
      denominator: null,
      noData: false,
    });
    expect(figure('hours', 1 / 3, null).value).toBe(0.33);
  });
});

describe('meets', () => {
  it('gte: at least the target', () => {
    expect(meets(80, 80, 'gte')).toBe(true);
    expect(meets(80.1, 80, 'gte')).toBe(true);
    expect(meets(79.9, 80, 'gte')).toBe(false);
  });

  it('gt: more than the target (80 % is not "more than 80 %")', () => {
    expect(meets(80, 80, 'gt')).toBe(false);
    expect(meets(80.1, 80, 'gt')).toBe(true);
    expect(meets(79, 80, 'gt')).toBe(false);
  });
});

describe('weeklySlope', () => {
  it('null with fewer than 3 points', () => {
    expect(weeklySlope([])).toBeNull();
    expect(weeklySlope([{ week: 0, value: 1 }])).toBeNull();
    expect(
      weeklySlope([
        { week: 0, value: 1 },
        { week: 1, value: 5 },
      ]),
    ).toBeNull();
  });

  it('the slope of a perfect line, whatever the order of the points or the gaps between weeks', () => {
    const line = (weeks: number[], a: number, b: number) => weeks.map((week) => ({ week, value: a + b * week }));
    expect(weeklySlope(line([0, 1, 2], 10, 2))).toBeCloseTo(2, 10);
    expect(weeklySlope(line([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 5, 1.5))).toBeCloseTo(1.5, 10);
    expect(weeklySlope(line([11, 3, 7, 0], 60, -0.25))).toBeCloseTo(-0.25, 10);
    expect(weeklySlope(line([0, 5, 6], 100, 0))).toBe(0);
  });

  it('the least-squares slope of noisy points', () => {
    // (0,1) (1,2) (2,2) (3,4): slope = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)² = 4.5 / 5 = 0.9
    expect(
      weeklySlope([
        { week: 0, value: 1 },
        { week: 1, value: 2 },
        { week: 2, value: 2 },
        { week: 3, value: 4 },
      ]),
    ).toBeCloseTo(0.9, 10);
  });

  it('null when every point is the same week (no line)', () => {
    expect(
      weeklySlope([
        { week: 4, value: 1 },
        { week: 4, value: 2 },
        { week: 4, value: 3 },
      ]),
    ).toBeNull();
  });
});

describe('BREAKDOWNS', () => {
  it('shares of a population break down by commune only; enterprises by park or enterprise', () => {
    expect(BREAKDOWNS.CITIZENS_ONLINE_SERVICES).toEqual(['commune']);
    expect(BREAKDOWNS.AI_BASICS).toEqual(['commune']);
    expect(BREAKDOWNS.ENTERPRISE_WEEKLY_HOUR).toEqual(['park', 'enterprise']);
    expect(BREAKDOWNS.OFFICIALS_TRAINED).toContain('position');
  });
});
