import {
  buildHeaderIndex,
  CsvSyntaxError,
  countCsvDataRows,
  csvHeaderLine,
  csvRows,
  csvRowsAsync,
  detectCsvLayout,
  detectDelimiter,
  headerKey,
  looksNotUtf8,
  splitCsvLine,
  stripBom,
} from './csv';

type Field = 'name' | 'email' | 'note';
const INDEX = buildHeaderIndex<Field>({
  name: ['họ và tên', 'name'],
  email: ['email', 'e-mail', 'email/sđt'],
  note: ['ghi chú'],
});

const SHEET = [
  'STT;Họ và tên;E-mail;Ghi chú',
  '1;"Nguyễn Văn An";an@example.vn;"có dấu; chấm phẩy"',
  ';;;',
  '',
  '2;"Trần Thị ""Bé""";be@example.vn;"hai',
  'dòng"',
  '3;Lê Văn Cường;cuong@example.vn;;thừa',
].join('\r\n');

describe('csv', () => {
  it('strips a BOM and tells a non-UTF-8 decode', () => {
    expect(stripBom('\ufeffa,b')).toBe('a,b');
    expect(stripBom('a,b')).toBe('a,b');
    // "Nguyén" saved as Latin-1 then read as UTF-8: the lone 0xE9 byte becomes U+FFFD
    expect(looksNotUtf8(Buffer.from('Nguyén', 'latin1').toString('utf8'))).toBe(true);
    expect(looksNotUtf8('Nguyễn Văn An')).toBe(false);
    // UTF-16 read as UTF-8: NUL bytes between the letters.
    expect(looksNotUtf8(Buffer.from('Họ tên', 'utf16le').toString('utf8'))).toBe(true);
  });

  it('folds headers without accents, case, punctuation or extra spaces', () => {
    expect(headerKey('  Mã  NV ')).toBe('ma nv');
    expect(headerKey('Thời lượng (phút)')).toBe('thoi luong phut');
    expect(headerKey('Email / SĐT')).toBe('email sdt');
    expect(headerKey('E-mail')).toBe('e mail');
    expect(INDEX.get(headerKey('EMAIL/SDT'))).toBe('email');
    expect(INDEX.get(headerKey('HO VA TEN'))).toBe('name');
  });

  it('splits a header line honouring quotes and picks the delimiter', () => {
    expect(splitCsvLine('a; "b;c" ;"d ""e"""', ';')).toEqual(['a', 'b;c', 'd "e"']);
    expect(csvHeaderLine('a,b\r\nc,d')).toBe('a,b');
    expect(csvHeaderLine('a,b')).toBe('a,b');
    expect(detectDelimiter('a;b;"c,d,e"')).toBe(';');
    expect(detectDelimiter('a,b;c,d')).toBe(',');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('only')).toBe(',');
  });

  it('maps recognised columns (first wins), ignores the rest, names the missing required ones', () => {
    const layout = detectCsvLayout(SHEET, INDEX, ['name', 'email']);
    expect(layout).toEqual({
      delimiter: ';',
      headers: ['STT', 'Họ và tên', 'E-mail', 'Ghi chú'],
      columns: { name: 1, email: 2, note: 3 },
      missing: [],
    });
    expect(detectCsvLayout('Name,Name,STT\n', INDEX, ['name', 'email', 'note'])).toMatchObject({
      columns: { name: 0 },
      missing: ['email', 'note'],
    });
  });

  it('counts data rows, not blank rows or lines inside quotes', () => {
    expect(countCsvDataRows(SHEET, ';')).toBe(3);
    expect(countCsvDataRows('a,b\n', ',')).toBe(0);
    expect(countCsvDataRows('a,b\n1,2', ',')).toBe(1);
  });

  it('reads rows with their spreadsheet row number, skipping blank rows (sync and async alike)', async () => {
    const layout = detectCsvLayout(SHEET, INDEX, ['name']);
    const expected = [
      {
        rowNumber: 2,
        values: { name: 'Nguyễn Văn An', email: 'an@example.vn', note: 'có dấu; chấm phẩy' },
        extraCells: false,
      },
      {
        rowNumber: 5,
        values: { name: 'Trần Thị "Bé"', email: 'be@example.vn', note: 'hai\r\ndòng' },
        extraCells: false,
      },
      { rowNumber: 6, values: { name: 'Lê Văn Cường', email: 'cuong@example.vn' }, extraCells: true },
    ];
    expect([...csvRows(SHEET, layout)]).toEqual(expected);
    const streamed = [];
    for await (const row of csvRowsAsync(SHEET, layout)) streamed.push(row);
    expect(streamed).toEqual(expected);
  });

  it('counts runs of empty lines (skipped by the parser) in the row numbers', async () => {
    const text = `Name,Email\n\r\n${'\n'.repeat(100_000)}"Hà\n\nLan",lan@example.vn\n\n\nAn,an@example.vn`;
    const layout = detectCsvLayout(text, INDEX, ['name']);
    const expected = [
      { rowNumber: 100_003, values: { name: 'Hà\n\nLan', email: 'lan@example.vn' }, extraCells: false },
      { rowNumber: 100_006, values: { name: 'An', email: 'an@example.vn' }, extraCells: false },
    ];
    expect([...csvRows(text, layout)]).toEqual(expected);
    const streamed = [];
    for await (const row of csvRowsAsync(text, layout)) streamed.push(row);
    expect(streamed).toEqual(expected);
  });

  it('reports malformed CSV as CsvSyntaxError', async () => {
    const text = 'Name,Email\n"Nguyễn Văn An,an@example.vn\n';
    const layout = detectCsvLayout(text, INDEX, ['name']);
    let caught: unknown;
    try {
      [...csvRows(text, layout)];
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CsvSyntaxError);
    expect(caught).toMatchObject({ code: 'CSV_QUOTE_NOT_CLOSED' });
    await expect(
      (async () => {
        for await (const _ of csvRowsAsync(text, layout));
      })(),
    ).rejects.toBeInstanceOf(CsvSyntaxError);
  });
});
