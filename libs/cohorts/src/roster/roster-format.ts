import {
  buildHeaderIndex,
  CsvSyntaxError,
  csvRows,
  detectCsvLayout,
  looksNotUtf8,
  normalizeText,
  stripBom,
} from '@hocso/common';
import { IdentityException, normalizeEmail, normalizeVietnamesePhone } from '@hocso/identity';
import { isEmail } from 'class-validator';
import { CohortException, CohortExceptionCode, RosterRowCode } from '../cohorts.exception';

/** At most this many people per roster request (more is ROSTER_TOO_LARGE). */
export const ROSTER_MAX_ROWS = 2000;
const MAX_NAME = 120;
const MAX_EMAIL = 254;
const MAX_ORG_UNIT_CODE = 32;

/** One person of a roster, normalised and checked; not yet matched to an account. */
export interface RosterEntry {
  /** JSON: 1-based index in `members`; CSV: spreadsheet row (the header is row 1) */
  rowNumber: number;
  /** NFC, trimmed, inner whitespace collapsed; 1–120 characters */
  fullName: string;
  /** normalised (NFC, trimmed, lower-case) */
  email: string | null;
  /** E.164 (+84…) */
  phone: string | null;
  /** trimmed, at most 32 characters; not yet checked against the organisation */
  orgUnitCode: string | null;
}

export interface RosterRowError {
  rowNumber: number;
  code: RosterRowCode;
  /** 'fullName', 'email', 'phone', 'orgUnitCode'; 'members' for a JSON member that is not an object */
  field: string;
  /** DUPLICATE_IN_ROSTER: the earlier accepted row with the same e-mail or phone */
  duplicateOfRow?: number;
  /** the row's full name when it has one (clipped to 120 characters) */
  fullName?: string;
}

export interface ParsedRoster {
  format: 'json' | 'csv';
  /** the rows that passed every check, in order */
  entries: RosterEntry[];
  /** the problems of the other rows (a row may have one per field) */
  errors: RosterRowError[];
  /** rows considered: JSON members; CSV rows with at least one recognised cell */
  totalRows: number;
}

type RosterColumn = 'fullName' | 'email' | 'phone' | 'contact' | 'orgUnitCode';

/**
 * Column headers as Vietnamese departments write them, compared without accents, case or
 * punctuation (see headerKey). Unknown columns (STT, Chức vụ, Ghi chú…) are ignored. `contact`
 * holds an e-mail or a phone number: a cell with "@" is an e-mail.
 */
const HEADER_ALIASES: Record<RosterColumn, string[]> = {
  fullName: [
    'họ và tên',
    'họ tên',
    'họ và tên học viên',
    'họ tên học viên',
    'tên',
    'tên học viên',
    'full name',
    'fullname',
    'name',
  ],
  email: ['email', 'e-mail', 'thư điện tử', 'địa chỉ email', 'địa chỉ e-mail', 'địa chỉ thư điện tử'],
  phone: [
    'số điện thoại',
    'sđt',
    'số đt',
    'điện thoại',
    'điện thoại di động',
    'số di động',
    'di động',
    'phone',
    'phone number',
    'mobile',
  ],
  contact: [
    'email hoặc sđt',
    'email/sđt',
    'email hoặc số điện thoại',
    'sđt hoặc email',
    'sđt/email',
    'liên hệ',
    'thông tin liên hệ',
    'contact',
  ],
  orgUnitCode: [
    'mã đơn vị',
    'mã đv',
    'mã xã',
    'mã xã/phường',
    'mã phường/xã',
    'org unit code',
    'orgunitcode',
    'unit code',
  ],
};

const HEADER_INDEX = buildHeaderIndex(HEADER_ALIASES);
const CONTACT_COLUMNS: readonly RosterColumn[] = ['email', 'phone', 'contact'];

/** A row before checks: JSON values as sent, CSV cells as strings (absent when empty). */
interface RawRow {
  rowNumber: number;
  /** null: a JSON member that is not an object */
  values: { fullName?: unknown; email?: unknown; phone?: unknown; orgUnitCode?: unknown } | null;
}

const KNOWN_JSON_KEYS = new Set(['members']);

/**
 * Reads a roster: JSON `{ members: [{ fullName, email?, phone?, orgUnitCode? }] }`, a text/csv (or
 * application/csv) body, or a multipart upload whose `file` part is the CSV text. Whole-request
 * problems throw CohortException (field 'members' or 'file'); each row's problems are returned in
 * `errors` and that row is left out of `entries`.
 */
export function readRoster(contentType: string | undefined, body: unknown): ParsedRoster {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv' || type === 'application/csv') return validateRows('csv', readCsv(body));
  if (type === 'multipart/form-data') {
    const file = body && typeof body === 'object' ? (body as Record<string, unknown>).file : undefined;
    return validateRows('csv', readCsv(file));
  }
  return validateRows('json', readJson(body));
}

function readJson(body: unknown): RawRow[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new CohortException(CohortExceptionCode.ROSTER_MALFORMED, { field: 'members' });
  }
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).find((k) => !KNOWN_JSON_KEYS.has(k));
  if (unknown !== undefined) throw new CohortException(CohortExceptionCode.ROSTER_MALFORMED, { field: unknown });
  const members = record.members;
  if (!Array.isArray(members)) throw new CohortException(CohortExceptionCode.ROSTER_MALFORMED, { field: 'members' });
  if (members.length === 0) throw new CohortException(CohortExceptionCode.ROSTER_EMPTY, { field: 'members' });
  if (members.length > ROSTER_MAX_ROWS) {
    throw new CohortException(CohortExceptionCode.ROSTER_TOO_LARGE, { field: 'members' });
  }
  return members.map((m: unknown, i) => ({
    rowNumber: i + 1,
    values: m && typeof m === 'object' && !Array.isArray(m) ? (m as RawRow['values']) : null,
  }));
}

function readCsv(body: unknown): RawRow[] {
  if (typeof body !== 'string') throw new CohortException(CohortExceptionCode.ROSTER_MALFORMED, { field: 'file' });
  const text = stripBom(body);
  if (looksNotUtf8(text)) throw new CohortException(CohortExceptionCode.CSV_NOT_UTF8, { field: 'file' });
  if (text.trim() === '') throw new CohortException(CohortExceptionCode.ROSTER_EMPTY, { field: 'file' });
  const layout = detectCsvLayout(text, HEADER_INDEX, ['fullName']);
  const missingColumns: string[] = [...layout.missing];
  if (CONTACT_COLUMNS.every((c) => layout.columns[c] === undefined)) missingColumns.push('emailOrPhone');
  if (missingColumns.length > 0) {
    throw new CohortException(CohortExceptionCode.CSV_MISSING_COLUMNS, {
      field: 'file',
      extensions: { missingColumns, headers: layout.headers.slice(0, 50) },
    });
  }
  const rows: RawRow[] = [];
  try {
    for (const { rowNumber, values } of csvRows(text, layout)) {
      // Rows without any recognised cell (blank, or only a pre-numbered STT) are not people.
      if (Object.keys(values).length === 0) continue;
      if (rows.length === ROSTER_MAX_ROWS) {
        throw new CohortException(CohortExceptionCode.ROSTER_TOO_LARGE, { field: 'file' });
      }
      const { contact } = values;
      const contactIsEmail = contact?.includes('@') ?? false;
      rows.push({
        rowNumber,
        values: {
          fullName: values.fullName,
          email: values.email ?? (contactIsEmail ? contact : undefined),
          phone: values.phone ?? (contactIsEmail ? undefined : contact),
          orgUnitCode: values.orgUnitCode,
        },
      });
    }
  } catch (err) {
    if (err instanceof CsvSyntaxError) {
      throw new CohortException(CohortExceptionCode.ROSTER_MALFORMED, { field: 'file' });
    }
    throw err;
  }
  if (rows.length === 0) throw new CohortException(CohortExceptionCode.ROSTER_EMPTY, { field: 'file' });
  return rows;
}

/** Absent (undefined, null, blank), a string, or the wrong type. */
type Cell = { kind: 'absent' } | { kind: 'text'; value: string } | { kind: 'wrong-type' };

function cell(v: unknown): Cell {
  if (v === undefined || v === null) return { kind: 'absent' };
  if (typeof v !== 'string') return { kind: 'wrong-type' };
  return v.trim() === '' ? { kind: 'absent' } : { kind: 'text', value: v };
}

/** A phone as typed: digits with spaces, dots, dashes, brackets and "+" only (no letters or notes). */
const PHONE_CHARS = /^[\d\s+().-]+$/;

function validateRows(format: 'json' | 'csv', rows: RawRow[]): ParsedRoster {
  const entries: RosterEntry[] = [];
  const errors: RosterRowError[] = [];
  const byEmail = new Map<string, number>();
  const byPhone = new Map<string, number>();

  for (const { rowNumber, values } of rows) {
    if (!values) {
      errors.push({ rowNumber, code: RosterRowCode.FIELD_TYPE_INVALID, field: 'members' });
      continue;
    }
    const rowErrors: Array<{ field: string; code: RosterRowCode }> = [];
    const fail = (field: string, code: RosterRowCode) => rowErrors.push({ field, code });

    let fullName: string | null = null;
    let shownName: string | undefined;
    const name = cell(values.fullName);
    if (name.kind === 'wrong-type') fail('fullName', RosterRowCode.FIELD_TYPE_INVALID);
    else if (name.kind === 'absent') fail('fullName', RosterRowCode.NAME_REQUIRED);
    else {
      const normalized = normalizeText(name.value);
      if (normalized.length > MAX_NAME) {
        fail('fullName', RosterRowCode.TEXT_TOO_LONG);
        shownName = `${normalized.slice(0, MAX_NAME)}…`;
      } else {
        fullName = normalized;
        shownName = normalized;
      }
    }

    let email: string | null = null;
    const rawEmail = cell(values.email);
    if (rawEmail.kind === 'wrong-type') fail('email', RosterRowCode.FIELD_TYPE_INVALID);
    else if (rawEmail.kind === 'text') {
      const normalized = normalizeEmail(rawEmail.value);
      if (normalized.length > MAX_EMAIL || !isEmail(normalized)) fail('email', RosterRowCode.EMAIL_INVALID);
      else email = normalized;
    }

    let phone: string | null = null;
    const rawPhone = cell(values.phone);
    if (rawPhone.kind === 'wrong-type') fail('phone', RosterRowCode.FIELD_TYPE_INVALID);
    else if (rawPhone.kind === 'text') {
      phone = normalizePhone(rawPhone.value);
      if (phone === null) fail('phone', RosterRowCode.PHONE_INVALID);
    }

    if (rawEmail.kind === 'absent' && rawPhone.kind === 'absent') fail('email', RosterRowCode.CONTACT_REQUIRED);

    let orgUnitCode: string | null = null;
    const rawCode = cell(values.orgUnitCode);
    if (rawCode.kind === 'wrong-type') fail('orgUnitCode', RosterRowCode.FIELD_TYPE_INVALID);
    else if (rawCode.kind === 'text') {
      const trimmed = rawCode.value.normalize('NFC').trim();
      if (trimmed.length > MAX_ORG_UNIT_CODE) fail('orgUnitCode', RosterRowCode.TEXT_TOO_LONG);
      else orgUnitCode = trimmed;
    }

    const withName = shownName === undefined ? {} : { fullName: shownName };
    if (rowErrors.length > 0 || fullName === null) {
      for (const e of rowErrors) errors.push({ rowNumber, code: e.code, field: e.field, ...withName });
      continue;
    }

    const sameEmail = email === null ? undefined : byEmail.get(email);
    const samePhone = phone === null ? undefined : byPhone.get(phone);
    if (sameEmail !== undefined || samePhone !== undefined) {
      errors.push({
        rowNumber,
        code: RosterRowCode.DUPLICATE_IN_ROSTER,
        field: sameEmail !== undefined ? 'email' : 'phone',
        duplicateOfRow: (sameEmail ?? samePhone) as number,
        ...withName,
      });
      continue;
    }
    if (email !== null) byEmail.set(email, rowNumber);
    if (phone !== null) byPhone.set(phone, rowNumber);
    entries.push({ rowNumber, fullName, email, phone, orgUnitCode });
  }
  return { format, entries, errors, totalRows: rows.length };
}

/**
 * A Vietnamese mobile number in E.164, or null. Also takes what Excel makes of one: the leading 0
 * dropped ("912345678"), "84912345678", "+84 912 345 678", "0912.345.678", full-width digits.
 */
function normalizePhone(raw: string): string | null {
  const typed = raw.normalize('NFKC').trim();
  if (!PHONE_CHARS.test(typed)) return null;
  try {
    return normalizeVietnamesePhone(typed);
  } catch (err) {
    if (err instanceof IdentityException) return null;
    throw err;
  }
}
