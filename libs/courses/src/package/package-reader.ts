import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { isPlainObject } from './checker';
import type { CompetencyCatalog } from './competency-catalog';
import { splitLessonMarkdown } from './lesson-markdown';
import type { CoursePackage } from './package.types';
import { LESSON_SLUG_PATTERN, type ValidateOptions, validateCoursePackage } from './package-validator';
import { type PackageProblem, type ProblemCode, problem } from './problems';
import { joinPath, parseYaml } from './yaml-source';

interface Place {
  file: string;
  line?: number;
}

/** Where each path of the JSON form came from, to report problems at file:line. */
export class SourceMap {
  private readonly places = new Map<string, Place>();

  set(path: string, place: Place): void {
    this.places.set(path, place);
  }

  /** Records every line of a parsed YAML fragment under `prefix`. */
  setAll(prefix: string, file: string, lines: Map<string, number>): void {
    for (const [path, line] of lines) {
      if (path === '' && this.places.has(prefix)) continue; // keep the fence / file line for the root
      this.places.set(path === '' ? prefix : joinPath(prefix, path), { file, line });
    }
  }

  /** The place of `path`, or of its nearest ancestor that has one. */
  locate(path: string): Place | undefined {
    let p = path;
    for (;;) {
      const place = this.places.get(p);
      if (place) return place;
      if (p === '') return undefined;
      const dot = p.lastIndexOf('.');
      p = dot < 0 ? '' : p.slice(0, dot);
    }
  }
}

export interface ReadPackageResult {
  slug: string;
  /** the JSON form, as read (not yet validated) */
  raw: unknown;
  /** the validated, normalised package when there were no problems */
  package?: CoursePackage;
  problems: PackageProblem[];
}

const readText = (path: string): string | { error: string } => {
  try {
    const buffer = readFileSync(path);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
    return text.normalize('NFC');
  } catch (err) {
    if (err instanceof TypeError) return { error: 'NOT_UTF8' };
    return { error: err instanceof Error ? err.message : String(err) };
  }
};

/**
 * Reads `content/courses/<slug>/` — course.yaml and lessons/*.md — into the JSON form, validates it
 * and reports every problem with its file (relative to `baseDir`) and line.
 */
export function readCoursePackage(
  courseDir: string,
  options: ValidateOptions & { baseDir: string },
): ReadPackageResult {
  const folder = basename(courseDir);
  const rel = (p: string) => relative(options.baseDir, p).split('\\').join('/');
  const courseFile = join(courseDir, 'course.yaml');
  const map = new SourceMap();
  const problems: PackageProblem[] = [];
  const at = (
    code: ProblemCode,
    file: string,
    line: number | undefined,
    params: Record<string, string | number> = {},
  ) => problems.push({ ...problem(code, '', params), file, line });

  const courseText = readText(courseFile);
  if (typeof courseText !== 'string') {
    if (courseText.error === 'NOT_UTF8') at('NOT_UTF8', rel(courseFile), undefined);
    else at('FILE_MISSING', rel(courseFile), undefined, { file: 'course.yaml' });
    return { slug: folder, raw: undefined, problems };
  }
  const parsed = parseYaml(courseText);
  if (!parsed.ok) {
    at('YAML_SYNTAX', rel(courseFile), parsed.line, { reason: parsed.reason });
    return { slug: folder, raw: undefined, problems };
  }
  map.set('', { file: rel(courseFile), line: 1 });
  map.setAll('', rel(courseFile), parsed.lines);
  const course = parsed.value;
  if (!isPlainObject(course)) {
    // let the validator say what is wrong with the root
    return finish(folder, course, map, problems, options, new Set());
  }
  if (typeof course.slug === 'string' && course.slug.trim() !== folder) {
    problems.push({
      ...problem('SLUG_MISMATCH', 'slug', { slug: course.slug.trim(), folder }),
      ...map.locate('slug')!,
    });
  }

  // Lesson files on disk.
  const lessonsDir = join(courseDir, 'lessons');
  const onDisk = new Map<string, string>();
  let entries: string[] = [];
  try {
    entries = statSync(lessonsDir).isDirectory() ? readdirSync(lessonsDir).sort() : [];
  } catch {
    entries = [];
  }
  for (const name of entries) {
    if (!name.endsWith('.md')) continue;
    const stem = name.slice(0, -3);
    if (!LESSON_SLUG_PATTERN.test(stem)) {
      at('LESSON_FILE_NAME', rel(join(lessonsDir, name)), 1, { file: name });
      continue;
    }
    onDisk.set(stem, join(lessonsDir, name));
  }

  // Replace each listed lesson name by the lesson read from its file.
  const listed = new Set<string>();
  const skip = new Set<string>();
  const modules = Array.isArray(course.modules) ? course.modules : undefined;
  const raw: Record<string, unknown> = { ...course };
  if (modules) {
    raw.modules = modules.map((mod, m) => {
      if (!isPlainObject(mod) || !Array.isArray(mod.lessons)) return mod;
      const mp = joinPath('modules', m);
      return {
        ...mod,
        lessons: mod.lessons.map((name, l) => {
          const lp = joinPath(joinPath(mp, 'lessons'), l);
          if (typeof name !== 'string') return name; // the validator reports the type
          const stem = name.trim().replace(/\.md$/, '');
          const listing = map.locate(lp)!;
          if (listed.has(stem)) {
            problems.push({ ...problem('LESSON_LISTED_TWICE', lp, { lesson: stem }), ...listing });
            skip.add(lp);
            return {};
          }
          listed.add(stem);
          const file = onDisk.get(stem);
          if (!file) {
            problems.push({ ...problem('LESSON_NOT_FOUND', lp, { lesson: stem }), ...listing });
            skip.add(lp);
            return {};
          }
          return readLesson(file, stem, lp, rel(file), map, problems, skip, listing);
        }),
      };
    });
  }
  for (const [stem, file] of onDisk) {
    if (!listed.has(stem)) at('LESSON_NOT_LISTED', rel(file), 1, { lesson: stem });
  }
  return finish(folder, raw, map, problems, options, skip);
}

function readLesson(
  file: string,
  slug: string,
  path: string,
  relFile: string,
  map: SourceMap,
  problems: PackageProblem[],
  skip: Set<string>,
  listing: Place,
): Record<string, unknown> {
  map.set(path, { file: relFile, line: 1 });
  map.set(joinPath(path, 'slug'), listing);
  const text = readText(file);
  if (typeof text !== 'string') {
    problems.push({
      ...problem(text.error === 'NOT_UTF8' ? 'NOT_UTF8' : 'FILE_UNREADABLE', path, {
        file: relFile,
        reason: text.error,
      }),
      file: relFile,
      line: 1,
    });
    skip.add(path);
    return {};
  }
  const parts = splitLessonMarkdown(text);
  for (const e of parts.errors) {
    problems.push({ ...problem(e.code, path, { kind: e.kind ?? '', line: e.line }), file: relFile, line: e.line });
  }
  let front: Record<string, unknown> = {};
  const skipFront = () => {
    for (const k of ['title', 'minutes', 'competencies']) skip.add(joinPath(path, k));
  };
  if (parts.frontMatter) {
    const fm = parseYaml(parts.frontMatter.text, parts.frontMatter.firstLine);
    if (!fm.ok) {
      problems.push({ ...problem('YAML_SYNTAX', path, { reason: fm.reason }), file: relFile, line: fm.line });
      skipFront();
    } else if (fm.value !== undefined && !isPlainObject(fm.value)) {
      problems.push({ ...problem('FRONT_MATTER_MISSING', path), file: relFile, line: 1 });
      skipFront();
    } else {
      front = (fm.value as Record<string, unknown> | undefined) ?? {};
      map.setAll(path, relFile, fm.lines);
      for (const reserved of ['slug', 'blocks']) {
        if (reserved in front) {
          problems.push({
            ...problem('UNKNOWN_FIELD', joinPath(path, reserved), {
              field: reserved,
              allowed: 'title, minutes, competencies',
            }),
            file: relFile,
            line: fm.lines.get(reserved),
          });
          delete front[reserved];
        }
      }
    }
  } else {
    skipFront(); // FRONT_MATTER_MISSING / FRONT_MATTER_UNCLOSED already say what is wrong
    if (parts.errors.some((e) => e.code === 'FRONT_MATTER_UNCLOSED')) skip.add(joinPath(path, 'blocks'));
  }

  const blocks = parts.parts.map((part, b) => {
    const bp = joinPath(joinPath(path, 'blocks'), b);
    map.set(bp, { file: relFile, line: part.line });
    if (part.kind === 'text') return { kind: 'text', markdown: part.markdown };
    if (!part.closed) {
      skip.add(bp);
      return { kind: part.kind };
    }
    const body = parseYaml(part.body, part.bodyFirstLine);
    if (!body.ok) {
      problems.push({ ...problem('YAML_SYNTAX', bp, { reason: body.reason }), file: relFile, line: body.line });
      skip.add(bp);
      return { kind: part.kind };
    }
    map.setAll(bp, relFile, body.lines);
    if (!isPlainObject(body.value)) return body.value ?? {};
    if ('kind' in body.value) {
      // the fence already says the kind; a "kind:" inside the body would be ambiguous
      problems.push({
        ...problem('UNKNOWN_FIELD', joinPath(bp, 'kind'), {
          field: 'kind',
          allowed: '(kind comes from the fence: ```quiz, ```practice …)',
        }),
        file: relFile,
        line: body.lines.get('kind'),
      });
    }
    return { ...body.value, kind: part.kind };
  });
  return { ...front, slug, blocks };
}

function finish(
  slug: string,
  raw: unknown,
  map: SourceMap,
  readProblems: PackageProblem[],
  options: ValidateOptions,
  skip: Set<string>,
): ReadPackageResult {
  const result = validateCoursePackage(raw, { catalog: options.catalog, today: options.today });
  const skipped = (path: string) => [...skip].some((s) => path === s || path.startsWith(`${s}.`));
  const located = result.problems.filter((p) => !skipped(p.path)).map((p) => ({ ...p, ...(map.locate(p.path) ?? {}) }));
  const problems = [...readProblems, ...located].sort(
    (a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0),
  );
  return {
    slug,
    raw,
    package: problems.length === 0 ? result.value : undefined,
    problems,
  };
}

/** Course folders under `<contentDir>/courses`, sorted by name. */
export function listCourseDirs(contentDir: string): string[] {
  const dir = join(contentDir, 'courses');
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.map((n) => join(dir, n)).filter((p) => statSync(p).isDirectory());
}

export type { CompetencyCatalog };
