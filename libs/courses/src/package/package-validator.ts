import { foldDiacritics } from '@hocso/common';
import { Checker, isPlainObject } from './checker';
import type { CompetencyCatalog } from './competency-catalog';
import {
  AUDIENCES,
  type Block,
  BLOCK_KINDS,
  type BlockKind,
  COURSE_LEVELS,
  type CoursePackage,
  type LessonPackage,
  type ModulePackage,
  type Question,
  QUESTION_TYPES,
  type QuestionType,
  type QuizOption,
} from './package.types';
import type { PackageProblem } from './problems';
import { joinPath } from './yaml-source';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const LESSON_SLUG_PATTERN = /^\d{2,3}-[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const SLUG_HINT = {
  vi: 'chỉ chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ dich-vu-cong-truc-tuyen',
  en: 'lower-case ASCII letters, digits and hyphens only, e.g. online-public-services',
};
const LESSON_SLUG_HINT = {
  vi: 'hai chữ số, dấu gạch ngang rồi tên không dấu, ví dụ 01-gioi-thieu',
  en: 'two digits, a hyphen, then a lower-case ASCII name, e.g. 01-introduction',
};
const ID_HINT = {
  vi: 'chỉ chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ kiem-tra-bai-1',
  en: 'lower-case ASCII letters, digits and hyphens only, e.g. lesson-1-quiz',
};

export const LIMITS = {
  title: 200,
  summary: 1500,
  tag: 60,
  tags: 30,
  competencies: 30,
  modules: 30,
  lessonsPerModule: 30,
  blocksPerLesson: 100,
  markdown: 100_000,
  questions: 50,
  prompt: 1000,
  explanation: 2000,
  option: 500,
  options: { min: 2, max: 8 },
  orderingItems: { min: 2, max: 10 },
  steps: 50,
  step: 1000,
  scenario: 3000,
  transcript: 50_000,
  estimatedMinutes: 10_000,
  lessonMinutes: 600,
  videoSeconds: 6 * 3600,
  downloadBytes: 200 * 1024 * 1024,
} as const;

const COURSE_KEYS = [
  'slug',
  'title',
  'summary',
  'audience',
  'level',
  'language',
  'estimatedMinutes',
  'competencies',
  'licence',
  'lastReviewed',
  'tags',
  'practicumRequired',
  'modules',
] as const;
const LESSON_KEYS = ['slug', 'title', 'minutes', 'competencies', 'blocks'] as const;
const QUESTION_FIELDS: Record<QuestionType, string[]> = {
  single: ['options'],
  multiple: ['options'],
  truefalse: ['answer'],
  ordering: ['items'],
};
const QUESTION_FIELD_HINTS: Record<string, { vi: string; en: string }> = {
  options: {
    vi: 'chỉ câu hỏi single và multiple có "options"',
    en: 'only single and multiple questions have "options"',
  },
  answer: {
    vi: 'chỉ câu hỏi truefalse có "answer: true" hoặc "answer: false"; câu single/multiple đánh dấu "correct: true" ở lựa chọn đúng',
    en: 'only truefalse questions have "answer: true|false"; single/multiple mark the right options with "correct: true"',
  },
  items: {
    vi: 'chỉ câu hỏi ordering có "items" (liệt kê theo thứ tự đúng)',
    en: 'only ordering questions have "items" (listed in the correct order)',
  },
};

export interface ValidateOptions {
  catalog: CompetencyCatalog;
  /** today in Asia/Ho_Chi_Minh (YYYY-MM-DD); lastReviewed may not be later */
  today?: string;
}

export interface ValidationResult {
  value?: CoursePackage;
  problems: PackageProblem[];
}

export function todayInVietnam(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(now);
}

function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Checks the JSON form of a course package against every rule in content/README.md and returns
 * the normalised package (NFC text, trimmed, defaults filled) — or all the problems found, each
 * with the path of the offending value. Never throws on bad input.
 */
export function validateCoursePackage(input: unknown, options: ValidateOptions): ValidationResult {
  const c = new Checker();
  const today = options.today ?? todayInVietnam();
  // Each field reader below reports a missing value itself (REQUIRED), so object() only checks keys.
  const root = c.object(input, '', COURSE_KEYS);
  if (!root) return { problems: c.problems };

  const slug = c.token(root.slug, 'slug', SLUG_PATTERN, SLUG_HINT, 80);
  const title = c.localized(root.title, 'title', LIMITS.title);
  const summary = c.localized(root.summary, 'summary', LIMITS.summary);
  const audience = stringList(c, root.audience, 'audience', 1, AUDIENCES.length, (v, p) => c.oneOf(v, p, AUDIENCES));
  const level = c.oneOf(root.level, 'level', COURSE_LEVELS);
  const language = c.token(root.language, 'language', /^[a-z]{2,3}$/, {
    vi: 'mã ngôn ngữ ISO 639 viết thường, ví dụ vi hoặc en',
    en: 'a lower-case ISO 639 language code, e.g. vi or en',
  });
  const estimatedMinutes = c.integer(root.estimatedMinutes, 'estimatedMinutes', 1, LIMITS.estimatedMinutes);
  const competencies = competencyList(c, root.competencies, 'competencies', options.catalog);
  const licence = c.token(
    root.licence,
    'licence',
    /^[A-Za-z0-9][A-Za-z0-9.+-]*$/,
    { vi: 'mã giấy phép SPDX, ví dụ CC-BY-4.0', en: 'an SPDX licence id, e.g. CC-BY-4.0' },
    64,
  );
  let lastReviewed: string | undefined;
  if (root.lastReviewed === undefined || root.lastReviewed === null) {
    c.add('REQUIRED', 'lastReviewed');
  } else if (typeof root.lastReviewed !== 'string' || !isRealDate(root.lastReviewed.trim())) {
    c.add('DATE_INVALID', 'lastReviewed');
  } else if (root.lastReviewed.trim() > today) {
    c.add('DATE_IN_FUTURE', 'lastReviewed', { date: root.lastReviewed.trim() });
  } else {
    lastReviewed = root.lastReviewed.trim();
  }
  const tags = stringList(c, root.tags, 'tags', 0, LIMITS.tags, (v, p) =>
    c.text(v, p, { max: LIMITS.tag, singleLine: true }),
  );
  if (tags) c.unique(tags, 'tags', (t) => foldDiacritics(t));
  const practicumRequired = c.boolean(root.practicumRequired, 'practicumRequired', true);

  const ids = new Map<string, string>();
  const lessonSlugs = new Map<string, string>();
  const modules: ModulePackage[] = [];
  let quizCount = 0;
  const rawModules = c.list(root.modules, 'modules', 1, LIMITS.modules);
  rawModules?.forEach((rawModule, m) => {
    const mp = joinPath('modules', m);
    const mod = c.object(rawModule, mp, ['title', 'lessons']);
    if (!mod) return;
    const moduleTitle = c.localized(mod.title, joinPath(mp, 'title'), LIMITS.title);
    const lessons: LessonPackage[] = [];
    c.list(mod.lessons, joinPath(mp, 'lessons'), 1, LIMITS.lessonsPerModule)?.forEach((rawLesson, l) => {
      const lp = joinPath(joinPath(mp, 'lessons'), l);
      const lesson = validateLesson(c, rawLesson, lp, options.catalog, ids, lessonSlugs);
      if (lesson) {
        quizCount += lesson.blocks.filter((b) => b.kind === 'quiz').length;
        lessons.push(lesson);
      }
    });
    if (moduleTitle) modules.push({ title: moduleTitle, lessons });
  });
  if (rawModules && quizCount === 0 && !c.problems.some((p) => p.path.startsWith('modules'))) {
    c.add('COURSE_NEEDS_QUIZ', 'modules');
  }

  if (c.problems.length > 0) return { problems: c.problems };
  return {
    problems: [],
    value: {
      slug: slug!,
      title: title!,
      summary: summary!,
      audience: audience as CoursePackage['audience'],
      level: level!,
      language: language!,
      estimatedMinutes: estimatedMinutes!,
      competencies: competencies!,
      licence: licence!,
      lastReviewed: lastReviewed!,
      tags: tags ?? [],
      // Only when set: packages without it keep their content hash.
      ...(practicumRequired ? { practicumRequired: true } : {}),
      modules,
    },
  };
}

function stringList<T extends string>(
  c: Checker,
  value: unknown,
  path: string,
  min: number,
  max: number,
  each: (v: unknown, path: string) => T | undefined,
): T[] | undefined {
  const list = c.list(value, path, min, max, min === 0);
  if (!list) return undefined;
  const out = list.map((v, i) => each(v, joinPath(path, i)));
  if (out.some((v) => v === undefined)) return undefined;
  c.unique(out as string[], path);
  return out as T[];
}

function competencyList(c: Checker, value: unknown, path: string, catalog: CompetencyCatalog) {
  return stringList(c, value, path, 1, LIMITS.competencies, (v, p) => {
    const code = c.text(v, p, { max: 80, singleLine: true });
    if (code === undefined) return undefined;
    const check = catalog.check(code);
    if (!check.ok) {
      c.add(check.problem, p, check.params);
      return undefined;
    }
    return code;
  });
}

/** Registers a course-wide id (quiz, question, practice); reports the earlier place on a clash. */
function claimId(c: Checker, ids: Map<string, string>, id: string | undefined, path: string) {
  if (id === undefined) return;
  const other = ids.get(id);
  if (other !== undefined) c.add('DUPLICATE_ID', path, { id, other });
  else ids.set(id, path);
}

function validateLesson(
  c: Checker,
  raw: unknown,
  path: string,
  catalog: CompetencyCatalog,
  ids: Map<string, string>,
  lessonSlugs: Map<string, string>,
): LessonPackage | undefined {
  const lesson = c.object(raw, path, LESSON_KEYS);
  if (!lesson) return undefined;
  const before = c.problems.length;
  const slug = c.token(lesson.slug, joinPath(path, 'slug'), LESSON_SLUG_PATTERN, LESSON_SLUG_HINT, 100);
  if (slug !== undefined) {
    if (lessonSlugs.has(slug)) c.add('LESSON_LISTED_TWICE', joinPath(path, 'slug'), { lesson: slug });
    else lessonSlugs.set(slug, path);
  }
  const title = c.localized(lesson.title, joinPath(path, 'title'), LIMITS.title);
  const minutes = c.integer(lesson.minutes, joinPath(path, 'minutes'), 1, LIMITS.lessonMinutes);
  const competencies = competencyList(c, lesson.competencies, joinPath(path, 'competencies'), catalog);
  const blocks: Block[] = [];
  const rawBlocks = c.list(lesson.blocks, joinPath(path, 'blocks'), 0, LIMITS.blocksPerLesson);
  if (rawBlocks && rawBlocks.length === 0) c.add('LESSON_EMPTY', joinPath(path, 'blocks'));
  rawBlocks?.forEach((rawBlock, b) => {
    const block = validateBlock(c, rawBlock, joinPath(joinPath(path, 'blocks'), b), ids);
    if (block) blocks.push(block);
  });
  if (c.problems.length > before) return undefined;
  return { slug: slug!, title: title!, minutes: minutes!, competencies: competencies!, blocks };
}

function validateBlock(c: Checker, raw: unknown, path: string, ids: Map<string, string>): Block | undefined {
  if (!isPlainObject(raw)) {
    if (raw === undefined || raw === null) c.add('REQUIRED', path);
    else c.wrongType(path, 'mapping');
    return undefined;
  }
  const kind = raw.kind;
  if (typeof kind !== 'string' || !(BLOCK_KINDS as readonly string[]).includes(kind)) {
    if (kind === undefined) c.add('REQUIRED', joinPath(path, 'kind'));
    else c.add('BLOCK_KIND', joinPath(path, 'kind'), { kind: String(kind) });
    return undefined;
  }
  const before = c.problems.length;
  const p = (k: string) => joinPath(path, k);
  let block: Block | undefined;
  switch (kind as BlockKind) {
    case 'text': {
      const o = c.object(raw, path, ['kind', 'markdown'])!;
      const markdown = c.text(o.markdown, p('markdown'), { max: LIMITS.markdown });
      block = { kind: 'text', markdown: markdown! };
      break;
    }
    case 'quiz': {
      const o = c.object(raw, path, [
        'kind',
        'id',
        'title',
        'passMark',
        'maxAttempts',
        'cooldownMinutes',
        'questions',
      ])!;
      const id = c.token(o.id, p('id'), ID_PATTERN, ID_HINT, 64);
      claimId(c, ids, id, p('id'));
      const title = c.text(o.title, p('title'), { max: LIMITS.title, optional: true, singleLine: true });
      const passMark = c.number(o.passMark, p('passMark'), 0.01, 1);
      // Optional limits; absent means unlimited attempts and no waiting between them.
      const maxAttempts = o.maxAttempts === undefined ? undefined : c.integer(o.maxAttempts, p('maxAttempts'), 1, 100);
      const cooldownMinutes =
        o.cooldownMinutes === undefined ? undefined : c.integer(o.cooldownMinutes, p('cooldownMinutes'), 1, 10080);
      const questions: Question[] = [];
      c.list(o.questions, p('questions'), 1, LIMITS.questions)?.forEach((q, i) => {
        const question = validateQuestion(c, q, joinPath(p('questions'), i), ids);
        if (question) questions.push(question);
      });
      block = {
        kind: 'quiz',
        id: id!,
        ...(title ? { title } : {}),
        passMark: passMark!,
        ...(maxAttempts ? { maxAttempts } : {}),
        ...(cooldownMinutes ? { cooldownMinutes } : {}),
        questions,
      };
      break;
    }
    case 'practice': {
      const o = c.object(raw, path, ['kind', 'id', 'title', 'scenario', 'steps', 'checklist'])!;
      const id = c.token(o.id, p('id'), ID_PATTERN, ID_HINT, 64);
      claimId(c, ids, id, p('id'));
      const title = c.text(o.title, p('title'), { max: LIMITS.title, singleLine: true });
      const scenario = c.text(o.scenario, p('scenario'), { max: LIMITS.scenario, optional: true });
      const steps = textList(c, o.steps, p('steps'), 1, LIMITS.steps, LIMITS.step);
      const checklist = textList(c, o.checklist, p('checklist'), 1, LIMITS.steps, LIMITS.step);
      block = {
        kind: 'practice',
        id: id!,
        title: title!,
        ...(scenario ? { scenario } : {}),
        steps: steps!,
        checklist: checklist!,
      };
      break;
    }
    case 'video': {
      const o = c.object(raw, path, ['kind', 'title', 'url', 'durationSeconds', 'captions', 'transcript'])!;
      const title = c.text(o.title, p('title'), { max: LIMITS.title, optional: true, singleLine: true });
      const url = c.url(o.url, p('url'));
      const durationSeconds = c.integer(o.durationSeconds, p('durationSeconds'), 1, LIMITS.videoSeconds);
      const captions: Array<{ lang: string; url: string; label?: string }> = [];
      c.list(o.captions, p('captions'), 1, 20)?.forEach((raw, i) => {
        const cp = joinPath(p('captions'), i);
        const t = c.object(raw, cp, ['lang', 'url', 'label']);
        if (!t) return;
        const lang = c.token(t.lang, joinPath(cp, 'lang'), /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$/, {
          vi: 'mã ngôn ngữ, ví dụ vi hoặc en',
          en: 'a language code, e.g. vi or en',
        });
        const trackUrl = c.url(t.url, joinPath(cp, 'url'));
        if (trackUrl !== undefined && !/\.vtt$/i.test(new URL(trackUrl).pathname)) {
          c.add('PATTERN', joinPath(cp, 'url'), {
            hintVi: 'phụ đề phải là tệp WebVTT có đuôi .vtt',
            hintEn: 'captions must be a WebVTT file ending in .vtt',
          });
        }
        const label = c.text(t.label, joinPath(cp, 'label'), { max: 80, optional: true, singleLine: true });
        if (lang && trackUrl) captions.push({ lang, url: trackUrl, ...(label ? { label } : {}) });
      });
      const transcript = c.text(o.transcript, p('transcript'), { max: LIMITS.transcript, optional: true });
      block = {
        kind: 'video',
        ...(title ? { title } : {}),
        url: url!,
        durationSeconds: durationSeconds!,
        captions,
        ...(transcript ? { transcript } : {}),
      };
      break;
    }
    case 'image': {
      const o = c.object(raw, path, ['kind', 'src', 'alt', 'caption'])!;
      const src = c.url(o.src, p('src'));
      const alt = c.text(o.alt, p('alt'), { max: 500, singleLine: true });
      const caption = c.text(o.caption, p('caption'), { max: 500, optional: true, singleLine: true });
      block = { kind: 'image', src: src!, alt: alt!, ...(caption ? { caption } : {}) };
      break;
    }
    case 'download': {
      const o = c.object(raw, path, ['kind', 'title', 'url', 'mimeType', 'sizeBytes'])!;
      const title = c.text(o.title, p('title'), { max: LIMITS.title, singleLine: true });
      const url = c.url(o.url, p('url'));
      const mimeType = c.token(
        o.mimeType,
        p('mimeType'),
        /^[a-z]+\/[a-z0-9.+-]+$/,
        { vi: 'kiểu MIME, ví dụ application/pdf', en: 'a MIME type, e.g. application/pdf' },
        100,
      );
      const sizeBytes = c.integer(o.sizeBytes, p('sizeBytes'), 1, LIMITS.downloadBytes);
      block = { kind: 'download', title: title!, url: url!, mimeType: mimeType!, sizeBytes: sizeBytes! };
      break;
    }
  }
  return c.problems.length > before ? undefined : block;
}

function textList(c: Checker, value: unknown, path: string, min: number, max: number, maxLength: number) {
  const list = c.list(value, path, min, max);
  if (!list) return undefined;
  const out = list.map((v, i) => c.text(v, joinPath(path, i), { max: maxLength }));
  return out.some((v) => v === undefined) ? undefined : (out as string[]);
}

function validateQuestion(c: Checker, raw: unknown, path: string, ids: Map<string, string>): Question | undefined {
  const before = c.problems.length;
  if (!isPlainObject(raw)) {
    c.object(raw, path, []);
    return undefined;
  }
  const p = (k: string) => joinPath(path, k);
  const type = c.oneOf(raw.type, p('type'), QUESTION_TYPES);
  const common = ['id', 'type', 'prompt', 'explanation'];
  const typeFields = type ? QUESTION_FIELDS[type] : ['options', 'answer', 'items'];
  for (const key of Object.keys(raw)) {
    if (common.includes(key) || typeFields.includes(key)) continue;
    if (type && QUESTION_FIELD_HINTS[key]) {
      const hint = QUESTION_FIELD_HINTS[key];
      c.add('QUESTION_FIELD_NOT_FOR_TYPE', p(key), { type, hintVi: hint.vi, hintEn: hint.en });
    } else if (!QUESTION_FIELD_HINTS[key]) {
      c.add('UNKNOWN_FIELD', p(key), { allowed: [...common, ...typeFields].join(', ') });
    }
  }
  for (const key of ['id', 'prompt', 'explanation', ...(type ? typeFields : [])]) {
    if (raw[key] === undefined || raw[key] === null) c.add('REQUIRED', p(key));
  }
  const id = raw.id === undefined ? undefined : c.token(raw.id, p('id'), ID_PATTERN, ID_HINT, 64);
  claimId(c, ids, id, p('id'));
  const prompt = raw.prompt === undefined ? undefined : c.text(raw.prompt, p('prompt'), { max: LIMITS.prompt });
  const explanation =
    raw.explanation === undefined ? undefined : c.text(raw.explanation, p('explanation'), { max: LIMITS.explanation });
  if (!type) return undefined;

  let question: Question | undefined;
  if (type === 'single' || type === 'multiple') {
    const options: QuizOption[] = [];
    const list =
      raw.options === undefined ? undefined : c.list(raw.options, p('options'), LIMITS.options.min, LIMITS.options.max);
    list?.forEach((rawOption, i) => {
      const op = joinPath(p('options'), i);
      const o = c.object(rawOption, op, ['text', 'correct']);
      if (!o) return;
      const text = c.text(o.text, joinPath(op, 'text'), { max: LIMITS.option });
      const correct = c.boolean(o.correct, joinPath(op, 'correct'), true);
      const correctOk = o.correct === undefined || o.correct === null || correct !== undefined;
      if (text !== undefined && correctOk) options.push({ text, correct: correct ?? false });
    });
    if (list && options.length === list.length) {
      c.unique(
        options.map((o) => o.text),
        p('options'),
        (t) => t.toLowerCase(),
      );
      const correct = options.filter((o) => o.correct).length;
      if (type === 'single' && correct !== 1) c.add('SINGLE_NEEDS_ONE_CORRECT', p('options'), { count: correct });
      if (type === 'multiple' && correct === 0) c.add('MULTIPLE_NEEDS_CORRECT', p('options'));
      if (type === 'multiple' && correct > 0 && correct === options.length) c.add('MULTIPLE_ALL_CORRECT', p('options'));
    }
    question = { id: id!, type, prompt: prompt!, options, explanation: explanation! };
  } else if (type === 'truefalse') {
    const answer = raw.answer === undefined ? undefined : c.boolean(raw.answer, p('answer'));
    question = { id: id!, type, prompt: prompt!, answer: answer!, explanation: explanation! };
  } else {
    const items =
      raw.items === undefined
        ? undefined
        : textList(c, raw.items, p('items'), LIMITS.orderingItems.min, LIMITS.orderingItems.max, LIMITS.option);
    if (items) c.unique(items, p('items'), (t) => t.toLowerCase());
    question = { id: id!, type, prompt: prompt!, items: items!, explanation: explanation! };
  }
  return c.problems.length > before ? undefined : question;
}
