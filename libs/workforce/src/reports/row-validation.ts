import { foldDiacritics, normalizeText } from '@hocso/common';
import { epochDay, localDateOf } from '../time/iso-week';
import { RowErrorCode } from '../workforce.exception';
import type { ReportField, SourceRow } from './report-format';

export const MIN_SESSION_MINUTES = 1;
export const MAX_SESSION_MINUTES = 600;
const MAX_TOPIC = 200;
const MAX_TRAINER = 120;
const MAX_EXTERNAL_REF = 100;
const COURSE_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface RosterWorker {
  id: string;
  activeFrom: string | null;
  activeTo: string | null;
}

export interface RowContext {
  /** upper-cased worker code → worker */
  roster: Map<string, RosterWorker>;
  /** today's local date: later dates are rejected */
  today: string;
  /** earliest accepted local date (the reporting window) */
  earliest: string;
  /** natural key → first row that used it, within this report */
  seen: Map<string, number>;
}

export interface AcceptedRow {
  rowNumber: number;
  workerId: string;
  localDate: string;
  sessionKey: string;
  minutes: number;
  topic: string;
  courseSlug: string | null;
  trainer: string | null;
  externalRef: string | null;
}

export interface RowError {
  rowNumber: number;
  field: string;
  code: RowErrorCode;
  value: string | null;
}

/** Worker codes are the enterprise's own identifiers, matched case-insensitively. */
export function normalizeWorkerCode(code: string): string {
  return code.normalize('NFC').trim().toUpperCase();
}

/** The natural key's last part: the external reference when given, otherwise the folded topic. */
export function sessionKeyOf(topic: string, externalRef: string | null): string {
  return externalRef ? `ref:${externalRef}` : `topic:${foldDiacritics(topic)}`;
}

const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const YMD_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A report date as a local date (Asia/Ho_Chi_Minh): YYYY-MM-DD or dd/MM/yyyy (also d/M/yyyy,
 * dd-MM-yyyy, dd.MM.yyyy), optionally with a local time; or an instant with a zone
 * (2026-01-04T23:30:00Z), which is converted — 23:30 UTC is the next local day.
 */
export function parseReportDate(raw: string): string | null {
  const s = raw.trim();
  if (ZONED.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : localDateOf(new Date(t));
  }
  const ymd = YMD_TIME.exec(s);
  if (ymd) return validTime(ymd[2], ymd[3], ymd[4]) && epochDay(ymd[1]) !== null ? ymd[1] : null;
  const dmy = DMY.exec(s);
  if (dmy) {
    const date = `${dmy[3]}-${dmy[2].padStart(2, '0')}-${dmy[1].padStart(2, '0')}`;
    return validTime(dmy[4], dmy[5], dmy[6]) && epochDay(date) !== null ? date : null;
  }
  return null;
}

function validTime(h?: string, m?: string, s?: string): boolean {
  if (h === undefined) return true;
  return Number(h) < 24 && Number(m) < 60 && (s === undefined || Number(s) < 60);
}

const clip = (v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
};

/** Optional text: a string (numbers allowed for codes) or absent. */
function text(v: unknown): { ok: true; value: string | null } | { ok: false } {
  if (v === undefined || v === null) return { ok: true, value: null };
  if (typeof v === 'number' && Number.isFinite(v)) return { ok: true, value: String(v) };
  if (typeof v !== 'string') return { ok: false };
  const t = normalizeText(v);
  return { ok: true, value: t === '' ? null : t };
}

/** Validates one row against the roster, dates window and the rows before it. */
export function validateRow(row: SourceRow, ctx: RowContext): { accepted: AcceptedRow } | { errors: RowError[] } {
  const errors: RowError[] = [];
  const fail = (field: string, code: RowErrorCode, value?: unknown) =>
    errors.push({ rowNumber: row.rowNumber, field, code, value: clip(value) });
  if (!row.values) {
    fail('(row)', RowErrorCode.ROW_NOT_AN_OBJECT);
    return { errors };
  }
  const v = row.values as Partial<Record<ReportField, unknown>>;
  if (row.extraCells) fail('(row)', RowErrorCode.MALFORMED_ROW);

  // worker
  let worker: RosterWorker | undefined;
  const code = text(v.workerCode);
  if (!code.ok) fail('workerCode', RowErrorCode.FIELD_TYPE_INVALID, v.workerCode);
  else if (!code.value) fail('workerCode', RowErrorCode.WORKER_CODE_REQUIRED);
  else {
    worker = ctx.roster.get(normalizeWorkerCode(code.value));
    if (!worker) fail('workerCode', RowErrorCode.UNKNOWN_WORKER, code.value);
  }

  // date
  let localDate: string | null = null;
  if (v.date === undefined || v.date === null || v.date === '') fail('date', RowErrorCode.DATE_REQUIRED);
  else if (typeof v.date !== 'string') fail('date', RowErrorCode.FIELD_TYPE_INVALID, v.date);
  else {
    localDate = parseReportDate(v.date);
    if (!localDate) fail('date', RowErrorCode.DATE_INVALID, v.date);
    else if (localDate > ctx.today) {
      fail('date', RowErrorCode.DATE_IN_FUTURE, v.date);
      localDate = null;
    } else if (localDate < ctx.earliest) {
      fail('date', RowErrorCode.DATE_TOO_OLD, v.date);
      localDate = null;
    }
  }
  if (worker && localDate) {
    const inactive =
      (worker.activeFrom !== null && localDate < worker.activeFrom) ||
      (worker.activeTo !== null && localDate > worker.activeTo);
    if (inactive) fail('workerCode', RowErrorCode.INACTIVE_WORKER, code.ok ? code.value : null);
  }

  // minutes
  let minutes: number | null = null;
  if (v.minutes === undefined || v.minutes === null || v.minutes === '') fail('minutes', RowErrorCode.MINUTES_REQUIRED);
  else {
    const n =
      typeof v.minutes === 'number'
        ? v.minutes
        : typeof v.minutes === 'string' && /^\s*\d+(?:[.,]0+)?\s*$/.test(v.minutes)
          ? Number.parseInt(v.minutes, 10)
          : Number.NaN;
    if (!Number.isInteger(n)) fail('minutes', RowErrorCode.MINUTES_INVALID, v.minutes);
    else if (n < MIN_SESSION_MINUTES || n > MAX_SESSION_MINUTES)
      fail('minutes', RowErrorCode.MINUTES_OUT_OF_RANGE, v.minutes);
    else minutes = n;
  }

  // topic and the optional fields
  const topic = text(v.topic);
  if (!topic.ok || (v.topic !== undefined && typeof v.topic !== 'string'))
    fail('topic', RowErrorCode.FIELD_TYPE_INVALID, v.topic);
  else if (!topic.value) fail('topic', RowErrorCode.TOPIC_REQUIRED);
  else if (topic.value.length > MAX_TOPIC) fail('topic', RowErrorCode.TEXT_TOO_LONG, topic.value);
  const slug = text(v.courseSlug);
  if (!slug.ok) fail('courseSlug', RowErrorCode.FIELD_TYPE_INVALID, v.courseSlug);
  else if (slug.value && (slug.value.length > 100 || !COURSE_SLUG.test(slug.value)))
    fail('courseSlug', RowErrorCode.COURSE_SLUG_INVALID, slug.value);
  const trainer = text(v.trainer);
  if (!trainer.ok) fail('trainer', RowErrorCode.FIELD_TYPE_INVALID, v.trainer);
  else if (trainer.value && trainer.value.length > MAX_TRAINER)
    fail('trainer', RowErrorCode.TEXT_TOO_LONG, trainer.value);
  const ref = text(v.externalRef);
  if (!ref.ok) fail('externalRef', RowErrorCode.FIELD_TYPE_INVALID, v.externalRef);
  else if (ref.value && ref.value.length > MAX_EXTERNAL_REF) fail('externalRef', RowErrorCode.TEXT_TOO_LONG, ref.value);

  if (errors.length > 0 || !worker || !localDate || minutes === null || !topic.ok || !topic.value) {
    return { errors };
  }
  const externalRef = ref.ok ? ref.value : null;
  const sessionKey = sessionKeyOf(topic.value, externalRef);
  const natural = `${worker.id}|${localDate}|${sessionKey}`;
  const first = ctx.seen.get(natural);
  if (first !== undefined) {
    fail('(row)', RowErrorCode.DUPLICATE_ROW, `= ${first}`);
    return { errors };
  }
  ctx.seen.set(natural, row.rowNumber);
  return {
    accepted: {
      rowNumber: row.rowNumber,
      workerId: worker.id,
      localDate,
      sessionKey,
      minutes,
      topic: topic.value,
      courseSlug: slug.ok ? slug.value : null,
      trainer: trainer.ok ? trainer.value : null,
      externalRef,
    },
  };
}
