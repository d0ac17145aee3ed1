import type { LocalizedText } from '@hocso/common';
import { type PackageProblem, type ProblemCode, problem } from './problems';
import { joinPath } from './yaml-source';

const TYPE_NAMES = {
  text: { vi: 'một đoạn chữ', en: 'text' },
  integer: { vi: 'một số nguyên', en: 'a whole number' },
  number: { vi: 'một số', en: 'a number' },
  boolean: { vi: 'true hoặc false', en: 'true or false' },
  list: { vi: 'một danh sách (mỗi phần tử một dòng bắt đầu bằng "- ")', en: 'a list (one "- " line per entry)' },
  mapping: { vi: 'một nhóm trường (tên: giá trị)', en: 'a mapping (name: value)' },
  localized: {
    vi: 'một nhóm có hai trường vi (tiếng Việt) và en (tiếng Anh)',
    en: 'a mapping with two fields, vi (Vietnamese) and en (English)',
  },
} satisfies Record<string, LocalizedText>;

export type TypeName = keyof typeof TYPE_NAMES;

/** How a path is shown to an editor: "title.vi", "competencies[2]", "passMark". */
export function fieldName(path: string): string {
  const segs = path.split('.');
  const last = segs[segs.length - 1] ?? '';
  const prev = segs[segs.length - 2];
  if (/^\d+$/.test(last)) return prev ? `${prev}[${last}]` : `[${last}]`;
  if ((last === 'vi' || last === 'en') && prev && !/^\d+$/.test(prev)) return `${prev}.${last}`;
  return last;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects problems while reading an untrusted value; each reader returns the clean value or undefined. */
export class Checker {
  readonly problems: PackageProblem[] = [];

  add(code: ProblemCode, path: string, params: Record<string, string | number> = {}): void {
    this.problems.push(problem(code, path, { field: fieldName(path), ...params }));
  }

  wrongType(path: string, expected: TypeName): undefined {
    const t = TYPE_NAMES[expected];
    this.add('WRONG_TYPE', path, { expectedVi: t.vi, expectedEn: t.en });
    return undefined;
  }

  /**
   * A mapping with only `allowed` keys (a typo such as "corect" is reported, never ignored).
   * Missing fields are reported by the reader of each field.
   */
  object(value: unknown, path: string, allowed: readonly string[]) {
    if (value === undefined || value === null) {
      this.add('REQUIRED', path);
      return undefined;
    }
    if (!isPlainObject(value)) return this.wrongType(path, 'mapping');
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.add('UNKNOWN_FIELD', joinPath(path, key), { allowed: allowed.join(', ') });
    }
    return value;
  }

  /** Text: NFC, trimmed (inner line breaks kept for multi-line fields), not empty, at most `max`. */
  text(value: unknown, path: string, options: { max: number; optional?: boolean; singleLine?: boolean }) {
    if (value === undefined || value === null) {
      if (!options.optional) this.add('REQUIRED', path);
      return undefined;
    }
    if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
    if (typeof value !== 'string') return this.wrongType(path, 'text');
    let clean = value.normalize('NFC').trim();
    if (options.singleLine) clean = clean.replace(/\s+/gu, ' ');
    if (clean === '') {
      this.add('EMPTY', path);
      return undefined;
    }
    if (clean.length > options.max) {
      this.add('TOO_LONG', path, { length: clean.length, max: options.max });
      return undefined;
    }
    return clean;
  }

  /** Single-line text matching `pattern`; the hint says what the format is. */
  token(value: unknown, path: string, pattern: RegExp, hint: LocalizedText, max = 80) {
    const text = this.text(value, path, { max, singleLine: true });
    if (text === undefined) return undefined;
    if (!pattern.test(text)) {
      this.add('PATTERN', path, { hintVi: hint.vi, hintEn: hint.en });
      return undefined;
    }
    return text;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
    const text = this.text(value, path, { max: 80, singleLine: true });
    if (text === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(text)) {
      this.add('NOT_ALLOWED_VALUE', path, { value: text, allowed: allowed.join(', ') });
      return undefined;
    }
    return text as T;
  }

  integer(value: unknown, path: string, min: number, max: number) {
    if (value === undefined || value === null) {
      this.add('REQUIRED', path);
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.wrongType(path, 'integer');
    if (value < min || value > max) {
      this.add('OUT_OF_RANGE', path, { min, max, value });
      return undefined;
    }
    return value;
  }

  number(value: unknown, path: string, min: number, max: number) {
    if (value === undefined || value === null) {
      this.add('REQUIRED', path);
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.wrongType(path, 'number');
    if (value < min || value > max) {
      this.add('OUT_OF_RANGE', path, { min, max, value });
      return undefined;
    }
    return value;
  }

  boolean(value: unknown, path: string, optional = false) {
    if (value === undefined || value === null) {
      if (!optional) this.add('REQUIRED', path);
      return undefined;
    }
    if (typeof value !== 'boolean') return this.wrongType(path, 'boolean');
    return value;
  }

  /** A list with `min`–`max` entries; a lone value is not silently wrapped. */
  list(value: unknown, path: string, min: number, max: number, optional = false): unknown[] | undefined {
    if (value === undefined || value === null) {
      if (optional) return [];
      this.add('REQUIRED', path);
      return undefined;
    }
    if (!Array.isArray(value)) return this.wrongType(path, 'list');
    if (value.length < min || value.length > max) {
      this.add('COUNT_OUT_OF_RANGE', path, { min, max, count: value.length });
    }
    return value;
  }

  /** `{ vi, en }`, both required. */
  localized(value: unknown, path: string, max: number): LocalizedText | undefined {
    if (value === undefined || value === null) {
      this.add('REQUIRED', path);
      return undefined;
    }
    if (!isPlainObject(value)) return this.wrongType(path, 'localized');
    const obj = this.object(value, path, ['vi', 'en']);
    if (!obj) return undefined;
    const vi = this.text(obj.vi, joinPath(path, 'vi'), { max, singleLine: max <= 300 });
    const en = this.text(obj.en, joinPath(path, 'en'), { max, singleLine: max <= 300 });
    return vi !== undefined && en !== undefined ? { vi, en } : undefined;
  }

  url(value: unknown, path: string, options: { optional?: boolean; suffix?: RegExp } = {}) {
    const text = this.text(value, path, { max: 2000, singleLine: true, optional: options.optional });
    if (text === undefined) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(text);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || !parsed.hostname) {
      this.add('URL_INVALID', path);
      return undefined;
    }
    return text;
  }

  /** Reports values that appear twice (after `key` folds them). */
  unique(values: Array<string | undefined>, path: string, key: (v: string) => string = (v) => v): void {
    const seen = new Set<string>();
    values.forEach((v, i) => {
      if (v === undefined) return;
      const k = key(v);
      if (seen.has(k)) this.add('DUPLICATE_VALUE', joinPath(path, i), { value: v });
      seen.add(k);
    });
  }
}
