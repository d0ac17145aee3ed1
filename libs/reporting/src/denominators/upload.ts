import {
  buildHeaderIndex,
  CsvSyntaxError,
  csvRows,
  detectCsvLayout,
  looksNotUtf8,
  normalizeText,
  stripBom,
} from '@hocso/common';
import { isLocalDate } from '@hocso/workforce';
import { ReportingException, ReportingExceptionCode } from '../reporting.exception';

/**
 * Denominator uploads (population statistics, officials' rosters, parks' enterprise lists): JSON
 * `{ rows: [...] }`, a text/csv body or a multipart upload (field "file"). Whole-upload problems
 * are 400s; row problems are collected and refused together (422, nothing saved), because a
 * half-applied list would silently change a KPI's denominator.
 */
export interface UploadSpec<F extends string> {
  aliases: Record<F, readonly string[]>;
  /** columns a CSV must have */
  required: readonly F[];
  maxRows: number;
}

export interface RawUploadRow<F extends string> {
  /** JSON: 1-based index in `rows`; CSV: the spreadsheet row (header = 1) */
  rowNumber: number;
  values: Partial<Record<F, unknown>>;
  /** a JSON row that is not an object */
  invalid?: boolean;
}

export interface RowError {
  /** `rows.<rowNumber>.<field>` */
  field: string;
  row: number;
  code: string;
  message: string;
}

export function readUpload<F extends string>(
  spec: UploadSpec<F>,
  contentType: string | undefined,
  body: unknown,
): { format: 'json' | 'csv'; rows: Array<RawUploadRow<F>>; extra: Record<string, unknown> } {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv' || type === 'application/csv') return { format: 'csv', rows: readCsv(spec, body), extra: {} };
  if (type === 'multipart/form-data') {
    const record = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const { file, ...extra } = record;
    return { format: 'csv', rows: readCsv(spec, file), extra };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ReportingException(ReportingExceptionCode.UPLOAD_MALFORMED, { field: 'rows' });
  }
  const { rows, ...extra } = body as Record<string, unknown>;
  if (!Array.isArray(rows)) throw new ReportingException(ReportingExceptionCode.UPLOAD_MALFORMED, { field: 'rows' });
  if (rows.length === 0) throw new ReportingException(ReportingExceptionCode.UPLOAD_EMPTY, { field: 'rows' });
  if (rows.length > spec.maxRows)
    throw new ReportingException(ReportingExceptionCode.UPLOAD_TOO_LARGE, { field: 'rows' });
  const known = new Set(Object.keys(spec.aliases));
  return {
    format: 'json',
    extra,
    rows: rows.map((r: unknown, i) => {
      if (!r || typeof r !== 'object' || Array.isArray(r)) return { rowNumber: i + 1, values: {}, invalid: true };
      const values: Partial<Record<F, unknown>> = {};
      for (const [k, v] of Object.entries(r as Record<string, unknown>)) {
        if (known.has(k)) values[k as F] = v;
      }
      return { rowNumber: i + 1, values };
    }),
  };
}

function readCsv<F extends string>(spec: UploadSpec<F>, body: unknown): Array<RawUploadRow<F>> {
  if (typeof body !== 'string')
    throw new ReportingException(ReportingExceptionCode.UPLOAD_MALFORMED, { field: 'file' });
  const text = stripBom(body);
  if (looksNotUtf8(text)) throw new ReportingException(ReportingExceptionCode.CSV_NOT_UTF8, { field: 'file' });
  if (text.trim() === '') throw new ReportingException(ReportingExceptionCode.UPLOAD_EMPTY, { field: 'file' });
  const layout = detectCsvLayout(text, buildHeaderIndex(spec.aliases), spec.required);
  if (layout.missing.length > 0) {
    throw new ReportingException(ReportingExceptionCode.CSV_MISSING_COLUMNS, {
      field: 'file',
      extensions: { missingColumns: layout.missing, headers: layout.headers.slice(0, 50) },
    });
  }
  const rows: Array<RawUploadRow<F>> = [];
  try {
    for (const { rowNumber, values } of csvRows(text, layout)) {
      if (Object.keys(values).length === 0) continue;
      if (rows.length === spec.maxRows) {
        throw new ReportingException(ReportingExceptionCode.UPLOAD_TOO_LARGE, { field: 'file' });
      }
      rows.push({ rowNumber, values: values as Partial<Record<F, unknown>> });
    }
  } catch (err) {
    if (err instanceof CsvSyntaxError)
      throw new ReportingException(ReportingExceptionCode.UPLOAD_MALFORMED, { field: 'file' });
    throw err;
  }
  if (rows.length === 0) throw new ReportingException(ReportingExceptionCode.UPLOAD_EMPTY, { field: 'file' });
  return rows;
}

const MESSAGES: Record<string, { vi: string; en: string }> = {
  required: { vi: 'Thiếu giá trị bắt buộc.', en: 'A value is required.' },
  type: { vi: 'Kiểu dữ liệu không hợp lệ.', en: 'The value has the wrong type.' },
  tooLong: { vi: 'Nội dung quá dài.', en: 'The value is too long.' },
  unknownUnit: {
    vi: 'Không có đơn vị với mã này (hoặc ngoài phạm vi của bạn).',
    en: 'No unit with this code (or outside your scope).',
  },
  year: { vi: 'Năm phải là 4 chữ số, ví dụ 2025.', en: 'The year must have 4 digits, e.g. 2025.' },
  count: { vi: 'Phải là số nguyên không âm.', en: 'Must be a whole number, 0 or more.' },
  date: { vi: 'Ngày không hợp lệ (dd/MM/yyyy hoặc yyyy-MM-dd).', en: 'Invalid date (dd/MM/yyyy or yyyy-MM-dd).' },
  dateOrder: { vi: 'Ngày kết thúc trước ngày bắt đầu.', en: 'The end date is before the start date.' },
  email: { vi: 'Địa chỉ email không hợp lệ.', en: 'Invalid e-mail address.' },
  phone: { vi: 'Số điện thoại không hợp lệ.', en: 'Invalid phone number.' },
  contact: { vi: 'Cần email hoặc số điện thoại.', en: 'An e-mail or a phone number is required.' },
  position: {
    vi: 'Chức vụ phải là "lãnh đạo, quản lý" hoặc "công chức".',
    en: 'Position must be "leader" (lãnh đạo, quản lý) or "staff" (công chức).',
  },
  taxCode: {
    vi: 'Mã số thuế phải có 10 chữ số (hoặc 10-3 cho chi nhánh).',
    en: 'Tax code must be 10 digits (or 10-3).',
  },
  duplicate: { vi: 'Trùng với một dòng trước đó.', en: 'Duplicates an earlier row.' },
  noMetric: {
    vi: 'Dòng không có số liệu nào (dân số, độ tuổi lao động…).',
    en: 'The row has no figure (population, working age…).',
  },
};

export class RowErrors {
  readonly list: RowError[] = [];
  private readonly rows = new Set<number>();

  constructor(private readonly locale: 'vi' | 'en') {}

  add(row: number, field: string, code: keyof typeof MESSAGES & string) {
    this.rows.add(row);
    if (this.list.length >= 200) return;
    this.list.push({
      field: field ? `rows.${row}.${field}` : `rows.${row}`,
      row,
      code,
      message: MESSAGES[code][this.locale],
    });
  }

  /** Refuses the whole upload when any row is wrong. */
  throwIfAny(totalRows: number) {
    if (this.list.length > 0) {
      throw new ReportingException(ReportingExceptionCode.UPLOAD_ROWS_INVALID, {
        extensions: { errors: this.list, totalRows, invalidRows: this.rows.size },
      });
    }
  }
}

/** A trimmed NFC string, or undefined when absent/blank; null when of the wrong type. */
export function text(v: unknown, max: number): string | undefined | null | 'tooLong' {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') v = String(v);
  if (typeof v !== 'string') return null;
  const s = normalizeText(v);
  if (s === '') return undefined;
  return s.length > max ? 'tooLong' : s;
}

/** dd/MM/yyyy (as Vietnamese spreadsheets write it) or yyyy-MM-dd → yyyy-MM-dd; null when invalid. */
export function parseDate(v: unknown): string | undefined | null {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') return null;
  const s = v.trim();
  const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  const iso = dmy ? `${dmy[3]}-${dmy[2].padStart(2, '0')}-${dmy[1].padStart(2, '0')}` : s;
  return isLocalDate(iso) ? iso : null;
}

/** A non-negative integer from a number or a string written with Vietnamese grouping ("1.234.567"). */
export function parseCount(v: unknown): number | undefined | null {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 && v <= 2_000_000_000 ? v : null;
  if (typeof v !== 'string') return null;
  const t = v.trim();
  // Thousands grouped by dots (vi), commas (en) or spaces; never a decimal.
  // One separator throughout: "1.234,567" (a Vietnamese decimal) is not a count.
  const s = /^\d{1,3}([.,\s\u00a0])\d{3}(\1\d{3})*$/.test(t) ? t.replace(/[.,\s\u00a0]/g, '') : t;
  if (!/^\d{1,10}$/.test(s)) return null;
  const n = Number(s);
  return n <= 2_000_000_000 ? n : null;
}
