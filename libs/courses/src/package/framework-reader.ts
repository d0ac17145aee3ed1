import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LocalizedText } from '@hocso/common';
import { Checker } from './checker';
import type { FrameworkCodes } from './competency-catalog';
import { contentHash } from './content-hash';
import { type PackageProblem, problem } from './problems';
import { joinPath, parseYaml } from './yaml-source';

/** A competency framework as written in content/frameworks/*.yaml (CONTEXT.md §1, §4, §7.2). */
export interface FrameworkDefinition {
  code: string;
  version: string;
  name: LocalizedText;
  source: string | null;
  levels: Array<{ code: string; step: number; name: LocalizedText; attributes: Record<string, unknown> }>;
  domains: Array<{
    code: string;
    name: LocalizedText;
    attributes: Record<string, unknown>;
    competencies: Array<{ code: string; name: LocalizedText; attributes: Record<string, unknown> }>;
  }>;
  contentHash: string;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9.:_-]*$/;
const CODE_HINT = {
  vi: 'chữ, số và các dấu . : _ -, ví dụ 1.1 hoặc HCM:U',
  en: 'letters, digits and . : _ -, e.g. 1.1 or HCM:U',
};

/** Extra fields kept as attributes (digcomp, level, tt02 crosswalk …): scalars or lists of scalars. */
function attributes(c: Checker, obj: Record<string, unknown>, path: string, known: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (known.includes(k)) continue;
    const scalar = (x: unknown) => x === null || ['string', 'number', 'boolean'].includes(typeof x);
    if (scalar(v) || (Array.isArray(v) && v.every(scalar))) {
      out[k] = typeof v === 'string' ? v.normalize('NFC') : v;
    } else {
      c.wrongType(joinPath(path, k), 'text');
    }
  }
  return out;
}

export function validateFramework(raw: unknown): {
  value?: Omit<FrameworkDefinition, 'contentHash'>;
  problems: PackageProblem[];
} {
  const c = new Checker();
  const root = c.object(raw, '', ['code', 'version', 'name', 'source', 'levels', 'domains']);
  if (!root) return { problems: c.problems };
  const code = c.token(
    root.code,
    'code',
    /^[A-Z][A-Z0-9-]*$/,
    { vi: 'chữ in hoa, số và dấu gạch ngang, ví dụ TT02', en: 'upper-case letters, digits and hyphens, e.g. TT02' },
    40,
  );
  const version = c.text(root.version, 'version', { max: 40, singleLine: true });
  const name = c.localized(root.name, 'name', 300);
  const source = c.text(root.source, 'source', { max: 1000, optional: true, singleLine: true }) ?? null;
  const levels: FrameworkDefinition['levels'] = [];
  c.list(root.levels, 'levels', 1, 20)?.forEach((rawLevel, i) => {
    const p = joinPath('levels', i);
    const l = c.object(rawLevel, p, Object.keys((rawLevel as object) ?? {}));
    if (!l) return;
    const lc = c.token(l.code, joinPath(p, 'code'), CODE, CODE_HINT, 40);
    const step = c.integer(l.step, joinPath(p, 'step'), 1, 100);
    const ln = c.localized(l.name, joinPath(p, 'name'), 200);
    const attrs = attributes(c, l, p, ['code', 'step', 'name']);
    if (lc && step && ln) levels.push({ code: lc, step, name: ln, attributes: attrs });
  });
  c.unique(
    levels.map((l) => l.code),
    'levels',
  );
  const domains: FrameworkDefinition['domains'] = [];
  const allCodes: string[] = [];
  c.list(root.domains, 'domains', 1, 100)?.forEach((rawDomain, d) => {
    const p = joinPath('domains', d);
    const dom = c.object(rawDomain, p, Object.keys((rawDomain as object) ?? {}));
    if (!dom) return;
    const dc = c.token(
      typeof dom.code === 'number' ? String(dom.code) : dom.code,
      joinPath(p, 'code'),
      CODE,
      CODE_HINT,
      40,
    );
    const dn = c.localized(dom.name, joinPath(p, 'name'), 300);
    const competencies: FrameworkDefinition['domains'][number]['competencies'] = [];
    c.list(dom.competencies, joinPath(p, 'competencies'), 1, 100)?.forEach((rawComp, k) => {
      const cp = joinPath(joinPath(p, 'competencies'), k);
      const comp = c.object(rawComp, cp, Object.keys((rawComp as object) ?? {}));
      if (!comp) return;
      const cc = c.token(
        typeof comp.code === 'number' ? String(comp.code) : comp.code,
        joinPath(cp, 'code'),
        CODE,
        CODE_HINT,
        40,
      );
      const cn = c.localized(comp.name, joinPath(cp, 'name'), 300);
      const attrs = attributes(c, comp, cp, ['code', 'name']);
      if (cc && cn) {
        competencies.push({ code: cc, name: cn, attributes: attrs });
        allCodes.push(cc);
      }
    });
    const attrs = attributes(c, dom, p, ['code', 'name', 'competencies']);
    if (dc && dn) {
      domains.push({ code: dc, name: dn, attributes: attrs, competencies });
      allCodes.push(dc);
    }
  });
  c.unique(allCodes, 'domains');
  if (c.problems.length > 0 || !code || !version || !name) return { problems: c.problems };
  return { value: { code, version, name, source, levels, domains }, problems: [] };
}

export function frameworkCodes(f: Pick<FrameworkDefinition, 'code' | 'levels' | 'domains'>): FrameworkCodes {
  return {
    code: f.code,
    levels: f.levels.map((l) => l.code),
    codes: f.domains.flatMap((d) => [d.code, ...d.competencies.map((c) => c.code)]),
  };
}

/** Reads every content/frameworks/*.yaml; problems carry file and line. */
export function readFrameworks(contentDir: string): { frameworks: FrameworkDefinition[]; problems: PackageProblem[] } {
  const dir = join(contentDir, 'frameworks');
  const frameworks: FrameworkDefinition[] = [];
  const problems: PackageProblem[] = [];
  const seen = new Map<string, string>();
  let names: string[] = [];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch {
    names = [];
  }
  for (const name of names) {
    const file = join(dir, name);
    const rel = relative(contentDir, file).split('\\').join('/');
    const parsed = parseYaml(readFileSync(file, 'utf8').normalize('NFC'));
    if (!parsed.ok) {
      problems.push({ ...problem('YAML_SYNTAX', '', { reason: parsed.reason }), file: rel, line: parsed.line });
      continue;
    }
    const result = validateFramework(parsed.value);
    const locate = (path: string) => {
      let p = path;
      while (p !== '' && !parsed.lines.has(p)) p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '';
      return parsed.lines.get(p) ?? 1;
    };
    problems.push(...result.problems.map((p) => ({ ...p, file: rel, line: locate(p.path) })));
    if (!result.value) continue;
    const key = `${result.value.code}@${result.value.version}`;
    const other = seen.get(key);
    if (other) {
      problems.push({
        ...problem('FRAMEWORK_DUPLICATE', 'code', {
          code: result.value.code,
          version: result.value.version,
          other,
        }),
        file: rel,
        line: locate('code'),
      });
      continue;
    }
    seen.set(key, rel);
    frameworks.push({ ...result.value, contentHash: contentHash(result.value) });
  }
  return { frameworks, problems };
}
