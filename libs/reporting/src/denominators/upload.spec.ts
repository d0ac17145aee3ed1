import { ReportingException, ReportingExceptionCode } from '../reporting.exception';
import { OFFICIALS_UPLOAD, PARK_LIST_UPLOAD, POPULATION_UPLOAD } from './denominators.service';
import { parseCount, parseDate, readUpload, RowErrors, text, type UploadSpec } from './upload';

type F = 'orgUnitCode' | 'period' | 'population' | 'source';
const SPEC: UploadSpec<F> = {
  aliases: {
    orgUnitCode: ['mã đơn vị', 'org unit code', 'orgunitcode'],
    period: ['năm', 'year', 'period'],
    population: ['dân số', 'population'],
    source: ['nguồn', 'source'],
  },
  required: ['orgUnitCode', 'period'],
  maxRows: 3,
};

/** The ReportingException a call throws (fails when it throws nothing or something else). */
function caught(fn: () => unknown): ReportingException {
  try {
    fn();
  } catch (err) {
    if (err instanceof ReportingException) return err;
    throw err;
  }
  throw new Error('expected a ReportingException');
}

const CSV = 'text/csv; charset=utf-8';

describe('readUpload', () => {
  describe('JSON', () => {
    it('reads { rows } with 1-based row numbers, keeps known fields only and returns the other members', () => {
      const out = readUpload(SPEC, 'application/json; charset=utf-8', {
        rows: [
          { orgUnitCode: 'X01', period: '2025', population: 1200, foo: 'dropped' },
          { orgUnitCode: 'X02', period: 2025, source: null },
        ],
        asOf: '2026-01-01',
      });
      expect(out).toEqual({
        format: 'json',
        extra: { asOf: '2026-01-01' },
        rows: [
          { rowNumber: 1, values: { orgUnitCode: 'X01', period: '2025', population: 1200 } },
          { rowNumber: 2, values: { orgUnitCode: 'X02', period: 2025, source: null } },
        ],
      });
    });

    it('JSON is the default when there is no content type', () => {
      expect(readUpload(SPEC, undefined, { rows: [{ period: '2025' }] }).format).toBe('json');
    });

    it('a row that is not an object is flagged invalid, the others are kept', () => {
      const out = readUpload({ ...SPEC, maxRows: 10 }, 'application/json', {
        rows: [5, null, ['X01'], 'X01', { orgUnitCode: 'X01' }],
      });
      expect(out.rows.map((r) => [r.rowNumber, r.invalid ?? false])).toEqual([
        [1, true],
        [2, true],
        [3, true],
        [4, true],
        [5, false],
      ]);
      expect(out.rows[0].values).toEqual({});
    });

    it('a body that is not an object, or rows that are not an array → UPLOAD_MALFORMED (field rows)', () => {
      for (const body of [
        undefined,
        null,
        'rows',
        42,
        [{ orgUnitCode: 'X' }],
        {},
        { rows: 'X01' },
        { rows: { 0: {} } },
      ]) {
        const err = caught(() => readUpload(SPEC, 'application/json', body));
        expect([body, err.code, err.options.field]).toEqual([body, ReportingExceptionCode.UPLOAD_MALFORMED, 'rows']);
        expect(err.kind).toBe('invalid');
      }
    });

    it('no rows → UPLOAD_EMPTY; more than maxRows → UPLOAD_TOO_LARGE', () => {
      expect(caught(() => readUpload(SPEC, 'application/json', { rows: [] }))).toMatchObject({
        code: ReportingExceptionCode.UPLOAD_EMPTY,
        options: { field: 'rows' },
      });
      expect(readUpload(SPEC, 'application/json', { rows: [{}, {}, {}] }).rows).toHaveLength(3);
      expect(caught(() => readUpload(SPEC, 'application/json', { rows: [{}, {}, {}, {}] }))).toMatchObject({
        code: ReportingExceptionCode.UPLOAD_TOO_LARGE,
        options: { field: 'rows' },
      });
    });
  });

  describe('CSV', () => {
    it('Excel’s CSV UTF-8: BOM, semicolons, Vietnamese headers, spreadsheet row numbers (blank rows counted)', () => {
      const csv =
        '\ufeffSTT;Mã đơn vị;Năm;Dân số;Nguồn\r\n' +
        '1;X01;2025;12.345;"Cục Thống kê; niên giám"\r\n' +
        ';;;;\r\n' +
        '\r\n' +
        '2; X02 ;2025;;\r\n';
      const out = readUpload(SPEC, CSV, csv);
      expect(out).toEqual({
        format: 'csv',
        extra: {},
        rows: [
          {
            rowNumber: 2,
            values: { orgUnitCode: 'X01', period: '2025', population: '12.345', source: 'Cục Thống kê; niên giám' },
          },
          { rowNumber: 5, values: { orgUnitCode: 'X02', period: '2025' } },
        ],
      });
    });

    it('headers match without diacritics, case or punctuation; commas and tabs work too', () => {
      const plain = readUpload(SPEC, 'application/csv', 'MA DON VI,NAM,DAN SO\nX01,2025,"1,234"\n');
      expect(plain.rows).toEqual([
        { rowNumber: 2, values: { orgUnitCode: 'X01', period: '2025', population: '1,234' } },
      ]);
      const english = readUpload(SPEC, CSV, 'Org unit code\tYear\nX01\t2025\n');
      expect(english.rows[0].values).toEqual({ orgUnitCode: 'X01', period: '2025' });
      const decomposed = readUpload(SPEC, CSV, `${'Mã đơn vị'.normalize('NFD')};${'Năm'.normalize('NFD')}\nX01;2025`);
      expect(decomposed.rows[0].values).toEqual({ orgUnitCode: 'X01', period: '2025' });
    });

    it('the real upload specs recognise the headers people write', () => {
      const pop = readUpload(
        POPULATION_UPLOAD,
        CSV,
        'Mã đơn vị;Năm;Dân số;Dân số trong độ tuổi lao động;Nguồn;Ngày số liệu\nX01;2025;12.345;8.000;Cục Thống kê;31/12/2025\n',
      );
      expect(pop.rows[0].values).toEqual({
        orgUnitCode: 'X01',
        period: '2025',
        population: '12.345',
        workingAge: '8.000',
        source: 'Cục Thống kê',
        sourceDate: '31/12/2025',
      });
      const officials = readUpload(
        OFFICIALS_UPLOAD,
        CSV,
        'HO VA TEN;E-mail;SĐT;Chức vụ\nNguyễn Văn An;an@example.vn;0912345678;Chuyên viên\n',
      );
      expect(officials.rows[0].values).toEqual({
        fullName: 'Nguyễn Văn An',
        email: 'an@example.vn',
        phone: '0912345678',
        position: 'Chuyên viên',
      });
      const park = readUpload(PARK_LIST_UPLOAD, CSV, 'MST,Tên doanh nghiệp,Từ ngày\n4601234567,Công ty A,01/01/2020\n');
      expect(park.rows[0].values).toEqual({ taxCode: '4601234567', name: 'Công ty A', operatingFrom: '01/01/2020' });
    });

    it('a missing required column → CSV_MISSING_COLUMNS with the missing columns and the headers seen', () => {
      const err = caught(() => readUpload(SPEC, CSV, 'Mã đơn vị;Dân số\nX01;100\n'));
      expect(err).toMatchObject({
        code: ReportingExceptionCode.CSV_MISSING_COLUMNS,
        options: { field: 'file', extensions: { missingColumns: ['period'], headers: ['Mã đơn vị', 'Dân số'] } },
      });
      const both = caught(() => readUpload(SPEC, CSV, 'STT;Ghi chú\n1;x\n'));
      expect(both.options.extensions?.missingColumns).toEqual(['orgUnitCode', 'period']);
      const pop = caught(() => readUpload(POPULATION_UPLOAD, CSV, 'Mã đơn vị;Năm;Dân số\nX01;2025;1\n'));
      expect(pop.options.extensions?.missingColumns).toEqual(['source', 'sourceDate']);
    });

    it('text decoded from a non-UTF-8 file (U+FFFD) → CSV_NOT_UTF8', () => {
      const latin1 = Buffer.from('Mã đơn vị;Năm\nX01;2025\n', 'latin1').toString('utf8');
      expect(caught(() => readUpload(SPEC, CSV, latin1))).toMatchObject({
        code: ReportingExceptionCode.CSV_NOT_UTF8,
        options: { field: 'file' },
      });
      expect(caught(() => readUpload(SPEC, CSV, 'Mã đơn vị;Năm\nX01;20\ufffd25\n')).code).toBe(
        ReportingExceptionCode.CSV_NOT_UTF8,
      );
    });

    it('empty file, blanks only, or a header without data rows → UPLOAD_EMPTY', () => {
      for (const body of ['', '\ufeff', '  \r\n ', 'Mã đơn vị;Năm\r\n', 'Mã đơn vị;Năm\r\n;\r\n\r\n']) {
        expect([body, caught(() => readUpload(SPEC, CSV, body)).code]).toEqual([
          body,
          ReportingExceptionCode.UPLOAD_EMPTY,
        ]);
      }
    });

    it('more data rows than maxRows → UPLOAD_TOO_LARGE (blank rows do not count)', () => {
      const rows = (n: number) => Array.from({ length: n }, (_, i) => `X0${i};2025`).join('\n');
      expect(readUpload(SPEC, CSV, `Mã đơn vị;Năm\n${rows(3)}\n;\n\n`).rows).toHaveLength(3);
      expect(caught(() => readUpload(SPEC, CSV, `Mã đơn vị;Năm\n${rows(4)}\n`))).toMatchObject({
        code: ReportingExceptionCode.UPLOAD_TOO_LARGE,
        options: { field: 'file' },
      });
    });

    it('a quote never closed → UPLOAD_MALFORMED', () => {
      expect(
        caught(() => readUpload(SPEC, CSV, 'Mã đơn vị;Năm;Nguồn\nX01;2025;"Cục Thống kê\nX02;2025;x\n')),
      ).toMatchObject({ code: ReportingExceptionCode.UPLOAD_MALFORMED, options: { field: 'file' } });
    });

    it('a CSV body that is not text → UPLOAD_MALFORMED (field file)', () => {
      for (const body of [undefined, { rows: [] }, Buffer.from('a;b')]) {
        expect(caught(() => readUpload(SPEC, CSV, body))).toMatchObject({
          code: ReportingExceptionCode.UPLOAD_MALFORMED,
          options: { field: 'file' },
        });
      }
    });
  });

  describe('multipart', () => {
    it('reads the "file" field as CSV and returns the other fields', () => {
      const out = readUpload(SPEC, 'multipart/form-data; boundary=----x', {
        file: '\ufeffMã đơn vị;Năm\r\nX01;2025\r\n',
        asOf: '01/01/2026',
      });
      expect(out).toEqual({
        format: 'csv',
        extra: { asOf: '01/01/2026' },
        rows: [{ rowNumber: 2, values: { orgUnitCode: 'X01', period: '2025' } }],
      });
    });

    it('without a file field → UPLOAD_MALFORMED (field file)', () => {
      for (const body of [{ asOf: '2026-01-01' }, undefined, 'x']) {
        expect(caught(() => readUpload(SPEC, 'multipart/form-data; boundary=x', body))).toMatchObject({
          code: ReportingExceptionCode.UPLOAD_MALFORMED,
          options: { field: 'file' },
        });
      }
    });
  });
});

describe('parseCount', () => {
  it('reads whole numbers, with Vietnamese (dots), English (commas) or space grouping', () => {
    expect(parseCount(0)).toBe(0);
    expect(parseCount(1234)).toBe(1234);
    expect(parseCount('1234')).toBe(1234);
    expect(parseCount(' 42 ')).toBe(42);
    expect(parseCount('1.234.567')).toBe(1234567);
    expect(parseCount('12.345')).toBe(12345);
    expect(parseCount('1,234')).toBe(1234);
    expect(parseCount('1 234 567')).toBe(1234567);
    expect(parseCount('1\u00a0234')).toBe(1234);
    expect(parseCount('2000000000')).toBe(2_000_000_000);
  });

  it('refuses decimals, negatives, bad grouping, huge values and other types (null)', () => {
    for (const v of [
      '12.5',
      '1.23',
      '1.2345',
      '12,5',
      '-3',
      -3,
      3.5,
      '3.5',
      '1.234,5',
      '1e3',
      'abc',
      '12 người',
      '2000000001',
      2_000_000_001,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      true,
      {},
      ['1'],
    ]) {
      expect([v, parseCount(v)]).toEqual([v, null]);
    }
  });

  it('absent values are undefined', () => {
    expect(parseCount('')).toBeUndefined();
    expect(parseCount(undefined)).toBeUndefined();
    expect(parseCount(null)).toBeUndefined();
  });
});

describe('parseDate', () => {
  it('reads dd/MM/yyyy (also without leading zeros) and yyyy-MM-dd', () => {
    expect(parseDate('31/12/2025')).toBe('2025-12-31');
    expect(parseDate('1/2/2026')).toBe('2026-02-01');
    expect(parseDate(' 05/01/2026 ')).toBe('2026-01-05');
    expect(parseDate('2025-12-31')).toBe('2025-12-31');
    expect(parseDate('29/02/2024')).toBe('2024-02-29');
  });

  it('refuses dates that do not exist and other shapes (null)', () => {
    for (const v of [
      '31/02/2025',
      '29/02/2025',
      '2025-02-30',
      '32/01/2026',
      '01/13/2026',
      '12/31/2025',
      '2025/12/31',
      '31-12-2025',
      '31.12.2025',
      '2025-1-5',
      'hôm nay',
      45000,
      new Date('2025-12-31'),
    ]) {
      expect([v, parseDate(v)]).toEqual([v, null]);
    }
  });

  it('absent values are undefined', () => {
    expect(parseDate('')).toBeUndefined();
    expect(parseDate(undefined)).toBeUndefined();
    expect(parseDate(null)).toBeUndefined();
  });
});

describe('text', () => {
  it('trims, collapses spaces and NFC-normalises; blank is absent, too long is flagged', () => {
    expect(text('  Nguyễn   Văn  An ', 50)).toBe('Nguyễn Văn An');
    expect(text('Nguyễn'.normalize('NFD'), 50)).toBe('Nguyễn');
    expect(text(2025, 4)).toBe('2025');
    expect(text('   ', 10)).toBeUndefined();
    expect(text(undefined, 10)).toBeUndefined();
    expect(text(null, 10)).toBeUndefined();
    expect(text('abcdef', 5)).toBe('tooLong');
    expect(text(true, 10)).toBeNull();
    expect(text({}, 10)).toBeNull();
  });
});

describe('RowErrors', () => {
  it('names each error rows.<row>.<field> with a message in the caller’s language', () => {
    const vi = new RowErrors('vi');
    vi.add(3, 'period', 'year');
    vi.add(5, 'orgUnitCode', 'unknownUnit');
    expect(vi.list).toEqual([
      { field: 'rows.3.period', row: 3, code: 'year', message: 'Năm phải là 4 chữ số, ví dụ 2025.' },
      {
        field: 'rows.5.orgUnitCode',
        row: 5,
        code: 'unknownUnit',
        message: 'Không có đơn vị với mã này (hoặc ngoài phạm vi của bạn).',
      },
    ]);
    const en = new RowErrors('en');
    en.add(2, 'population', 'count');
    en.add(2, 'email', 'contact');
    expect(en.list.map((e) => e.message)).toEqual([
      'Must be a whole number, 0 or more.',
      'An e-mail or a phone number is required.',
    ]);
  });

  it('every message code has a Vietnamese and an English text', () => {
    const codes = [
      'required',
      'type',
      'tooLong',
      'unknownUnit',
      'year',
      'count',
      'date',
      'dateOrder',
      'email',
      'phone',
      'contact',
      'position',
      'taxCode',
      'duplicate',
      'noMetric',
    ];
    const vi = new RowErrors('vi');
    const en = new RowErrors('en');
    for (const c of codes) {
      vi.add(1, 'x', c);
      en.add(1, 'x', c);
    }
    for (const [i, c] of codes.entries()) {
      expect([c, typeof vi.list[i].message, vi.list[i].message.length > 5]).toEqual([c, 'string', true]);
      expect([c, typeof en.list[i].message, en.list[i].message.length > 5]).toEqual([c, 'string', true]);
      expect([c, vi.list[i].message === en.list[i].message]).toEqual([c, false]);
    }
  });

  it('throwIfAny does nothing without errors', () => {
    expect(() => new RowErrors('vi').throwIfAny(10)).not.toThrow();
  });

  it('throwIfAny refuses the upload: UPLOAD_ROWS_INVALID (422) with every error, the row count and the bad-row count', () => {
    const errors = new RowErrors('en');
    errors.add(2, 'period', 'year');
    errors.add(2, 'population', 'count');
    errors.add(4, 'orgUnitCode', 'duplicate');
    const err = caught(() => errors.throwIfAny(7));
    expect(err.code).toBe(ReportingExceptionCode.UPLOAD_ROWS_INVALID);
    expect(err.kind).toBe('unprocessable');
    expect(err.options.field).toBeUndefined();
    expect(err.options.extensions).toEqual({
      totalRows: 7,
      invalidRows: 2,
      errors: [
        { field: 'rows.2.period', row: 2, code: 'year', message: 'The year must have 4 digits, e.g. 2025.' },
        { field: 'rows.2.population', row: 2, code: 'count', message: 'Must be a whole number, 0 or more.' },
        { field: 'rows.4.orgUnitCode', row: 4, code: 'duplicate', message: 'Duplicates an earlier row.' },
      ],
    });
    expect(err.messageIn('vi')).toMatch(/chưa có dòng nào được lưu/);
    expect(err.messageIn('en')).toMatch(/nothing was saved/);
  });

  it('keeps at most 200 errors', () => {
    const errors = new RowErrors('vi');
    for (let i = 2; i < 400; i++) errors.add(i, 'period', 'year');
    expect(errors.list).toHaveLength(200);
    const err = caught(() => errors.throwIfAny(398));
    expect(err.options.extensions).toMatchObject({ totalRows: 398 });
    expect(err.options.extensions?.errors).toHaveLength(200);
  });
});
