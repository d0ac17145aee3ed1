import { createHash } from 'node:crypto';
import { FAMILY_NAMES, GIVEN_NAMES_FEMALE, GIVEN_NAMES_MALE, MIDDLE_NAMES_FEMALE, MIDDLE_NAMES_MALE } from './names';

/** NFC, so every name the demo writes compares equal to what users type. */
export const nfc = (s: string) => s.normalize('NFC');

/** A SQL string literal (the vocabulary is ours, but quote properly anyway). */
export const lit = (s: string) => `'${nfc(s).replace(/'/g, "''")}'`;

/**
 * Deterministic pseudo-randomness on the Node side (mulberry32 seeded by a string): the few
 * thousand decisions planned in TypeScript (units, enterprises, trainers, cohorts) come out the
 * same on every run of a scale.
 */
export class Rng {
  private state: number;

  constructor(seed: string) {
    let h = 2166136261;
    for (let i = 0; i < seed.length; i++) {
      h ^= seed.charCodeAt(i);
      h = Math.imul(h, 16777619);
    }
    this.state = h >>> 0;
  }

  /** [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** integer in [min, max] */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** index chosen with probability proportional to its weight */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
}

/**
 * `slots` entries, each item repeated in proportion to its weight (largest remainder): SQL picks
 * from it with one array subscript, `arr[1 + floor(u * slots)]`.
 */
export function buckets<T>(items: readonly T[], weights: readonly number[], slots: number): T[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / total) * slots);
  const counts = exact.map(Math.floor);
  let left = slots - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    counts[i]++;
    left--;
  }
  const out: T[] = [];
  items.forEach((item, i) => {
    for (let k = 0; k < counts[i]; k++) out.push(item);
  });
  return out;
}

/** Splits `total` into integer parts proportional to `weights` (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i]++;
    left--;
  }
  return parts;
}

/** Each name repeated in proportion to its weight, in about `slots` entries (short: text subscripts walk). */
const expand = (list: Array<[string, number]>, slots = 120) => {
  const total = list.reduce((a, [, w]) => a + w, 0);
  return list.flatMap(([name, w]) => Array<string>(Math.max(1, Math.round((w / total) * slots))).fill(name));
};

/** The id kinds the generator derives UUIDs for, each with its own 8-hex prefix per run. */
export const ID_KINDS = ['u', 'w', 'q', 'c', 's', 'r', 'e', 'f', 'login'] as const;
const arrayLiteral = (items: string[]) => `ARRAY[${items.map(lit).join(',')}]::text[]`;

const prefixOf = (runSalt: string, kind: string) =>
  createHash('md5').update(`hocso-demo:${runSalt}:${kind}`).digest('hex').slice(0, 8);

/**
 * Session helpers in pg_temp (they vanish with the connection), all deterministic:
 *  - u(salt, n): uniform [0, 1) from hashtext — the set-based generator's only randomness (the
 *    run salt is the demo prefix, so a first run is the same every time and `--force` runs differ);
 *  - id(kind, n): a v4-shaped UUID made of a per-run, per-kind prefix and n, so rows made by one
 *    statement can be referenced by the next without a lookup table (the run salt keeps `--force`
 *    runs apart), cheap to compute and in n order (bulk index inserts stay sequential);
 *  - ts(local date, seconds): the instant of a local wall-clock time (Asia/Ho_Chi_Minh is UTC+7
 *    all year); ldate(instant): its local date;
 *  - vn_name(n, salt, pFemale): a Vietnamese full name (family, middle, given) in NFC.
 */
export function sessionHelpersSql(runSalt: string): string[] {
  if (!/^[a-z0-9]+$/.test(runSalt)) throw new Error('run salt must be [a-z0-9]+');
  const fam = expand(FAMILY_NAMES);
  const midM = expand(MIDDLE_NAMES_MALE);
  const midF = expand(MIDDLE_NAMES_FEMALE);
  const at = (arr: string[], salt: string) =>
    `(${arrayLiteral(arr)})[1 + floor(pg_temp.u(salt || '${salt}', n) * ${arr.length})::int]`;
  return [
    `CREATE OR REPLACE FUNCTION pg_temp.u(salt text, n bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS
       $f$ SELECT (hashtext('${runSalt}:' || salt || ':' || n::text)::float8 + 2147483648.0) / 4294967296.0 $f$`,
    `CREATE OR REPLACE FUNCTION pg_temp.id(kind text, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS
       $f$ SELECT (CASE kind ${ID_KINDS.map((k) => `WHEN '${k}' THEN '${prefixOf(runSalt, k)}'`).join(' ')} END
                   || '-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $f$`,
    `CREATE OR REPLACE FUNCTION pg_temp.ts(d date, secs float8) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS
       $f$ SELECT ((d + make_interval(secs => secs)) - interval '7 hours') AT TIME ZONE 'UTC' $f$`,
    `CREATE OR REPLACE FUNCTION pg_temp.ldate(t timestamptz) RETURNS date LANGUAGE sql IMMUTABLE AS
       $f$ SELECT ((t AT TIME ZONE 'UTC') + interval '7 hours')::date $f$`,
    `CREATE OR REPLACE FUNCTION pg_temp.vn_name(n bigint, salt text, p_female float8) RETURNS text LANGUAGE sql IMMUTABLE AS
       $f$ SELECT ${at(fam, 'f')} || ' ' || CASE WHEN pg_temp.u(salt || 'g', n) < p_female
         THEN ${at(midF, 'm')} || ' ' || ${at(GIVEN_NAMES_FEMALE, 'v')}
         ELSE ${at(midM, 'm')} || ' ' || ${at(GIVEN_NAMES_MALE, 'v')} END $f$`,
  ];
}
