import { CompetencyCatalog } from './competency-catalog';
import { canonicalJson, contentHash } from './content-hash';
import type { CoursePackage } from './package.types';
import { validateCoursePackage } from './package-validator';
import { correctOrder, optionId, orderingItemId, shuffledOrderingItems } from './quiz-keys';

const catalog = new CompetencyCatalog([
  { code: 'TT02', levels: ['CB1', 'CB2', 'TC1'], codes: ['2', '2.3', '6', '6.2'] },
  { code: 'UNESCO-CFS', levels: ['U', 'A', 'C'], codes: ['ETH', 'ETH:U'] },
]);
const TODAY = '2026-11-27';

/** A valid package in JSON form; tests break one thing at a time. */
function pkg(quiz: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    slug: 'khoa-thu',
    title: { vi: 'Khóa thử', en: 'Test course' },
    summary: { vi: 'Tóm tắt.', en: 'Summary.' },
    audience: ['citizen'],
    level: 'CB2',
    language: 'vi',
    estimatedMinutes: 20,
    competencies: ['TT02:2.3'],
    licence: 'CC-BY-4.0',
    lastReviewed: '2026-11-20',
    tags: ['dịch vụ công'],
    modules: [
      {
        title: { vi: 'Học phần', en: 'Module' },
        lessons: [
          {
            slug: '01-bai-mot',
            title: { vi: 'Bài một', en: 'Lesson one' },
            minutes: 10,
            competencies: ['TT02:2.3'],
            blocks: [
              { kind: 'text', markdown: '# Xin chào' },
              {
                kind: 'quiz',
                id: 'kiem-tra',
                passMark: 0.7,
                questions: [
                  {
                    id: 'c1',
                    type: 'single',
                    prompt: 'Chọn một',
                    options: [{ text: 'A', correct: true }, { text: 'B' }],
                    explanation: 'Vì A.',
                  },
                ],
                ...quiz,
              },
            ],
          },
        ],
      },
    ],
    ...extra,
  };
}

const question = (q: Record<string, unknown>) =>
  pkg({ questions: [{ id: 'c1', prompt: 'Hỏi', explanation: 'Vì.', ...q }] });
const codes = (input: unknown) =>
  validateCoursePackage(input, { catalog, today: TODAY }).problems.map((p) => `${p.code} ${p.path}`);
const Q = 'modules.0.lessons.0.blocks.1.questions.0';

describe('package validation (the JSON form the API accepts and the importer builds)', () => {
  it('accepts a valid package and returns it normalised', () => {
    const result = validateCoursePackage(pkg(), { catalog, today: TODAY });
    expect(result.problems).toEqual([]);
    const q = (result.value!.modules[0].lessons[0].blocks[1] as { questions: Array<{ options: unknown }> })
      .questions[0];
    expect(q.options).toEqual([
      { text: 'A', correct: true },
      { text: 'B', correct: false },
    ]);
  });

  it('stores text in NFC and trims it', () => {
    const decomposed = 'Dịch vụ công'.normalize('NFD');
    const result = validateCoursePackage(pkg({}, { title: { vi: `  ${decomposed} `, en: 'Public services' } }), {
      catalog,
      today: TODAY,
    });
    expect(result.value!.title.vi).toBe('Dịch vụ công'.normalize('NFC'));
    expect(result.value!.title.vi).not.toBe(decomposed);
  });

  describe('quiz rules', () => {
    it('single: exactly one correct option', () => {
      expect(codes(question({ type: 'single', options: [{ text: 'A' }, { text: 'B' }] }))).toEqual([
        `SINGLE_NEEDS_ONE_CORRECT ${Q}.options`,
      ]);
      expect(
        codes(
          question({
            type: 'single',
            options: [
              { text: 'A', correct: true },
              { text: 'B', correct: true },
            ],
          }),
        ),
      ).toEqual([`SINGLE_NEEDS_ONE_CORRECT ${Q}.options`]);
    });

    it('multiple: at least one correct and at least one wrong option', () => {
      expect(codes(question({ type: 'multiple', options: [{ text: 'A' }, { text: 'B' }] }))).toEqual([
        `MULTIPLE_NEEDS_CORRECT ${Q}.options`,
      ]);
      const all = [
        { text: 'A', correct: true },
        { text: 'B', correct: true },
      ];
      expect(codes(question({ type: 'multiple', options: all }))).toEqual([`MULTIPLE_ALL_CORRECT ${Q}.options`]);
      expect(codes(question({ type: 'multiple', options: [...all, { text: 'C' }] }))).toEqual([]);
    });

    it('2 to 8 options, no option twice, text required, "correct" is true or false', () => {
      expect(codes(question({ type: 'single', options: [{ text: 'A', correct: true }] }))).toEqual([
        `COUNT_OUT_OF_RANGE ${Q}.options`,
      ]);
      const nine = Array.from({ length: 9 }, (_, i) => ({ text: `Lựa chọn ${i}`, correct: i === 0 }));
      expect(codes(question({ type: 'single', options: nine }))).toEqual([`COUNT_OUT_OF_RANGE ${Q}.options`]);
      expect(codes(question({ type: 'single', options: [{ text: 'A', correct: true }, { text: 'a' }] }))).toEqual([
        `DUPLICATE_VALUE ${Q}.options.1`,
      ]);
      expect(codes(question({ type: 'single', options: [{ text: 'A', correct: 'yes' }, { text: 'B' }] }))).toEqual([
        `WRONG_TYPE ${Q}.options.0.correct`,
      ]);
      expect(codes(question({ type: 'single', options: [{ correct: true }, { text: 'B' }] }))).toEqual([
        `REQUIRED ${Q}.options.0.text`,
      ]);
    });

    it('truefalse: a boolean answer and no options', () => {
      expect(codes(question({ type: 'truefalse', answer: false }))).toEqual([]);
      expect(codes(question({ type: 'truefalse', answer: 'sai' }))).toEqual([`WRONG_TYPE ${Q}.answer`]);
      expect(codes(question({ type: 'truefalse' }))).toEqual([`REQUIRED ${Q}.answer`]);
      expect(codes(question({ type: 'truefalse', answer: true, options: [{ text: 'Đúng' }] }))).toEqual([
        `QUESTION_FIELD_NOT_FOR_TYPE ${Q}.options`,
      ]);
    });

    it('ordering: 2 to 10 distinct items', () => {
      expect(codes(question({ type: 'ordering', items: ['Một', 'Hai', 'Ba'] }))).toEqual([]);
      expect(codes(question({ type: 'ordering', items: ['Một'] }))).toEqual([`COUNT_OUT_OF_RANGE ${Q}.items`]);
      expect(codes(question({ type: 'ordering', items: ['Một', 'một'] }))).toEqual([`DUPLICATE_VALUE ${Q}.items.1`]);
      expect(codes(question({ type: 'ordering', items: ['Một', 'Hai'], answer: true }))).toEqual([
        `QUESTION_FIELD_NOT_FOR_TYPE ${Q}.answer`,
      ]);
    });

    it('every question needs an explanation, a prompt, an id and a known type', () => {
      expect(
        codes(
          pkg({
            questions: [{ id: 'c1', type: 'truefalse', answer: true, prompt: 'Hỏi' }],
          }),
        ),
      ).toEqual([`REQUIRED ${Q}.explanation`]);
      expect(codes(pkg({ questions: [{ id: 'c1', type: 'essay', prompt: 'Hỏi', explanation: 'Vì.' }] }))).toEqual([
        `NOT_ALLOWED_VALUE ${Q}.type`,
      ]);
      expect(codes(pkg({ questions: [{ type: 'truefalse', answer: true, explanation: 'Vì.' }] }))).toEqual([
        `REQUIRED ${Q}.id`,
        `REQUIRED ${Q}.prompt`,
      ]);
    });

    it('pass mark in (0, 1]; at least one question', () => {
      expect(codes(pkg({ passMark: 70 }))).toEqual(['OUT_OF_RANGE modules.0.lessons.0.blocks.1.passMark']);
      expect(codes(pkg({ passMark: 0 }))).toEqual(['OUT_OF_RANGE modules.0.lessons.0.blocks.1.passMark']);
      expect(codes(pkg({ questions: [] }))).toEqual(['COUNT_OUT_OF_RANGE modules.0.lessons.0.blocks.1.questions']);
    });

    it('quiz, question and practice ids are unique in the whole course', () => {
      const input = pkg({
        questions: [
          { id: 'kiem-tra', type: 'truefalse', prompt: 'Hỏi', answer: true, explanation: 'Vì.' },
          { id: 'c2', type: 'truefalse', prompt: 'Hỏi', answer: true, explanation: 'Vì.' },
          { id: 'c2', type: 'truefalse', prompt: 'Hỏi', answer: false, explanation: 'Vì.' },
        ],
      });
      const lesson = (input.modules as Array<{ lessons: Array<{ blocks: unknown[] }> }>)[0].lessons[0];
      lesson.blocks.push({ kind: 'practice', id: 'c2', title: 'Thực hành', steps: ['Bước'], checklist: ['Xong'] });
      expect(codes(input)).toEqual([
        'DUPLICATE_ID modules.0.lessons.0.blocks.1.questions.0.id',
        'DUPLICATE_ID modules.0.lessons.0.blocks.1.questions.2.id',
        'DUPLICATE_ID modules.0.lessons.0.blocks.2.id',
      ]);
    });

    it('a course without any quiz is refused', () => {
      const input = pkg();
      const lesson = (input.modules as Array<{ lessons: Array<{ blocks: unknown[] }> }>)[0].lessons[0];
      lesson.blocks = [{ kind: 'text', markdown: 'Chỉ có chữ.' }];
      expect(codes(input)).toEqual(['COURSE_NEEDS_QUIZ modules']);
    });
  });

  describe('course rules', () => {
    it('reports a typo instead of ignoring it', () => {
      expect(codes(pkg({}, { lastReview: '2026-11-20' }))).toEqual(['UNKNOWN_FIELD lastReview']);
    });

    it('checks competency codes against the frameworks, with an optional level', () => {
      expect(codes(pkg({}, { competencies: ['TT02:6', 'TT02:6.2@CB2', 'UNESCO-CFS:ETH:U'] }))).toEqual([]);
      expect(codes(pkg({}, { competencies: ['TT02:7.1', 'TT02:6.2@NC9', 'DIGCOMP:1.1', 'tt02:2.3'] }))).toEqual([
        'UNKNOWN_COMPETENCY competencies.0',
        'UNKNOWN_COMPETENCY_LEVEL competencies.1',
        'UNKNOWN_COMPETENCY competencies.2',
        'UNKNOWN_COMPETENCY competencies.3',
      ]);
    });

    it('a real review date, not in the future', () => {
      expect(codes(pkg({}, { lastReviewed: '2026-02-30' }))).toEqual(['DATE_INVALID lastReviewed']);
      expect(codes(pkg({}, { lastReviewed: '20/11/2026' }))).toEqual(['DATE_INVALID lastReviewed']);
      expect(codes(pkg({}, { lastReviewed: '2026-11-28' }))).toEqual(['DATE_IN_FUTURE lastReviewed']);
    });

    it('allowed audiences and levels, a slug in lower-case ASCII, both languages of each text', () => {
      expect(
        codes(
          pkg({}, { audience: ['citizen', 'farmer'], level: 'cb2', slug: 'Dịch vụ', title: { vi: 'Chỉ tiếng Việt' } }),
        ),
      ).toEqual(['PATTERN slug', 'REQUIRED title.en', 'NOT_ALLOWED_VALUE audience.1', 'NOT_ALLOWED_VALUE level']);
    });

    it('media blocks: image alt text, WebVTT captions, https URLs, download size', () => {
      const input = pkg();
      const lesson = (input.modules as Array<{ lessons: Array<{ blocks: unknown[] }> }>)[0].lessons[0];
      lesson.blocks.push(
        { kind: 'image', src: 'https://example.org/a.png', alt: '   ' },
        {
          kind: 'video',
          url: 'ftp://example.org/v.mp4',
          durationSeconds: 90,
          captions: [{ lang: 'vi', url: 'https://example.org/v.srt' }],
        },
        {
          kind: 'download',
          title: 'Phiếu',
          url: 'https://example.org/p.pdf',
          mimeType: 'application/pdf',
          sizeBytes: 0,
        },
        { kind: 'audio', url: 'https://example.org/a.mp3' },
      );
      expect(codes(input)).toEqual([
        'EMPTY modules.0.lessons.0.blocks.2.alt',
        'URL_INVALID modules.0.lessons.0.blocks.3.url',
        'PATTERN modules.0.lessons.0.blocks.3.captions.0.url',
        'OUT_OF_RANGE modules.0.lessons.0.blocks.4.sizeBytes',
        'BLOCK_KIND modules.0.lessons.0.blocks.5.kind',
      ]);
    });

    it('never throws on input that is not a package at all', () => {
      for (const junk of [null, 42, 'khóa học', [], { modules: 'x' }, { modules: [null, 5] }]) {
        expect(() => validateCoursePackage(junk, { catalog, today: TODAY })).not.toThrow();
        expect(validateCoursePackage(junk, { catalog, today: TODAY }).problems.length).toBeGreaterThan(0);
      }
    });
  });

  it('the content hash ignores key order and changes with the content', () => {
    const a = validateCoursePackage(pkg(), { catalog, today: TODAY }).value as CoursePackage;
    const reversed = Object.fromEntries(Object.entries(a).reverse());
    expect(canonicalJson(reversed)).toBe(canonicalJson(a));
    expect(contentHash(reversed)).toBe(contentHash(a));
    expect(contentHash(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(contentHash({ ...a, estimatedMinutes: 21 })).not.toBe(contentHash(a));
  });
});

describe('answer identifiers', () => {
  it('options are lettered in the authored order', () => {
    expect([0, 1, 2].map(optionId)).toEqual(['a', 'b', 'c']);
  });

  it('ordering items are never shown in the correct order, and their ids do not reveal it', () => {
    for (let n = 2; n <= 10; n++) {
      for (let variant = 0; variant < 20; variant++) {
        const q = { id: `q${variant}`, items: Array.from({ length: n }, (_, i) => `Bước ${i + 1} (${variant})`) };
        const shown = shuffledOrderingItems(q).map((i) => i.id);
        expect(shown).not.toEqual(correctOrder(q));
        expect([...shown].sort()).toEqual([...correctOrder(q)].sort());
      }
    }
    expect(orderingItemId('q', 'Đăng nhập')).toBe(orderingItemId('q', 'Đăng nhập'));
  });
});
