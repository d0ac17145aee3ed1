import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { foldDiacritics } from './text';

/**
 * CSV plumbing shared by the uploads that accept spreadsheets (training reports, cohort rosters):
 * UTF-8 with or without BOM, the delimiter Excel used (comma, semicolon in the Vietnamese locale,
 * tab), headers matched through aliases without accents, case or punctuation, and rows read through
 * csv-parse with the spreadsheet row number of each record.
 */

export type CsvDelimiter = ',' | ';' | '\t';

/** Removes the UTF-8 byte order mark Excel puts before "CSV UTF-8" files. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A file that is not UTF-8 (e.g. Windows-1258 or Latin-1) decodes with replacement characters; one
 * saved as UTF-16 (Excel's "Unicode text") is full of NUL bytes, which no spreadsheet cell holds
 * and PostgreSQL text cannot store (a NUL once reached an INSERT and answered 500).
 */
export function looksNotUtf8(text: string): boolean {
  return text.includes('\ufffd') || text.includes('\u0000');
}

/**
 * A header as compared with aliases: without accents (đ → d), case, punctuation or extra spaces
 * ("Mã NV" = "MA NV" = "mã_nv"; "Email/SĐT" = "Email / SDT" = "email sdt").
 */
export function headerKey(header: string): string {
  return foldDiacritics(header)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Alias lookup for detectCsvLayout: each alias (folded with headerKey) → its field. */
export function buildHeaderIndex<F extends string>(aliases: Readonly<Record<F, readonly string[]>>): Map<string, F> {
  const index = new Map<string, F>();
  for (const [field, names] of Object.entries(aliases) as Array<[F, readonly string[]]>) {
    for (const name of names) index.set(headerKey(name), field);
  }
  return index;
}

/** Splits one CSV line (the header) on the delimiter, honouring quotes; cells are trimmed. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (c === delimiter && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

/** The first line of the text (the header row). */
export function csvHeaderLine(text: string): string {
  const end = text.search(/\r\n|\n|\r/);
  return end === -1 ? text : text.slice(0, end);
}

/** The delimiter that splits the header into the most cells (comma when none does). */
export function detectDelimiter(headerLine: string): CsvDelimiter {
  const count = (d: string) => splitCsvLine(headerLine, d).length - 1;
  const candidates: CsvDelimiter[] = [';', ',', '\t'];
  return candidates.reduce((best, d) => (count(d) > count(best) ? d : best), ',' as CsvDelimiter);
}

export interface CsvColumnLayout<F extends string> {
  delimiter: CsvDelimiter;
  /** the header cells as written (trimmed) */
  headers: string[];
  /** column index of each recognised field (the first column wins when two map to one field) */
  columns: Partial<Record<F, number>>;
  /** required fields without a column, in the order given */
  missing: F[];
}

/** Delimiter and column mapping from the header; unknown columns are ignored. */
export function detectCsvLayout<F extends string>(
  text: string,
  aliasIndex: ReadonlyMap<string, F>,
  required: readonly F[],
): CsvColumnLayout<F> {
  const headerLine = csvHeaderLine(text);
  const delimiter = detectDelimiter(headerLine);
  const headers = splitCsvLine(headerLine, delimiter);
  const columns: Partial<Record<F, number>> = {};
  headers.forEach((h, i) => {
    const field = aliasIndex.get(headerKey(h));
    if (field !== undefined && columns[field] === undefined) columns[field] = i;
  });
  const missing = required.filter((f) => columns[f] === undefined);
  return { delimiter, headers, columns, missing };
}

/** Data records after the header that hold anything but delimiters and blanks (quote-aware). */
export function countCsvDataRows(text: string, delimiter: string): number {
  let rows = 0;
  let quoted = false;
  let content = false;
  let header = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      quoted = !quoted;
      content = true;
    } else if (!quoted && (c === 10 || c === 13)) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (content && !header) rows++;
      header = false;
      content = false;
    } else if (!content && c !== 32 && c !== 9 && text[i] !== delimiter) {
      content = true;
    }
  }
  if (content && !header) rows++;
  return rows;
}

/** One data row of a CSV file. */
export interface CsvRow<F extends string> {
  /** the spreadsheet row: the header is row 1, blank rows count, a multi-line cell is one row */
  rowNumber: number;
  /** non-empty (trimmed) cells of the recognised columns */
  values: Partial<Record<F, string>>;
  /** non-empty cells beyond the header's columns */
  extraCells: boolean;
}

/** Malformed CSV (e.g. a quote never closed); `code` is csv-parse's (CSV_QUOTE_NOT_CLOSED…). */
export class CsvSyntaxError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

const PARSE_OPTIONS = {
  bom: true,
  relax_quotes: true,
  relax_column_count: true,
  // csv-parse spends ~50 µs on each empty line it turns into a record: a 2 MB roster of line
  // breaks held the event loop for over a minute. Skipped lines are counted in info.empty_lines,
  // so row numbers stay the spreadsheet's.
  skip_empty_lines: true,
  trim: true,
  info: true,
} as const;

interface ParsedRecord {
  record: string[];
  info: { records: number; empty_lines: number };
}

function toRow<F extends string>(item: ParsedRecord, layout: CsvColumnLayout<F>): CsvRow<F> | null {
  const { record, info } = item;
  if (info.records === 1) return null; // the header
  if (record.every((cell) => cell === '')) return null; // blank row
  const values: Partial<Record<F, string>> = {};
  for (const [field, index] of Object.entries(layout.columns) as Array<[F, number]>) {
    const cell = record[index];
    if (cell !== undefined && cell !== '') values[field] = cell;
  }
  const width = layout.headers.length;
  const extraCells = record.length > width && record.slice(width).some((cell) => cell !== '');
  return { rowNumber: info.records + info.empty_lines, values, extraCells };
}

function syntaxError(err: unknown): CsvSyntaxError | null {
  if (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('CSV_')) {
    return new CsvSyntaxError(String((err as { code: unknown }).code), err.message);
  }
  return null;
}

/**
 * The data rows of a CSV text held in memory (csv-parse's sync API), blank rows skipped.
 * Throws CsvSyntaxError on malformed CSV before yielding anything.
 */
export function* csvRows<F extends string>(text: string, layout: CsvColumnLayout<F>): Generator<CsvRow<F>> {
  let records: ParsedRecord[];
  try {
    records = parseSync(text, { ...PARSE_OPTIONS, delimiter: layout.delimiter }) as unknown as ParsedRecord[];
  } catch (err) {
    throw syntaxError(err) ?? err;
  }
  for (const item of records) {
    const row = toRow(item, layout);
    if (row) yield row;
  }
}

/**
 * The data rows of a CSV text streamed through csv-parse (for large files), blank rows skipped.
 * Throws CsvSyntaxError on malformed CSV (possibly after earlier rows were yielded).
 */
export async function* csvRowsAsync<F extends string>(
  text: string,
  layout: CsvColumnLayout<F>,
): AsyncGenerator<CsvRow<F>> {
  const parser = Readable.from([text]).pipe(parse({ ...PARSE_OPTIONS, delimiter: layout.delimiter }));
  try {
    for await (const item of parser as AsyncIterable<ParsedRecord>) {
      const row = toRow(item, layout);
      if (row) yield row;
    }
  } catch (err) {
    throw syntaxError(err) ?? err;
  }
}

/** Messages every spreadsheet upload (training reports, rosters) shares, in Vietnamese and English. */
export const UPLOAD_MESSAGES = {
  csvNotUtf8: {
    vi: 'Tệp CSV phải mã hóa UTF-8 (trong Excel: Lưu thành › CSV UTF-8).',
    en: 'The CSV file must be UTF-8 encoded (in Excel: Save As › CSV UTF-8).',
  },
  textTooLong: { vi: 'Nội dung quá dài.', en: 'The value is too long.' },
  fieldTypeInvalid: { vi: 'Kiểu dữ liệu không hợp lệ.', en: 'The value has the wrong type.' },
} as const;
