import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readLibrary } from './library-reader';
import { formatProblem, type PackageProblem } from './problems';

const CONTENT = resolve(__dirname, '../../../../content');
const TODAY = '2026-11-27';

/** A content folder with the real frameworks and the given course files. */
function library(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hocso-pkg-'));
  cpSync(join(CONTENT, 'frameworks'), join(dir, 'frameworks'), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const COURSE_YAML = (slug: string, extra = '') => `slug: ${slug}
title:
  vi: Khóa học thử
  en: A test course
summary:
  vi: Một khóa học để kiểm tra trình nhập.
  en: A course to test the importer.
audience: [citizen]
level: CB2
language: vi
estimatedMinutes: 30
competencies: ["TT02:2.3"]
licence: CC-BY-4.0
lastReviewed: 2026-11-20
${extra}modules:
  - title: { vi: Học phần 1, en: Module 1 }
    lessons: [01-mot]
`;

const GOOD_LESSON = `---
title: { vi: Bài một, en: Lesson one }
minutes: 10
competencies: ["TT02:2.3"]
---

# Tiêu đề

Nội dung bài học.

\`\`\`quiz
id: kiem-tra-1
passMark: 0.7
questions:
  - id: c1
    type: truefalse
    prompt: Có thể cho người khác mượn mã OTP.
    answer: false
    explanation: Mã OTP là của riêng bạn.
\`\`\`
`;

const find = (problems: PackageProblem[], code: string, file?: string) =>
  problems.filter((p) => p.code === code && (!file || p.file === file));

describe('reading course packages from files', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const lib = (files: Record<string, string>) => {
    const d = library(files);
    dirs.push(d);
    return d;
  };

  it('reads every starter course in content/ without a single problem', () => {
    const result = readLibrary(CONTENT, { today: TODAY });
    expect(result.frameworkProblems).toEqual([]);
    expect(result.frameworks.map((f) => f.code).sort()).toEqual(['TT02', 'UNESCO-CFS']);
    const problems = result.courses.flatMap((c) => c.problems.map((p) => formatProblem(p)));
    expect(problems).toEqual([]);
    expect(result.courses).toHaveLength(12);
    for (const c of result.courses) {
      const pkg = c.package!;
      const lessons = pkg.modules.flatMap((m) => m.lessons);
      expect(lessons.length).toBeGreaterThanOrEqual(3);
      expect(lessons.length).toBeLessThanOrEqual(12);
      const quizzes = lessons.flatMap((l) => l.blocks).filter((b) => b.kind === 'quiz');
      expect(quizzes.length).toBeGreaterThanOrEqual(1);
      expect(pkg.competencies.length).toBeGreaterThan(0);
      expect(pkg.lastReviewed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // stored text is NFC
      expect(JSON.stringify(pkg)).toBe(JSON.stringify(pkg).normalize('NFC'));
    }
  });

  it('TT02 has 6 domains, 24 competencies and 8 levels; UNESCO CFS 4 dimensions × 3 levels', () => {
    const { frameworks } = readLibrary(CONTENT, { today: TODAY });
    const tt02 = frameworks.find((f) => f.code === 'TT02')!;
    expect(tt02.domains).toHaveLength(6);
    expect(tt02.domains.flatMap((d) => d.competencies)).toHaveLength(24);
    expect(tt02.levels.map((l) => l.code)).toEqual(['CB1', 'CB2', 'TC1', 'TC2', 'NC1', 'NC2', 'CS1', 'CS2']);
    const cfs = frameworks.find((f) => f.code === 'UNESCO-CFS')!;
    expect(cfs.domains).toHaveLength(4);
    expect(cfs.domains.flatMap((d) => d.competencies)).toHaveLength(12);
  });

  it('reports every problem of a broken package with file, line and a clear message, and keeps the course out', () => {
    const dir = lib({
      'courses/ok/course.yaml': COURSE_YAML('ok'),
      'courses/ok/lessons/01-mot.md': GOOD_LESSON,
      'courses/hong/course.yaml': `slug: hong-khac
title:
  vi: Khóa học hỏng
  en: A broken course
summary: { vi: Tóm tắt., en: Summary. }
audience: [citizen, farmer]
level: CB9
language: vi
estimatedMinutes: 30
competencies: ["TT02:9.9", "TT02:2.3@XX"]
licence: CC-BY-4.0
modules:
  - title: { vi: Học phần 1, en: Module 1 }
    lessons: [01-mot, 03-thieu]
`,
      'courses/hong/lessons/01-mot.md': `---
title: { vi: Bài một, en: Lesson one }
minutes: 10
competencies: ["TT02:2.3"]
---

Nội dung.

\`\`\`quiz
id: kiem-tra-1
passMark: 70
questions:
  - id: c1
    type: single
    prompt: Chọn một
    options:
      - text: A
        correct: true
      - text: B
        corect: true
      - text: C
        correct: true
    explanation: Vì A.
  - id: c2
    type: truefalse
    prompt: Đúng hay sai?
    options: [Đúng, Sai]
  - id: kiem-tra-1
    type: ordering
    prompt: Sắp xếp
    items: [Một bước]
    explanation: Chỉ có một bước.
\`\`\`

\`\`\`image
src: https://example.org/a.png
\`\`\`

\`\`\`video
url: https://example.org/v.mp4
durationSeconds: 0
captions:
  - { lang: vi, url: https://example.org/v.srt }
\`\`\`
`,
      'courses/hong/lessons/02-thua.md': GOOD_LESSON.replace('kiem-tra-1', 'kiem-tra-2'),
    });
    const result = readLibrary(dir, { today: TODAY });
    const ok = result.courses.find((c) => c.slug === 'ok')!;
    expect(ok.problems).toEqual([]);
    expect(ok.package?.slug).toBe('ok');
    expect(ok.package?.modules.length).toBeGreaterThan(0);

    const broken = result.courses.find((c) => c.slug === 'hong')!;
    expect(broken.package).toBeUndefined();
    const p = broken.problems;
    const course = 'courses/hong/course.yaml';
    const lesson = 'courses/hong/lessons/01-mot.md';
    const at = (code: string, file: string) => find(p, code, file).map((x) => x.line);

    expect(at('SLUG_MISMATCH', course)).toEqual([1]);
    expect(find(p, 'NOT_ALLOWED_VALUE', course).map((x) => [x.line, x.path])).toEqual([
      [6, 'audience.1'],
      [7, 'level'],
    ]);
    expect(find(p, 'UNKNOWN_COMPETENCY', course).map((x) => x.line)).toEqual([10]);
    expect(find(p, 'UNKNOWN_COMPETENCY_LEVEL', course).map((x) => x.line)).toEqual([10]);
    expect(find(p, 'REQUIRED', course).map((x) => x.path)).toEqual(['lastReviewed']);
    expect(at('LESSON_NOT_FOUND', course)).toEqual([14]);
    expect(at('LESSON_NOT_LISTED', 'courses/hong/lessons/02-thua.md')).toEqual([1]);

    expect(find(p, 'OUT_OF_RANGE', lesson).map((x) => [x.line, x.path])).toEqual([
      [11, 'modules.0.lessons.0.blocks.1.passMark'],
      [41, 'modules.0.lessons.0.blocks.3.durationSeconds'],
    ]);
    expect(find(p, 'UNKNOWN_FIELD', lesson).map((x) => [x.line, x.path])).toEqual([
      [20, 'modules.0.lessons.0.blocks.1.questions.0.options.1.corect'],
    ]);
    expect(at('SINGLE_NEEDS_ONE_CORRECT', lesson)).toEqual([16]);
    expect(at('QUESTION_FIELD_NOT_FOR_TYPE', lesson)).toEqual([27]);
    expect(find(p, 'REQUIRED', lesson).map((x) => [x.line, x.path])).toEqual([
      [24, 'modules.0.lessons.0.blocks.1.questions.1.explanation'],
      [24, 'modules.0.lessons.0.blocks.1.questions.1.answer'],
      [35, 'modules.0.lessons.0.blocks.2.alt'],
    ]);
    expect(at('DUPLICATE_ID', lesson)).toEqual([28]);
    expect(at('COUNT_OUT_OF_RANGE', lesson)).toEqual([31]);
    expect(at('PATTERN', lesson)).toEqual([43]); // captions must be WebVTT (.vtt)
    expect(p).toHaveLength(19);

    // messages are Vietnamese first, English too, and name the field
    const single = find(p, 'SINGLE_NEEDS_ONE_CORRECT')[0];
    expect(single.message.vi).toBe(
      'Câu hỏi một lựa chọn (single) phải có đúng 1 lựa chọn "correct: true" (đang có 2).',
    );
    expect(single.message.en).toContain('exactly one option');
    expect(formatProblem(find(p, 'UNKNOWN_FIELD')[0])).toBe(
      'courses/hong/lessons/01-mot.md:20: [modules.0.lessons.0.blocks.1.questions.0.options.1.corect] ' +
        'Trường "corect" không được hỗ trợ ở đây (gõ nhầm?). Các trường hợp lệ: text, correct.',
    );
    // sorted by file, then line
    const order = p.map((x) => `${x.file}:${String(x.line).padStart(4, '0')}`);
    expect(order).toEqual([...order].sort());
  });

  it('a YAML syntax error points at its line, and the rest of the lesson is still checked', () => {
    const dir = lib({
      'courses/yaml/course.yaml': COURSE_YAML('yaml'),
      'courses/yaml/lessons/01-mot.md': `---
title: { vi: Bài một, en: Lesson one }
minutes: 10
competencies: ["TT02:2.3"]
---

\`\`\`practice
id: thuc-hanh
title: Thực hành
steps:
  - Bước một
  lỗi: thụt lề sai
checklist: [Xong]
\`\`\`

\`\`\`quiz
id: q
passMark: 0.5
questions:
  - id: q1
    type: multiple
    prompt: Chọn
    options: [{ text: A }, { text: B }]
    explanation: Không có đáp án đúng.
\`\`\`
`,
    });
    const { courses } = readLibrary(dir, { today: TODAY });
    const p = courses[0].problems;
    expect(courses[0].package).toBeUndefined();
    expect(p.map((x) => [x.code, x.line])).toEqual([
      ['YAML_SYNTAX', 12],
      ['MULTIPLE_NEEDS_CORRECT', 23],
    ]);
    expect(p[0].message.vi).toMatch(/^Lỗi cú pháp YAML: /);
  });

  it('reports a broken course.yaml, a missing front matter and an unclosed block', () => {
    const dir = lib({
      'courses/a/course.yaml': 'slug: a\ntitle: [unclosed\n',
      'courses/b/course.yaml': COURSE_YAML('b'),
      'courses/b/lessons/01-mot.md': '# Không có phần đầu\n\n```quiz\nid: x\n',
      'courses/c/lessons/01-mot.md': GOOD_LESSON,
      'courses/d/course.yaml': COURSE_YAML('d'),
      'courses/d/lessons/01-mot.md': GOOD_LESSON,
      'courses/d/lessons/Bai 2.md': GOOD_LESSON,
    });
    const { courses } = readLibrary(dir, { today: TODAY });
    const byslug = Object.fromEntries(courses.map((c) => [c.slug, c.problems.map((p) => `${p.code}@${p.line}`)]));
    expect(byslug.a).toEqual(['YAML_SYNTAX@3']);
    expect(byslug.b).toEqual(['FRONT_MATTER_MISSING@1', 'FENCE_UNCLOSED@3']);
    expect(byslug.c).toEqual(['FILE_MISSING@undefined']);
    expect(byslug.d).toEqual(['LESSON_FILE_NAME@1']);
    expect(courses.every((c) => c.package === undefined)).toBe(true);
  });

  it('keeps ordinary fenced code inside the text, even when it contains a block fence', () => {
    const dir = lib({
      'courses/code/course.yaml': COURSE_YAML('code'),
      'courses/code/lessons/01-mot.md': GOOD_LESSON.replace(
        'Nội dung bài học.',
        'Ví dụ:\n\n````markdown\n```quiz\nkhông phải khối thật\n```\n````\n\nHết ví dụ.',
      ),
    });
    const { courses } = readLibrary(dir, { today: TODAY });
    expect(courses[0].problems).toEqual([]);
    const blocks = courses[0].package!.modules[0].lessons[0].blocks;
    expect(blocks.map((b) => b.kind)).toEqual(['text', 'quiz']);
    expect(blocks[0].kind === 'text' && blocks[0].markdown).toContain('không phải khối thật');
  });
});
