import { WorkforceException } from '../workforce.exception';
import {
  countCsvDataRows,
  csvLayout,
  fieldForHeader,
  REPORT_MAX_ROWS,
  ReportTooLargeError,
  readReportRows,
  readSubmission,
} from './report-format';

const EXCEL = [
  '\ufeffSTT;Mã NV;Họ và tên;Ngày;Số phút;Nội dung;Giảng viên',
  '1;NV001;"Nguyễn Văn An";05/01/2026;60;"An toàn thông tin, bảo mật";"Trần Thị Bình"',
  '2;nv002;"Lê Thị Cúc";2026-01-06;45;"Dịch vụ công ""trực tuyến""";',
  ';;;;;;',
  '3;NV003;"Phạm Văn Dũng";07/01/2026;30;"Nhiều',
  'dòng";',
  '',
].join('\r\n');

async function rows(format: 'json' | 'csv', payload: string) {
  const out = [];
  for await (const r of readReportRows(format, payload)) out.push(r);
  return out;
}

describe('report formats', () => {
  it('recognises headers in Vietnamese or English, with or without accents', () => {
    expect(fieldForHeader('Mã NV')).toBe('workerCode');
    expect(fieldForHeader('MA NV')).toBe('workerCode');
    expect(fieldForHeader('Mã nhân viên')).toBe('workerCode');
    expect(fieldForHeader('Worker code')).toBe('workerCode');
    expect(fieldForHeader('Ngày')).toBe('date');
    expect(fieldForHeader('Số phút')).toBe('minutes');
    expect(fieldForHeader('Thời lượng (phút)')).toBe('minutes');
    expect(fieldForHeader('Nội dung')).toBe('topic');
    expect(fieldForHeader('Mã tham chiếu')).toBe('externalRef');
    expect(fieldForHeader('STT')).toBeUndefined();
  });

  it('detects the semicolon of Vietnamese Excel and maps the columns', () => {
    const layout = csvLayout(EXCEL.slice(1));
    expect(layout.delimiter).toBe(';');
    expect(layout.columns).toEqual({ workerCode: 1, date: 3, minutes: 4, topic: 5, trainer: 6 });
    expect(layout.missing).toEqual([]);
  });

  it('counts data rows, not blank rows or lines inside quotes', () => {
    expect(countCsvDataRows(EXCEL.slice(1), ';')).toBe(3);
  });

  it('streams Excel CSV: BOM, CRLF, quotes with commas and doubled quotes, blank rows, multi-line cells', async () => {
    const sub = readSubmission('text/csv; charset=utf-8', EXCEL);
    expect(sub).toMatchObject({ format: 'csv', totalRows: 3 });
    expect(sub.payload.charCodeAt(0)).not.toBe(0xfeff);
    const r = await rows('csv', sub.payload);
    expect(r.map((x) => x.rowNumber)).toEqual([2, 3, 5]);
    expect(r[0].values).toEqual({
      workerCode: 'NV001',
      date: '05/01/2026',
      minutes: '60',
      topic: 'An toàn thông tin, bảo mật',
      trainer: 'Trần Thị Bình',
    });
    expect(r[1].values?.topic).toBe('Dịch vụ công "trực tuyến"');
    expect(r[2].values?.topic).toBe('Nhiều\r\ndòng');
  });

  it('refuses a CSV without the required columns, naming them', () => {
    try {
      readSubmission('text/csv', 'Mã NV,Ngày\nNV1,05/01/2026\n');
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(WorkforceException);
      expect((err as WorkforceException).code).toBe('CSV_MISSING_COLUMNS');
      expect((err as WorkforceException).options.extensions?.missingColumns).toEqual(['minutes', 'topic']);
    }
  });

  it('refuses a CSV that is not UTF-8', () => {
    expect(() => readSubmission('text/csv', 'Ma NV,Ngay,So phut,Noi dung\nNV1,05/01/2026,60,An to\ufffdn\n')).toThrow(
      WorkforceException,
    );
  });

  it('JSON: the shape is checked here, rows later', () => {
    expect(readSubmission('application/json', { sessions: [{ a: 1 }, 5] })).toMatchObject({ totalRows: 2 });
    expect(() => readSubmission('application/json', { sessions: [] })).toThrow(WorkforceException);
    expect(() => readSubmission('application/json', { sessions: {} })).toThrow(WorkforceException);
    expect(() => readSubmission('application/json', { sessions: [], extra: 1 })).toThrow(WorkforceException);
    expect(() => readSubmission('application/json', [1])).toThrow(WorkforceException);
  });

  it(`more than ${REPORT_MAX_ROWS} rows is too large`, () => {
    const sessions = new Array(REPORT_MAX_ROWS + 1).fill({});
    expect(() => readSubmission('application/json', { sessions })).toThrow(ReportTooLargeError);
    const csv = `Mã NV,Ngày,Số phút,Nội dung\n${'NV1,05/01/2026,60,x\n'.repeat(REPORT_MAX_ROWS + 1)}`;
    expect(() => readSubmission('text/csv', csv)).toThrow(ReportTooLargeError);
  });
});
