import { ReportingException, ReportingExceptionCode } from '../reporting.exception';
import { type KpiParams, validateParams } from './kpi-definitions.service';

/** The field a refused parameter patch names (fails when the patch is accepted). */
function refusedField(code: string, current: KpiParams, patch: unknown): string | undefined {
  try {
    validateParams(code, current, patch);
  } catch (err) {
    if (err instanceof ReportingException && err.code === ReportingExceptionCode.DEFINITION_INVALID) {
      expect(err.kind).toBe('unprocessable');
      return err.options.field;
    }
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(patch)} to be refused for ${code}`);
}

const CITIZENS: KpiParams = {
  courseSlugs: ['dich-vu-cong-truc-tuyen'],
  ageMin: 15,
  ageMax: 60,
  denominatorMetric: 'working_age',
};

describe('validateParams', () => {
  it('the patch must be an object', () => {
    for (const patch of [null, undefined, 'x', 1, ['courseSlugs']]) {
      expect([patch, refusedField('OFFICIALS_TRAINED', {}, patch)]).toEqual([patch, 'params']);
    }
  });

  it('a key the KPI does not take is refused with field params.<key>', () => {
    expect(refusedField('OFFICIALS_TRAINED', {}, { foo: 1 })).toBe('params.foo');
    expect(refusedField('OFFICIALS_TRAINED', {}, { levels: ['core'] })).toBe('params.levels');
    expect(refusedField('TOT_TRAINERS', {}, { courseSlugs: ['a'] })).toBe('params.courseSlugs');
    expect(refusedField('ENTERPRISE_WEEKLY_HOUR', {}, { days: 7 })).toBe('params.days');
    expect(refusedField('CITIZENS_ONLINE_SERVICES', CITIZENS, { periodShare: 0.5 })).toBe('params.periodShare');
    // activity KPIs without parameters take none; unknown codes neither
    expect(refusedField('LEARNERS_REGISTERED', {}, { days: 7 })).toBe('params.days');
    expect(refusedField('NOPE', {}, { days: 7 })).toBe('params.days');
    // inherited object members are not parameters
    expect(refusedField('OFFICIALS_TRAINED', {}, JSON.parse('{"__proto__": {"x": 1}}'))).toBe('params.__proto__');
  });

  it('an empty patch keeps the current parameters', () => {
    expect(validateParams('CITIZENS_ONLINE_SERVICES', CITIZENS, {})).toEqual(CITIZENS);
    expect(validateParams('LEARNERS_REGISTERED', {}, {})).toEqual({});
  });

  describe('courseSlugs', () => {
    it('1–10 distinct slugs of lower-case words joined by hyphens', () => {
      expect(
        validateParams('OFFICIALS_TRAINED', {}, { courseSlugs: ['chuyen-doi-so', 'an-toan-thong-tin-2'] }),
      ).toEqual({
        courseSlugs: ['chuyen-doi-so', 'an-toan-thong-tin-2'],
      });
      for (const slugs of [
        [],
        ['a', 'a'],
        ['Chuyen-doi-so'],
        ['chuyển-đổi-số'],
        ['chuyen doi so'],
        ['-chuyen'],
        ['chuyen--doi'],
        ['chuyen-'],
        [''],
        [42],
        ['x'.repeat(101)],
        Array.from({ length: 11 }, (_, i) => `khoa-${i}`),
        'chuyen-doi-so',
        null,
      ]) {
        expect([slugs, refusedField('OFFICIALS_TRAINED', {}, { courseSlugs: slugs })]).toEqual([
          slugs,
          'params.courseSlugs',
        ]);
      }
      expect(
        validateParams('OFFICIALS_TRAINED', {}, { courseSlugs: Array.from({ length: 10 }, (_, i) => `khoa-${i}`) })
          .courseSlugs,
      ).toHaveLength(10);
    });
  });

  describe('age band', () => {
    it('whole ages 0–120, min not above max — also when only one end changes', () => {
      expect(validateParams('AI_BASICS', CITIZENS, { ageMin: 18, ageMax: 18 })).toMatchObject({
        ageMin: 18,
        ageMax: 18,
      });
      expect(refusedField('AI_BASICS', CITIZENS, { ageMin: 40, ageMax: 30 })).toBe('params.ageMax');
      // current band 15–60: raising only the minimum above 60 is refused too
      expect(refusedField('AI_BASICS', CITIZENS, { ageMin: 61 })).toBe('params.ageMax');
      expect(refusedField('AI_BASICS', CITIZENS, { ageMax: 14 })).toBe('params.ageMax');
      expect(refusedField('AI_BASICS', CITIZENS, { ageMin: -1 })).toBe('params.ageMin');
      expect(refusedField('AI_BASICS', CITIZENS, { ageMin: 15.5 })).toBe('params.ageMin');
      expect(refusedField('AI_BASICS', CITIZENS, { ageMin: '15' })).toBe('params.ageMin');
      expect(refusedField('AI_BASICS', CITIZENS, { ageMax: 121 })).toBe('params.ageMax');
      expect(validateParams('AI_BASICS', CITIZENS, { ageMax: 120 }).ageMax).toBe(120);
    });
  });

  it('denominatorMetric is one of the population_stat metrics', () => {
    expect(validateParams('AI_BASICS', CITIZENS, { denominatorMetric: 'ai_target_age' }).denominatorMetric).toBe(
      'ai_target_age',
    );
    for (const m of ['workingAge', 'total', '', null]) {
      expect([m, refusedField('AI_BASICS', CITIZENS, { denominatorMetric: m })]).toEqual([
        m,
        'params.denominatorMetric',
      ]);
    }
  });

  it('periodShare is a share in (0, 1]', () => {
    expect(validateParams('ENTERPRISE_WEEKLY_HOUR', { periodShare: 1 }, { periodShare: 0.75 })).toEqual({
      periodShare: 0.75,
    });
    expect(validateParams('ENTERPRISE_WEEKLY_HOUR', {}, { periodShare: 1 }).periodShare).toBe(1);
    for (const share of [0, 1.5, -0.1, 1.0001, '0.5', null, Number.NaN]) {
      expect([share, refusedField('ENTERPRISE_WEEKLY_HOUR', { periodShare: 1 }, { periodShare: share })]).toEqual([
        share,
        'params.periodShare',
      ]);
    }
  });

  it('levels: a non-empty set of master, core, community', () => {
    expect(validateParams('TOT_TRAINERS', { levels: ['master', 'core', 'community'] }, { levels: ['core'] })).toEqual({
      levels: ['core'],
    });
    for (const levels of [[], ['core', 'expert'], ['Core'], ['core', 'core'], 'core', [1]]) {
      expect([levels, refusedField('TOT_TRAINERS', {}, { levels })]).toEqual([levels, 'params.levels']);
    }
  });

  it('days: 1–365 whole days', () => {
    expect(validateParams('LEARNERS_ACTIVE_30D', { days: 30 }, { days: 7 })).toEqual({ days: 7 });
    for (const days of [0, 366, 7.5, '30']) {
      expect([days, refusedField('LEARNERS_ACTIVE_30D', { days: 30 }, { days })]).toEqual([days, 'params.days']);
    }
  });

  it('a valid patch merges with the current parameters and leaves them untouched', () => {
    const current = { ...CITIZENS };
    const next = validateParams('CITIZENS_ONLINE_SERVICES', current, {
      ageMax: 64,
      courseSlugs: ['dich-vu-cong-truc-tuyen', 'vneid'],
    });
    expect(next).toEqual({
      courseSlugs: ['dich-vu-cong-truc-tuyen', 'vneid'],
      ageMin: 15,
      ageMax: 64,
      denominatorMetric: 'working_age',
    });
    expect(current).toEqual(CITIZENS);
    expect(next).not.toBe(current);
  });

  it('one bad key refuses the whole patch', () => {
    expect(refusedField('CITIZENS_ONLINE_SERVICES', CITIZENS, { ageMax: 64, foo: true })).toBe('params.foo');
  });
});
