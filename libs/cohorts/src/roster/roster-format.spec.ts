import { CohortException, CohortExceptionCode, RosterRowCode } from '../cohorts.exception';
import { type ParsedRoster, ROSTER_MAX_ROWS, readRoster } from './roster-format';

/** The CohortException thrown by `fn` (fails the test when nothing or something else is thrown). */
function refusal(fn: () => unknown): CohortException {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CohortException);
    return err as CohortException;
  }
  throw new Error('expected a CohortException');
}

const csv = (text: string) => readRoster('text/csv; charset=utf-8', text);
const json = (members: unknown) => readRoster('application/json', { members });
const errorsOf = (r: ParsedRoster) => r.errors.map((e) => `${e.rowNumber}:${e.field}:${e.code}`);

/** A commune's list as saved by Excel in the Vietnamese locale: BOM, semicolons, CRLF, extra columns. */
const DEPARTMENT = [
  '\ufeffSTT;Họ và tên;Chức vụ;Số điện thoại;Email;Mã xã/phường;Ghi chú',
  '1;Nguyễn Văn An;Chủ tịch UBND;0912 345 678;An.Nguyen@HoaBinh.gov.vn;00004;"Trưởng ban; phụ trách chung"',
  '2;"Trần   Thị Bích  Ngọc";Công chức Văn phòng - Thống kê;912345679;;00004;',
  '3;Lê Đức Thắng;"Công chức Tư pháp - Hộ tịch";+84 987 654 321;thang.ld@example.vn; 00007 ;',
  '4;Phạm Thị Hồng Nhung;Văn thư;;nhung.pth@example.vn;;Nghỉ sinh',
  '',
].join('\r\n');

describe('roster CSV', () => {
  it('reads a department list: BOM, semicolons, a quoted semicolon, Vietnamese names, extra columns', () => {
    const r = csv(DEPARTMENT);
    expect(r).toEqual({
      format: 'csv',
      totalRows: 4,
      errors: [],
      entries: [
        {
          rowNumber: 2,
          fullName: 'Nguyễn Văn An',
          email: 'an.nguyen@hoabinh.gov.vn',
          phone: '+84912345678',
          orgUnitCode: '00004',
        },
        { rowNumber: 3, fullName: 'Trần Thị Bích Ngọc', email: null, phone: '+84912345679', orgUnitCode: '00004' },
        {
          rowNumber: 4,
          fullName: 'Lê Đức Thắng',
          email: 'thang.ld@example.vn',
          phone: '+84987654321',
          orgUnitCode: '00007',
        },
        {
          rowNumber: 5,
          fullName: 'Phạm Thị Hồng Nhung',
          email: 'nhung.pth@example.vn',
          phone: null,
          orgUnitCode: null,
        },
      ],
    });
  });

  it('stores names in NFC whatever the file used (macOS Numbers writes NFD)', () => {
    const nfd = 'Nguyễn Thị Ánh'.normalize('NFD');
    const r = csv(`Họ tên,SĐT\n${nfd},0912345678\n`);
    expect(r.entries[0].fullName).toBe('Nguyễn Thị Ánh');
    expect(r.entries[0].fullName).toBe(r.entries[0].fullName.normalize('NFC'));
  });

  it('reads a comma CSV with English headers and quoted commas', () => {
    const r = csv('Full name,E-mail,Phone,Unit code\n"Hoàng Văn Minh, Jr",minh@example.vn,0361234567,HN-01\n');
    expect(r.entries).toEqual([
      {
        rowNumber: 2,
        fullName: 'Hoàng Văn Minh, Jr',
        email: 'minh@example.vn',
        phone: '+84361234567',
        orgUnitCode: 'HN-01',
      },
    ]);
  });

  it('reads a tab-separated file with headers in capitals without accents', () => {
    const r = csv('HO VA TEN\tDIEN THOAI\tMA DV\nVũ Thị Lan\t0701234567\tX1\n');
    expect(r.entries).toEqual([
      { rowNumber: 2, fullName: 'Vũ Thị Lan', email: null, phone: '+84701234567', orgUnitCode: 'X1' },
    ]);
  });

  it('refuses a Windows-1258 / Latin-1 file as not UTF-8', () => {
    const bytes = Buffer.from('Họ tên;Email\r\nNguyén Van An;an@example.vn\r\n', 'latin1');
    const e = refusal(() => csv(bytes.toString('utf8')));
    expect(e.code).toBe(CohortExceptionCode.CSV_NOT_UTF8);
    expect(e.options.field).toBe('file');
  });

  it('refuses a file without a name column, or without any contact column, naming what is missing', () => {
    const noName = refusal(() => csv('STT;Email;SĐT\n1;a@example.vn;0912345678\n'));
    expect(noName.code).toBe(CohortExceptionCode.CSV_MISSING_COLUMNS);
    expect(noName.options).toEqual({
      field: 'file',
      extensions: { missingColumns: ['fullName'], headers: ['STT', 'Email', 'SĐT'] },
    });
    const noContact = refusal(() => csv('STT,Họ và tên,Chức vụ\n1,Nguyễn Văn An,Cán bộ\n'));
    expect(noContact.options.extensions).toEqual({
      missingColumns: ['emailOrPhone'],
      headers: ['STT', 'Họ và tên', 'Chức vụ'],
    });
  });

  it('finds duplicates: the same e-mail in another case, the same phone written another way', () => {
    const r = csv(
      [
        'Họ và tên,Email,Số điện thoại',
        'Nguyễn Văn An,an@example.vn,',
        'Nguyễn Văn An,AN@Example.VN,',
        'Trần Thị Bình,,0912.345.678',
        'Trần Thị Bình (2),,+84 912 345 678',
        'Lê Văn Cường,cuong@example.vn,84912345678',
      ].join('\n'),
    );
    expect(r.entries.map((e) => [e.rowNumber, e.fullName])).toEqual([
      [2, 'Nguyễn Văn An'],
      [4, 'Trần Thị Bình'],
    ]);
    expect(r.errors).toEqual([
      {
        rowNumber: 3,
        code: RosterRowCode.DUPLICATE_IN_ROSTER,
        field: 'email',
        duplicateOfRow: 2,
        fullName: 'Nguyễn Văn An',
      },
      {
        rowNumber: 5,
        code: RosterRowCode.DUPLICATE_IN_ROSTER,
        field: 'phone',
        duplicateOfRow: 4,
        fullName: 'Trần Thị Bình (2)',
      },
      {
        rowNumber: 6,
        code: RosterRowCode.DUPLICATE_IN_ROSTER,
        field: 'phone',
        duplicateOfRow: 4,
        fullName: 'Lê Văn Cường',
      },
    ]);
    expect(r.totalRows).toBe(5);
  });

  it('refuses phones that are too short, landlines, or hold letters', () => {
    const r = csv(
      [
        'Họ và tên;SĐT',
        'Người Một;09123',
        'Người Hai;0243 823 4567',
        'Người Ba;0912abc678',
        'Người Bốn;0912345678 (Zalo)',
        'Người Năm;+1 202 555 0100',
      ].join('\n'),
    );
    expect(r.entries).toEqual([]);
    expect(r.errors).toEqual(
      ['Người Một', 'Người Hai', 'Người Ba', 'Người Bốn', 'Người Năm'].map((fullName, i) => ({
        rowNumber: i + 2,
        code: RosterRowCode.PHONE_INVALID,
        field: 'phone',
        fullName,
      })),
    );
  });

  it('accepts what Excel makes of mobile numbers: leading 0 dropped, 84 prefix, spaces, dots', () => {
    const r = csv(
      [
        'Họ và tên;Di động',
        'A;912345678',
        'B;84987654321',
        'C;+84 361 234 567',
        'D;0701.234.567',
        'E;0861-234-567',
      ].join('\n'),
    );
    expect(r.errors).toEqual([]);
    expect(r.entries.map((e) => e.phone)).toEqual([
      '+84912345678',
      '+84987654321',
      '+84361234567',
      '+84701234567',
      '+84861234567',
    ]);
  });

  it('reads a combined contact column: "@" means e-mail, anything else a phone', () => {
    const r = csv(
      [
        'STT;Họ và tên;Email hoặc SĐT;Ghi chú',
        '1;Đỗ Thị Mai;Mai.Do@Example.vn;',
        '2;Bùi Văn Nam;0987 654 321;',
        '3;Ngô Thị Oanh;oanh@;',
        '4;Đinh Văn Phúc;;chưa có',
      ].join('\n'),
    );
    expect(r.entries).toEqual([
      { rowNumber: 2, fullName: 'Đỗ Thị Mai', email: 'mai.do@example.vn', phone: null, orgUnitCode: null },
      { rowNumber: 3, fullName: 'Bùi Văn Nam', email: null, phone: '+84987654321', orgUnitCode: null },
    ]);
    expect(errorsOf(r)).toEqual(['4:email:EMAIL_INVALID', '5:email:CONTACT_REQUIRED']);
    expect(r.errors[1].fullName).toBe('Đinh Văn Phúc');
    expect(csv('Họ tên,Email/SĐT\nA,0912345678\n').entries[0].phone).toBe('+84912345678');
    expect(csv('Name,Contact\nA,a@example.vn\n').entries[0].email).toBe('a@example.vn');
  });

  it('skips blank lines, rows of empty cells and pre-numbered rows, keeping spreadsheet row numbers', () => {
    const r = csv(
      [
        'STT,Họ và tên,Email',
        '1,Nguyễn Văn An,an@example.vn',
        '',
        ',,',
        '  ,  ,  ',
        '2,Lê Thị Bé,be@example.vn',
        '3,,',
        '4,,',
      ].join('\r\n'),
    );
    expect(r.entries.map((e) => [e.rowNumber, e.email])).toEqual([
      [2, 'an@example.vn'],
      [6, 'be@example.vn'],
    ]);
    expect(r.errors).toEqual([]);
    expect(r.totalRows).toBe(2);
  });

  it('reports per-row problems of names and unit codes without throwing', () => {
    const long = 'Nguyễn '.repeat(20).trim();
    const r = csv(
      `Họ và tên,Email,Mã đơn vị\n,a@example.vn,\n${long},b@example.vn,\nC,c@example.vn,${'X'.repeat(33)}\n`,
    );
    expect(r.entries).toEqual([]);
    expect(r.errors).toEqual([
      { rowNumber: 2, code: RosterRowCode.NAME_REQUIRED, field: 'fullName' },
      { rowNumber: 3, code: RosterRowCode.TEXT_TOO_LONG, field: 'fullName', fullName: `${long.slice(0, 120)}…` },
      { rowNumber: 4, code: RosterRowCode.TEXT_TOO_LONG, field: 'orgUnitCode', fullName: 'C' },
    ]);
  });

  it(`refuses more than ${ROSTER_MAX_ROWS} rows; exactly ${ROSTER_MAX_ROWS} is fine`, () => {
    const rows = (n: number) =>
      Array.from({ length: n }, (_, i) => `Học viên ${i + 1};hv${i + 1}@example.vn`).join('\n');
    expect(csv(`Họ và tên;Email\n${rows(ROSTER_MAX_ROWS)}\n`).entries).toHaveLength(ROSTER_MAX_ROWS);
    const e = refusal(() => csv(`Họ và tên;Email\n${rows(ROSTER_MAX_ROWS + 1)}\n`));
    expect(e.code).toBe(CohortExceptionCode.ROSTER_TOO_LARGE);
    expect(e.options.field).toBe('file');
    const members = Array.from({ length: ROSTER_MAX_ROWS + 1 }, (_, i) => ({ fullName: 'A', email: `${i}@x.vn` }));
    expect(refusal(() => json(members)).code).toBe(CohortExceptionCode.ROSTER_TOO_LARGE);
  });

  it('refuses an empty file, a header alone, a malformed file and a non-string body', () => {
    expect(refusal(() => csv('')).code).toBe(CohortExceptionCode.ROSTER_EMPTY);
    expect(refusal(() => csv('\ufeff  \r\n')).code).toBe(CohortExceptionCode.ROSTER_EMPTY);
    expect(refusal(() => csv('Họ và tên;Email\r\n;\r\n')).code).toBe(CohortExceptionCode.ROSTER_EMPTY);
    const bad = refusal(() => csv('Họ và tên,Email\n"Nguyễn Văn An,an@example.vn\n'));
    expect([bad.code, bad.options.field]).toEqual([CohortExceptionCode.ROSTER_MALFORMED, 'file']);
    expect(refusal(() => readRoster('text/csv', { members: [] })).code).toBe(CohortExceptionCode.ROSTER_MALFORMED);
  });
});

describe('roster multipart upload', () => {
  it('reads the CSV text of the `file` part', () => {
    const r = readRoster('multipart/form-data; boundary=----x', { file: 'Họ tên;SĐT\r\nNguyễn Văn An;0912345678\r\n' });
    expect(r).toEqual({
      format: 'csv',
      totalRows: 1,
      errors: [],
      entries: [{ rowNumber: 2, fullName: 'Nguyễn Văn An', email: null, phone: '+84912345678', orgUnitCode: null }],
    });
  });

  it('refuses a form without a text `file` part', () => {
    for (const body of [{}, { file: 42 }, { roster: 'Họ tên;SĐT' }, undefined]) {
      const e = refusal(() => readRoster('multipart/form-data', body));
      expect([e.code, e.options.field]).toEqual([CohortExceptionCode.ROSTER_MALFORMED, 'file']);
    }
  });
});

describe('roster JSON', () => {
  it('normalises members; row numbers are 1-based indexes', () => {
    const r = json([
      { fullName: '  Nguyễn   Văn An ', email: ' An@Example.VN ', orgUnitCode: ' 00004 ' },
      { fullName: 'Trần Thị Bình', phone: '0912.345.678', email: null, orgUnitCode: null },
    ]);
    expect(r).toEqual({
      format: 'json',
      totalRows: 2,
      errors: [],
      entries: [
        { rowNumber: 1, fullName: 'Nguyễn Văn An', email: 'an@example.vn', phone: null, orgUnitCode: '00004' },
        { rowNumber: 2, fullName: 'Trần Thị Bình', email: null, phone: '+84912345678', orgUnitCode: null },
      ],
    });
  });

  it('reports fields of the wrong type and members that are not objects, row by row', () => {
    const r = json([
      { fullName: 42, email: 'a@example.vn' },
      { fullName: 'Lê Văn Cường', phone: 912345678 },
      { fullName: 'Phạm Thị Dung', email: ['d@example.vn'], orgUnitCode: 4 },
      'Võ Văn Em <em@example.vn>',
      null,
      { fullName: 'Hồ Thị Gấm' },
      { fullName: 'Hồ Thị Gấm', email: 'gam@example', phone: '' },
    ]);
    expect(r.entries).toEqual([]);
    expect(r.errors).toEqual([
      { rowNumber: 1, code: RosterRowCode.FIELD_TYPE_INVALID, field: 'fullName' },
      { rowNumber: 2, code: RosterRowCode.FIELD_TYPE_INVALID, field: 'phone', fullName: 'Lê Văn Cường' },
      { rowNumber: 3, code: RosterRowCode.FIELD_TYPE_INVALID, field: 'email', fullName: 'Phạm Thị Dung' },
      { rowNumber: 3, code: RosterRowCode.FIELD_TYPE_INVALID, field: 'orgUnitCode', fullName: 'Phạm Thị Dung' },
      { rowNumber: 4, code: RosterRowCode.FIELD_TYPE_INVALID, field: 'members' },
      { rowNumber: 5, code: RosterRowCode.FIELD_TYPE_INVALID, field: 'members' },
      { rowNumber: 6, code: RosterRowCode.CONTACT_REQUIRED, field: 'email', fullName: 'Hồ Thị Gấm' },
      { rowNumber: 7, code: RosterRowCode.EMAIL_INVALID, field: 'email', fullName: 'Hồ Thị Gấm' },
    ]);
    expect(r.totalRows).toBe(7);
  });

  it('refuses other top-level keys (naming them), a missing or non-array members, and an empty array', () => {
    const unknown = refusal(() => readRoster('application/json', { members: [{ fullName: 'A' }], cohortId: 'x' }));
    expect([unknown.code, unknown.options.field]).toEqual([CohortExceptionCode.ROSTER_MALFORMED, 'cohortId']);
    for (const body of [{}, { members: {} }, { members: 'Nguyễn Văn An' }, [{ fullName: 'A' }], null, 'x']) {
      const e = refusal(() => readRoster('application/json', body));
      expect([e.code, e.options.field]).toEqual([CohortExceptionCode.ROSTER_MALFORMED, 'members']);
    }
    const empty = refusal(() => json([]));
    expect([empty.code, empty.options.field]).toEqual([CohortExceptionCode.ROSTER_EMPTY, 'members']);
  });

  it('treats a missing content type as JSON', () => {
    expect(readRoster(undefined, { members: [{ fullName: 'A', email: 'a@example.vn' }] }).entries).toHaveLength(1);
  });
});
