import { RowErrorCode } from '../workforce.exception';
import { parseReportDate, type RowContext, validateRow } from './row-validation';

const ctx = (): RowContext => ({
  roster: new Map([
    ['NV001', { id: 'w1', activeFrom: null, activeTo: null }],
    ['NV002', { id: 'w2', activeFrom: '2026-01-07', activeTo: null }],
    ['NV003', { id: 'w3', activeFrom: null, activeTo: '2026-01-05' }],
  ]),
  today: '2026-01-10',
  earliest: '2025-11-10',
  seen: new Map(),
});
const row = (values: Record<string, unknown>, rowNumber = 1) => ({ rowNumber, values });
const codes = (r: ReturnType<typeof validateRow>) => ('errors' in r ? r.errors.map((e) => `${e.field}:${e.code}`) : []);

describe('row validation', () => {
  it('accepts a good row; codes match case-insensitively; the natural key uses the folded topic', () => {
    const r = validateRow(
      row({ workerCode: ' nv001 ', date: '06/01/2026', minutes: '60', topic: ' Dịch  vụ công ' }),
      ctx(),
    );
    expect(r).toEqual({
      accepted: expect.objectContaining({
        workerId: 'w1',
        localDate: '2026-01-06',
        minutes: 60,
        topic: 'Dịch vụ công',
        sessionKey: 'topic:dich vu cong',
      }),
    });
  });

  it.each([
    [{ date: '06/01/2026', minutes: 60, topic: 'x' }, ['workerCode:WORKER_CODE_REQUIRED']],
    [{ workerCode: 'NV999', date: '06/01/2026', minutes: 60, topic: 'x' }, ['workerCode:UNKNOWN_WORKER']],
    [{ workerCode: 'NV002', date: '06/01/2026', minutes: 60, topic: 'x' }, ['workerCode:INACTIVE_WORKER']],
    [{ workerCode: 'NV003', date: '06/01/2026', minutes: 60, topic: 'x' }, ['workerCode:INACTIVE_WORKER']],
    [{ workerCode: 'NV001', minutes: 60, topic: 'x' }, ['date:DATE_REQUIRED']],
    [{ workerCode: 'NV001', date: '31/02/2026', minutes: 60, topic: 'x' }, ['date:DATE_INVALID']],
    [{ workerCode: 'NV001', date: '2026/01/06', minutes: 60, topic: 'x' }, ['date:DATE_INVALID']],
    [{ workerCode: 'NV001', date: '11/01/2026', minutes: 60, topic: 'x' }, ['date:DATE_IN_FUTURE']],
    [{ workerCode: 'NV001', date: '09/11/2025', minutes: 60, topic: 'x' }, ['date:DATE_TOO_OLD']],
    [{ workerCode: 'NV001', date: '06/01/2026', topic: 'x' }, ['minutes:MINUTES_REQUIRED']],
    [{ workerCode: 'NV001', date: '06/01/2026', minutes: '1 giờ', topic: 'x' }, ['minutes:MINUTES_INVALID']],
    [{ workerCode: 'NV001', date: '06/01/2026', minutes: 45.5, topic: 'x' }, ['minutes:MINUTES_INVALID']],
    [{ workerCode: 'NV001', date: '06/01/2026', minutes: 0, topic: 'x' }, ['minutes:MINUTES_OUT_OF_RANGE']],
    [{ workerCode: 'NV001', date: '06/01/2026', minutes: 601, topic: 'x' }, ['minutes:MINUTES_OUT_OF_RANGE']],
    [{ workerCode: 'NV001', date: '06/01/2026', minutes: 60 }, ['topic:TOPIC_REQUIRED']],
    [{ workerCode: 'NV001', date: '06/01/2026', minutes: 60, topic: 'x'.repeat(201) }, ['topic:TEXT_TOO_LONG']],
    [
      { workerCode: 'NV001', date: '06/01/2026', minutes: 60, topic: 'x', courseSlug: 'Bad Slug' },
      ['courseSlug:COURSE_SLUG_INVALID'],
    ],
    [
      { workerCode: { a: 1 }, date: 20260106, minutes: [60], topic: 'x' },
      ['workerCode:FIELD_TYPE_INVALID', 'date:FIELD_TYPE_INVALID', 'minutes:MINUTES_INVALID'],
    ],
  ])('%j → %j', (values, expected) => {
    expect(codes(validateRow(row(values), ctx()))).toEqual(expected);
  });

  it('a non-object row and a row with extra cells are malformed', () => {
    expect(codes(validateRow({ rowNumber: 3, values: null }, ctx()))).toEqual(['(row):ROW_NOT_AN_OBJECT']);
    const r = validateRow(
      {
        rowNumber: 4,
        values: { workerCode: 'NV001', date: '06/01/2026', minutes: '60', topic: 'x' },
        extraCells: true,
      },
      ctx(),
    );
    expect(codes(r)).toEqual(['(row):MALFORMED_ROW']);
  });

  it('a repeated natural key in one report is a duplicate (same topic, accents and case aside)', () => {
    const c = ctx();
    expect(
      'accepted' in validateRow(row({ workerCode: 'NV001', date: '06/01/2026', minutes: 60, topic: 'An toàn' }, 2), c),
    ).toBe(true);
    const dup = validateRow(row({ workerCode: 'nv001', date: '2026-01-06', minutes: 30, topic: 'AN TOAN' }, 3), c);
    expect(dup).toEqual({ errors: [{ rowNumber: 3, field: '(row)', code: RowErrorCode.DUPLICATE_ROW, value: '= 2' }] });
    // Another external reference on the same day is another session.
    expect(
      'accepted' in
        validateRow(
          row({ workerCode: 'NV001', date: '06/01/2026', minutes: 60, topic: 'An toàn', externalRef: 'B2' }, 4),
          c,
        ),
    ).toBe(true);
  });

  it('dates: dd/MM/yyyy, YYYY-MM-DD, local times, and instants converted to Vietnam time', () => {
    expect(parseReportDate('5/1/2026')).toBe('2026-01-05');
    expect(parseReportDate('05-01-2026')).toBe('2026-01-05');
    expect(parseReportDate('05/01/2026 23:30')).toBe('2026-01-05');
    expect(parseReportDate('2026-01-05T23:30')).toBe('2026-01-05');
    expect(parseReportDate('2026-01-04T23:30:00Z')).toBe('2026-01-05');
    expect(parseReportDate('2026-01-05T01:00:00+07:00')).toBe('2026-01-05');
    expect(parseReportDate('2026-01-05T00:30:00+09:00')).toBe('2026-01-04');
    expect(parseReportDate('29/02/2025')).toBeNull();
    expect(parseReportDate('05/01/26')).toBeNull();
    expect(parseReportDate('05/01/2026 25:00')).toBeNull();
  });
});
