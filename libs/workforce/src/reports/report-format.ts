import {
  buildHeaderIndex,
  type CsvColumnLayout,
  CsvSyntaxError,
  countCsvDataRows,
  csvRowsAsync,
  detectCsvLayout,
  headerKey,
  looksNotUtf8,
  stripBom,
} from '@hocso/common';
import { WorkforceException, WorkforceExceptionCode } from '../workforce.exception';

/** Limits of one training report (issue 5): more rows or bytes are answered 413. */
export const REPORT_MAX_ROWS = 100_000;
export const REPORT_MAX_BYTES = 20 * 1024 * 1024;

export type ReportField = 'workerCode' | 'date' | 'minutes' | 'topic' | 'courseSlug' | 'trainer' | 'externalRef';
export const REQUIRED_FIELDS: readonly ReportField[] = ['workerCode', 'date', 'minutes', 'topic'];

/**
 * Column headers as spreadsheets name them, compared without accents, case, punctuation or extra
 * spaces ("Mã NV", "MA NV", "Mã nhân viên", "Worker code" are all workerCode). Unknown columns
 * (STT, Họ và tên, Bộ phận…) are ignored.
 */
const HEADER_ALIASES: Record<ReportField, string[]> = {
  workerCode: [
    'ma nv',
    'ma nhan vien',
    'ma so nhan vien',
    'ma cong nhan',
    'ma nguoi lao dong',
    'ma nld',
    'ma so',
    'worker code',
    'workercode',
    'employee code',
    'employee id',
    'staff code',
  ],
  date: ['ngay', 'ngay dao tao', 'ngay hoc', 'ngay hoc tap', 'thoi gian', 'date', 'session date', 'training date'],
  minutes: [
    'so phut',
    'thoi luong',
    'thoi luong phut',
    'thoi luong (phut)',
    'phut',
    'minutes',
    'duration',
    'duration minutes',
    'duration (minutes)',
  ],
  topic: ['noi dung', 'noi dung dao tao', 'chu de', 'ten buoi hoc', 'bai hoc', 'topic', 'subject', 'content'],
  courseSlug: ['khoa hoc', 'ma khoa hoc', 'course', 'course slug', 'courseslug'],
  trainer: ['giang vien', 'giao vien', 'nguoi huong dan', 'nguoi dao tao', 'trainer', 'instructor'],
  externalRef: [
    'ma tham chieu',
    'ma buoi',
    'ma buoi hoc',
    'so tham chieu',
    'external ref',
    'externalref',
    'reference',
    'ref',
  ],
};

const ALIAS_INDEX = buildHeaderIndex(HEADER_ALIASES);

export function fieldForHeader(header: string): ReportField | undefined {
  return ALIAS_INDEX.get(headerKey(header));
}

export interface ReportSubmission {
  format: 'json' | 'csv';
  /** JSON: the `sessions` array as JSON text; CSV: the file as text (BOM removed) */
  payload: string;
  totalRows: number;
}

/** More than REPORT_MAX_ROWS rows (the api answers 413 problem+json). */
export class ReportTooLargeError extends Error {
  constructor(readonly field: string) {
    super(`a report holds at most ${REPORT_MAX_ROWS} rows and ${REPORT_MAX_BYTES} bytes`);
  }
}

export type CsvLayout = CsvColumnLayout<ReportField>;

/** Delimiter (comma, semicolon — Excel in Vietnamese locale — or tab) and column mapping from the header. */
export function csvLayout(text: string): CsvLayout {
  return detectCsvLayout(text, ALIAS_INDEX, REQUIRED_FIELDS);
}

/** Data records after the header that hold anything but delimiters and blanks (quote-aware). */
export { countCsvDataRows };

const KNOWN_JSON_KEYS = new Set(['sessions']);

/**
 * Turns a request body into a submission: JSON `{ sessions: [...] }`, a text/csv body, or a
 * multipart upload whose `file` part is the CSV. Checks the shape, the header and the limits; rows
 * themselves are validated later by the worker (each bad row is rejected on its own).
 */
export function readSubmission(contentType: string | undefined, body: unknown): ReportSubmission {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv' || type === 'application/csv') return readCsv(body);
  if (type === 'multipart/form-data') {
    const file = body && typeof body === 'object' ? (body as Record<string, unknown>).file : undefined;
    if (typeof file !== 'string') {
      throw new WorkforceException(WorkforceExceptionCode.REPORT_MALFORMED, { field: 'file' });
    }
    return readCsv(file);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new WorkforceException(WorkforceExceptionCode.REPORT_MALFORMED, { field: 'sessions' });
  }
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).find((k) => !KNOWN_JSON_KEYS.has(k));
  if (unknown !== undefined) throw new WorkforceException(WorkforceExceptionCode.REPORT_MALFORMED, { field: unknown });
  const sessions = record.sessions;
  if (!Array.isArray(sessions)) {
    throw new WorkforceException(WorkforceExceptionCode.REPORT_MALFORMED, { field: 'sessions' });
  }
  if (sessions.length === 0) throw new WorkforceException(WorkforceExceptionCode.REPORT_EMPTY, { field: 'sessions' });
  if (sessions.length > REPORT_MAX_ROWS) throw new ReportTooLargeError('sessions');
  return { format: 'json', payload: JSON.stringify(sessions), totalRows: sessions.length };
}

function readCsv(body: unknown): ReportSubmission {
  if (typeof body !== 'string')
    throw new WorkforceException(WorkforceExceptionCode.REPORT_MALFORMED, { field: 'file' });
  const text = stripBom(body);
  if (Buffer.byteLength(text, 'utf8') > REPORT_MAX_BYTES) throw new ReportTooLargeError('file');
  // A non-UTF-8 file (e.g. Windows-1258) decodes with replacement characters.
  if (looksNotUtf8(text)) throw new WorkforceException(WorkforceExceptionCode.CSV_NOT_UTF8, { field: 'file' });
  if (text.trim() === '') throw new WorkforceException(WorkforceExceptionCode.REPORT_EMPTY, { field: 'file' });
  const layout = csvLayout(text);
  if (layout.missing.length > 0) {
    throw new WorkforceException(WorkforceExceptionCode.CSV_MISSING_COLUMNS, {
      field: 'file',
      extensions: { missingColumns: layout.missing, headers: layout.headers.slice(0, 50) },
    });
  }
  const totalRows = countCsvDataRows(text, layout.delimiter);
  if (totalRows === 0) throw new WorkforceException(WorkforceExceptionCode.REPORT_EMPTY, { field: 'file' });
  if (totalRows > REPORT_MAX_ROWS) throw new ReportTooLargeError('file');
  return { format: 'csv', payload: text, totalRows };
}

/** A row as found in the report, before validation. */
export interface SourceRow {
  /** JSON: 1-based index in `sessions`; CSV: spreadsheet row (the header is row 1) */
  rowNumber: number;
  /** null: not an object (JSON) */
  values: Partial<Record<ReportField, unknown>> | null;
  /** CSV: non-empty cells beyond the header's columns */
  extraCells?: boolean;
}

/** Malformed CSV (e.g. a quote never closed): the whole report is bad input. */
export class ReportSyntaxError extends Error {}

/** Streams a stored report's rows (CSV through csv-parse's streaming parser). Blank rows are skipped. */
export async function* readReportRows(format: 'json' | 'csv', payload: string): AsyncGenerator<SourceRow> {
  if (format === 'json') {
    let rows: unknown;
    try {
      rows = JSON.parse(payload);
    } catch (err) {
      throw new ReportSyntaxError(`stored JSON report is not valid: ${(err as Error).message}`);
    }
    if (!Array.isArray(rows)) throw new ReportSyntaxError('stored JSON report is not an array');
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const values =
        r && typeof r === 'object' && !Array.isArray(r) ? (r as Partial<Record<ReportField, unknown>>) : null;
      yield { rowNumber: i + 1, values };
    }
    return;
  }
  const layout = csvLayout(payload);
  if (layout.missing.length > 0) throw new ReportSyntaxError(`missing columns: ${layout.missing.join(', ')}`);
  try {
    yield* csvRowsAsync(payload, layout);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new ReportSyntaxError(err.message);
    throw err;
  }
}
