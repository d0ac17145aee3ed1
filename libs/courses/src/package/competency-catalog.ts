/** The competency codes a package may use, built from the current framework versions. */
export interface FrameworkCodes {
  /** framework code, e.g. "TT02", "UNESCO-CFS" */
  code: string;
  /** level codes, e.g. CB1…CS2 */
  levels: string[];
  /** local codes of domains and competencies, e.g. "1", "1.1", "HCM", "HCM:U" */
  codes: string[];
}

export type CompetencyCheck =
  | { ok: true }
  | { ok: false; problem: 'UNKNOWN_COMPETENCY'; params: { code: string } }
  | {
      ok: false;
      problem: 'UNKNOWN_COMPETENCY_LEVEL';
      params: { code: string; level: string; framework: string; levels: string };
    };

/**
 * Competency codes have the form `<FRAMEWORK>:<code>` with an optional `@<level>`
 * (CONTEXT.md §7.2): "TT02:2.3", "TT02:6.2@CB2", "UNESCO-CFS:HCM:U".
 */
export class CompetencyCatalog {
  private readonly frameworks = new Map<string, { levels: Set<string>; codes: Set<string> }>();

  constructor(frameworks: FrameworkCodes[]) {
    for (const f of frameworks) this.frameworks.set(f.code, { levels: new Set(f.levels), codes: new Set(f.codes) });
  }

  get size(): number {
    return this.frameworks.size;
  }

  check(full: string): CompetencyCheck {
    const at = full.lastIndexOf('@');
    const code = at >= 0 ? full.slice(0, at) : full;
    const level = at >= 0 ? full.slice(at + 1) : undefined;
    const colon = code.indexOf(':');
    const framework = colon > 0 ? this.frameworks.get(code.slice(0, colon)) : undefined;
    if (!framework?.codes.has(code.slice(colon + 1))) {
      return { ok: false, problem: 'UNKNOWN_COMPETENCY', params: { code: full } };
    }
    if (level !== undefined && !framework.levels.has(level)) {
      return {
        ok: false,
        problem: 'UNKNOWN_COMPETENCY_LEVEL',
        params: { code: full, level, framework: code.slice(0, colon), levels: [...framework.levels].join(', ') },
      };
    }
    return { ok: true };
  }
}
