import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Role } from '@hocso/common';
import {
  type Block,
  CourseImportService,
  type CoursePackage,
  CourseVersionEntity,
  formatProblem,
  type ImportReport,
  readLibrary,
} from '@hocso/courses';
import { createSession, createTestApp, type TestApp } from '@hocso/testing';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';

const CONTENT = resolve(__dirname, '../content');
const library = readLibrary(CONTENT);
const packages = library.courses.map((c) => c.package as CoursePackage);
const SLUGS = packages.map((p) => p.slug).sort();

/** Keys that would carry an answer key or an explanation, anywhere in a JSON document. */
const ANSWER_KEY = /"(correct|isCorrect|answer|answers|correctOrder|explanation|explanations)"\s*:/i;

/** Every explanation written in the starter library (that is not also lesson text). */
const explanations = packages.flatMap((p) => {
  const blocks = p.modules.flatMap((m) => m.lessons.flatMap((l) => l.blocks));
  const text = blocks.map((b) => (b.kind === 'text' ? b.markdown : '')).join('\n');
  return blocks
    .flatMap((b: Block) => (b.kind === 'quiz' ? b.questions.map((q) => q.explanation) : []))
    .filter((e) => e.length >= 30 && !text.includes(e));
});

function copyLibrary(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hocso-content-'));
  cpSync(CONTENT, dir, { recursive: true });
  return dir;
}

/** Every page of a catalogue query. */
async function allPages(t: TestApp, query: Record<string, string | number>): Promise<string[]> {
  const slugs: string[] = [];
  let cursor: string | null = null;
  do {
    const res: Response = await t
      .http()
      .get('/v1/courses')
      .query({ ...query, ...(cursor ? { cursor } : {}) })
      .expect(200);
    slugs.push(...res.body.items.map((i: { slug: string }) => i.slug));
    cursor = res.body.nextCursor;
  } while (cursor);
  return slugs;
}

describe('courses: starter library, catalogue, outlines and lessons', () => {
  let t: TestApp;
  let first: ImportReport;
  const tmp: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    first = await t.app.get(CourseImportService).importDirectory(CONTENT);
  });
  afterAll(async () => {
    await t.close();
    for (const d of tmp) rmSync(d, { recursive: true, force: true });
  });

  it('imports the whole starter library cleanly: 12 courses, version 1, both frameworks', async () => {
    expect(first.frameworkProblems).toEqual([]);
    expect(first.courses.flatMap((c) => c.problems.map((p) => formatProblem(p)))).toEqual([]);
    expect(first.courses.map((c) => c.slug).sort()).toEqual(SLUGS);
    // created now, or already there when the app imported the library at start
    for (const c of first.courses) expect(['created', 'unchanged']).toContain(c.outcome);
    expect(first.counts.rejected).toBe(0);
    const slugs = await allPages(t, { limit: 5 });
    expect(slugs.sort()).toEqual(SLUGS);
    const versions = await t.app.get(DataSource).getRepository(CourseVersionEntity).count();
    expect(versions).toBe(12);
  });

  it('re-importing an unchanged library is a no-op', async () => {
    const ds = t.app.get(DataSource);
    const before = await ds.query(`SELECT count(*)::int AS n, max(created_at) AS at FROM course_version`);
    const again = await t.app.get(CourseImportService).importDirectory(CONTENT);
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 12, rejected: 0, skipped: 0 });
    expect(again.frameworks.every((f) => f.outcome === 'unchanged')).toBe(true);
    const after = await ds.query(`SELECT count(*)::int AS n, max(created_at) AS at FROM course_version`);
    expect(after).toEqual(before);
  });

  it('GET /v1/competencies: TT02 (6 domains, 24 competencies, 8 levels) and UNESCO AI CFS (4 × 3)', async () => {
    const res = await t.http().get('/v1/competencies').expect(200);
    const tt02 = res.body.items.find((f: { code: string }) => f.code === 'TT02');
    expect(tt02.version).toBe('2025');
    expect(tt02.domains).toHaveLength(6);
    expect(tt02.domains.flatMap((d: { competencies: unknown[] }) => d.competencies)).toHaveLength(24);
    expect(tt02.levels.map((l: { code: string }) => l.code)).toEqual([
      'CB1',
      'CB2',
      'TC1',
      'TC2',
      'NC1',
      'NC2',
      'CS1',
      'CS2',
    ]);
    expect(tt02.domains[1].competencies[2]).toMatchObject({
      code: 'TT02:2.3',
      localCode: '2.3',
      name: { vi: 'Sử dụng công nghệ số để thực hiện trách nhiệm công dân' },
    });
    const cfs = res.body.items.find((f: { code: string }) => f.code === 'UNESCO-CFS');
    expect(cfs.domains.map((d: { code: string }) => d.code)).toEqual([
      'UNESCO-CFS:HCM',
      'UNESCO-CFS:ETH',
      'UNESCO-CFS:TECH',
      'UNESCO-CFS:DESIGN',
    ]);
    expect(cfs.domains.flatMap((d: { competencies: unknown[] }) => d.competencies)).toHaveLength(12);
    const only = await t.http().get('/v1/competencies?framework=UNESCO-CFS').expect(200);
    expect(only.body.items.map((f: { code: string }) => f.code)).toEqual(['UNESCO-CFS']);
  });

  it('search ignores diacritics and case: "dich vu cong", "DỊCH VỤ CÔNG" (and NFD input) find "Dịch vụ công"', async () => {
    for (const q of [
      'dich vu cong',
      'DỊCH VỤ CÔNG',
      'Dịch Vụ Công',
      'dịch vụ công'.normalize('NFD'),
      '  dịch   vụ  công! ',
    ]) {
      const res = await t.http().get('/v1/courses').query({ q }).expect(200);
      expect({ q, top: res.body.items[0]?.slug }).toEqual({ q, top: 'dich-vu-cong-truc-tuyen' });
      expect(res.body.items[0].title.vi).toContain('Dịch vụ công');
    }
    const scams = await t.http().get('/v1/courses').query({ q: 'LUA DAO' }).expect(200);
    expect(scams.body.items[0].slug).toBe('an-toan-khong-gian-mang');
    const vneid = await t.http().get('/v1/courses').query({ q: 'vneid' }).expect(200);
    expect(vneid.body.items[0].slug).toBe('vneid-dinh-danh-dien-tu');
    const prefix = await t.http().get('/v1/courses').query({ q: 'đinh danh đien tu' }).expect(200);
    expect(prefix.body.items[0].slug).toBe('vneid-dinh-danh-dien-tu');
    const none = await t.http().get('/v1/courses').query({ q: 'xyzzy qwerty' }).expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it('ranked search pages through every match exactly once', async () => {
    const all = (await t.http().get('/v1/courses').query({ q: 'ai', limit: 100 }).expect(200)).body.items.map(
      (i: { slug: string }) => i.slug,
    );
    expect(all.length).toBeGreaterThan(2);
    // the three courses with "AI" in the title come first; the one whose title starts with it leads
    expect(all[0]).toBe('ai-co-ban-cho-moi-nguoi');
    expect(all.slice(0, 3).sort()).toEqual([
      'ai-co-ban-cho-moi-nguoi',
      'dao-tao-giang-vien-nguon',
      'ung-dung-ai-trong-hanh-chinh',
    ]);
    const paged = await allPages(t, { q: 'ai', limit: 2 });
    expect(paged).toEqual(all);
  });

  it('filters by audience, level, competency (code or whole domain) and language', async () => {
    const expectSlugs = async (query: Record<string, string>, pick: (p: CoursePackage) => boolean) => {
      const got = (await allPages(t, { ...query, limit: 100 })).sort();
      expect({ query, got }).toEqual({
        query,
        got: packages
          .filter(pick)
          .map((p) => p.slug)
          .sort(),
      });
      return got;
    };
    const codesOf = (p: CoursePackage) => [
      ...p.competencies,
      ...p.modules.flatMap((m) => m.lessons.flatMap((l) => l.competencies)),
    ];
    expect(await expectSlugs({ audience: 'official' }, (p) => p.audience.includes('official'))).toContain(
      'chuyen-doi-so-cho-can-bo',
    );
    await expectSlugs(
      { audience: 'trainer,worker' },
      (p) => p.audience.includes('trainer') || p.audience.includes('worker'),
    );
    expect(await expectSlugs({ level: 'TC2' }, (p) => p.level === 'TC2')).toEqual(['ung-dung-ai-trong-hanh-chinh']);
    await expectSlugs({ level: 'CB1,NC1' }, (p) => ['CB1', 'NC1'].includes(p.level));
    await expectSlugs({ competency: 'TT02:6' }, (p) => codesOf(p).some((c) => c.startsWith('TT02:6.')));
    await expectSlugs({ competency: 'TT02:2.3' }, (p) => codesOf(p).includes('TT02:2.3'));
    await expectSlugs({ language: 'vi' }, () => true);
    await expectSlugs({ language: 'en' }, () => false);
    await expectSlugs(
      { audience: 'worker', competency: 'TT02:6.2' },
      (p) => p.audience.includes('worker') && codesOf(p).includes('TT02:6.2'),
    );
    const searchAndFilter = await t.http().get('/v1/courses').query({ q: 'AI', audience: 'official' }).expect(200);
    expect(searchAndFilter.body.items[0].slug).toBe('ung-dung-ai-trong-hanh-chinh');
  });

  it('quiz answer keys and explanations never appear in any catalogue, outline or lesson response', async () => {
    const bodies: string[] = [];
    let lessons = 0;
    let orderingSeen = 0;
    bodies.push((await t.http().get('/v1/courses?limit=100').expect(200)).text);
    bodies.push((await t.http().get('/v1/courses').query({ q: 'kiểm tra' }).expect(200)).text);
    for (const pkg of packages) {
      const outline = await t.http().get(`/v1/courses/${pkg.slug}`).expect(200);
      bodies.push(outline.text);
      for (const m of outline.body.modules) {
        for (const l of m.lessons) {
          const byId = await t.http().get(`/v1/courses/${pkg.slug}/lessons/${l.id}`).expect(200);
          const bySlug = await t.http().get(`/v1/courses/${pkg.slug}/lessons/${l.slug}`).expect(200);
          expect(bySlug.text).toBe(byId.text);
          bodies.push(byId.text);
          lessons++;
          // ordering items are never sent in the correct order
          const authored = pkg.modules.flatMap((x) => x.lessons).find((x) => x.slug === l.slug)!;
          for (const block of byId.body.blocks.filter((b: { kind: string }) => b.kind === 'quiz')) {
            const quiz = authored.blocks.find((b) => b.kind === 'quiz' && b.id === block.quizId);
            for (const q of block.questions.filter((x: { type: string }) => x.type === 'ordering')) {
              const source = quiz?.kind === 'quiz' ? quiz.questions.find((x) => x.id === q.id) : undefined;
              expect(q.items.map((i: { text: string }) => i.text)).not.toEqual(
                source?.type === 'ordering' ? source.items : [],
              );
              orderingSeen++;
            }
          }
        }
      }
    }
    expect(lessons).toBe(packages.reduce((n, p) => n + p.modules.flatMap((m) => m.lessons).length, 0));
    expect(orderingSeen).toBeGreaterThan(10);
    expect(explanations.length).toBeGreaterThan(100);
    for (const body of bodies) {
      expect(body).not.toMatch(ANSWER_KEY);
      for (const e of explanations) {
        if (body.includes(JSON.stringify(e).slice(1, -1))) throw new Error(`an explanation leaked: ${e}`);
      }
    }
  });

  it('a lesson carries its blocks, its place in the course and links to the neighbours', async () => {
    const res = await t.http().get('/v1/courses/dich-vu-cong-truc-tuyen/lessons/04-nop-ho-so-truc-tuyen').expect(200);
    expect(res.body).toMatchObject({
      slug: '04-nop-ho-so-truc-tuyen',
      position: 3,
      minutes: 20,
      course: { slug: 'dich-vu-cong-truc-tuyen' },
      version: { number: 1 },
      module: { position: 1 },
      previous: { slug: '03-tim-thu-tuc-va-doc-huong-dan' },
      next: { slug: '05-nop-phi-theo-doi-nhan-ket-qua' },
    });
    expect(res.body.blocks.map((b: { kind: string }) => b.kind)).toContain('practice');
    const practice = res.body.blocks.find((b: { kind: string }) => b.kind === 'practice');
    expect(practice.practiceId).toBe('dvc-mo-phong-nop-ho-so-khai-sinh');
    expect(practice.steps.length).toBeGreaterThan(5);
    expect(practice.checklist.length).toBeGreaterThan(3);
    const quiz = res.body.blocks.find((b: { kind: string }) => b.kind === 'quiz');
    expect(quiz).toMatchObject({ quizId: 'dvc-kiem-tra-bai-04', passMark: 0.7, questionCount: 5 });
    expect(quiz.questions[1].options.map((o: { id: string }) => o.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(quiz.questions[2]).toEqual({
      id: 'd04-c3',
      type: 'truefalse',
      prompt: 'Ô có dấu sao đỏ (*) trong tờ khai là ô có thể bỏ trống.',
      // answered with the ids "true" / "false"; which one is right is never sent
      options: [
        { id: 'true', text: 'Đúng' },
        { id: 'false', text: 'Sai' },
      ],
    });
  });

  it('anonymous reads carry ETag and Cache-Control and answer 304 to If-None-Match', async () => {
    const paths = [
      '/v1/courses?limit=3',
      '/v1/courses?q=dich%20vu%20cong',
      '/v1/courses/vneid-dinh-danh-dien-tu',
      '/v1/courses/vneid-dinh-danh-dien-tu/lessons/01-vneid-la-gi',
      '/v1/competencies',
    ];
    for (const path of paths) {
      const res = await t.http().get(path).expect(200);
      expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
      expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+/);
      const again = await t.http().get(path).expect(200);
      expect(again.headers.etag).toBe(res.headers.etag);
      const notModified = await t.http().get(path).set('If-None-Match', res.headers.etag).expect(304);
      expect(notModified.text ?? '').toBe('');
      expect(notModified.headers.etag).toBe(res.headers.etag);
      await t.http().get(path).set('If-None-Match', `"other", W/${res.headers.etag}`).expect(304);
      await t.http().get(path).set('If-None-Match', '"something-else"').expect(200);
    }
    const member = await createSession(t, { roles: [Role.Learner] });
    const mine = await member.agent.get('/v1/courses/vneid-dinh-danh-dien-tu').expect(200);
    expect(mine.headers['cache-control']).toBe('private, no-cache');
    expect(mine.headers.etag).toBeTruthy();
    const missing = await t.http().get('/v1/courses/khong-co-khoa-nay').expect(404);
    expect(missing.headers.etag).toBeUndefined();
  });

  it('bad requests are problem+json naming the field; unknown things are 404', async () => {
    const problem = (res: Response) => {
      expect(res.headers['content-type']).toContain('application/problem+json');
      return res.body;
    };
    expect(problem(await t.http().get('/v1/courses/khong-co-khoa-nay').expect(404)).code).toBe('COURSE_NOT_FOUND');
    expect(
      problem(await t.http().get('/v1/courses/vneid-dinh-danh-dien-tu/lessons/99-khong-co').expect(404)).code,
    ).toBe('LESSON_NOT_FOUND');
    const badSlug = problem(await t.http().get('/v1/courses/Khoa_Hoc').expect(400));
    expect(badSlug.errors.map((e: { field: string }) => e.field)).toContain('slug');
    const badAudience = problem(await t.http().get('/v1/courses?audience=citizen,farmer').expect(400));
    expect(badAudience.errors.map((e: { field: string }) => e.field)).toEqual(['audience']);
    expect(badAudience.errors[0].message).toMatch(/Giá trị không hợp lệ/);
    const badLevel = problem(await t.http().get('/v1/courses?level=CB9').set('Accept-Language', 'en').expect(400));
    expect(badLevel.errors[0].field).toBe('level');
    const badCursor = problem(await t.http().get('/v1/courses?cursor=not-a-cursor').expect(400));
    expect(badCursor.code).toBe('INVALID_CURSOR');
    // a browse cursor does not fit a search
    const page = await t.http().get('/v1/courses?limit=2').expect(200);
    problem(await t.http().get('/v1/courses').query({ q: 'ai', cursor: page.body.nextCursor }).expect(400));
    const version = problem(await t.http().get('/v1/courses/vneid-dinh-danh-dien-tu?version=9').expect(404));
    expect(version.code).toBe('VERSION_NOT_FOUND');
    const drafts = problem(await t.http().get('/v1/courses?status=draft').expect(403));
    expect(drafts.code).toBe('NOT_A_CONTENT_EDITOR');
  });

  it('a changed lesson yields a new version; the old version stays readable by id and by number', async () => {
    const slug = 'dich-vu-cong-truc-tuyen';
    const v1 = (await t.http().get(`/v1/courses/${slug}`).expect(200)).body;
    const oldLessonId = v1.modules[0].lessons[1].id;
    const oldLesson = await t.http().get(`/v1/courses/${slug}/lessons/${oldLessonId}`).expect(200);
    const oldEtag = (await t.http().get(`/v1/courses/${slug}`).expect(200)).headers.etag;

    const dir = copyLibrary();
    tmp.push(dir);
    const added = 'Cập nhật: nếu ứng dụng báo lỗi đăng nhập, hãy cập nhật VNeID lên bản mới nhất rồi thử lại.';
    appendFileSync(join(dir, 'courses', slug, 'lessons', '02-dang-nhap-an-toan.md'), `\n${added}\n`);
    const report = await t.app.get(CourseImportService).importDirectory(dir);
    expect(report.courses.find((c) => c.slug === slug)).toMatchObject({ outcome: 'updated', version: 2 });
    expect(report.counts).toEqual({ created: 0, updated: 1, unchanged: 11, rejected: 0, skipped: 0 });

    const v2 = await t.http().get(`/v1/courses/${slug}`).expect(200);
    expect(v2.body.version.number).toBe(2);
    expect(v2.body.latestVersion).toBe(2);
    expect(v2.body.version.contentHash).not.toBe(v1.version.contentHash);
    expect(v2.headers.etag).not.toBe(oldEtag);
    const newLesson = await t.http().get(`/v1/courses/${slug}/lessons/02-dang-nhap-an-toan`).expect(200);
    expect(newLesson.body.version.number).toBe(2);
    expect(newLesson.body.id).not.toBe(oldLessonId);
    expect(newLesson.text).toContain(added);

    // learners who started version 1 keep it
    const kept = await t.http().get(`/v1/courses/${slug}/lessons/${oldLessonId}`).expect(200);
    expect(kept.text).toBe(oldLesson.text);
    expect(kept.body.version.number).toBe(1);
    expect(kept.text).not.toContain(added);
    const outlineV1 = await t.http().get(`/v1/courses/${slug}?version=1`).expect(200);
    expect(outlineV1.body.version).toEqual(v1.version);
    expect(outlineV1.body.latestVersion).toBe(2);
    const byNumber = await t.http().get(`/v1/courses/${slug}/lessons/02-dang-nhap-an-toan?version=1`).expect(200);
    expect(byNumber.body.id).toBe(oldLessonId);
    const versions = await t.http().get(`/v1/courses/${slug}/versions`).expect(200);
    expect(versions.body.items.map((v: { number: number; current: boolean }) => [v.number, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);

    // versions are immutable in the database too
    await expect(
      t.app.get(DataSource).query(`UPDATE course_version SET package = '{}'::jsonb WHERE id = $1`, [v1.version.id]),
    ).rejects.toThrow(/immutable/);
    // importing the same change again does nothing
    const again = await t.app.get(CourseImportService).importDirectory(dir);
    expect(again.counts.unchanged).toBe(12);
  });

  it('a broken package is reported with file and line and imports nothing of that course; valid ones import', async () => {
    const dir = copyLibrary();
    tmp.push(dir);
    const course = join(dir, 'courses', 'khoa-hoc-hong');
    mkdirSync(join(course, 'lessons'), { recursive: true });
    writeFileSync(
      join(course, 'course.yaml'),
      `slug: khoa-hoc-hong
title: { vi: Khóa học hỏng, en: Broken course }
summary: { vi: Tóm tắt., en: Summary. }
audience: [citizen]
level: CB2
language: vi
estimatedMinutes: 15
competencies: ["TT02:2.3"]
licence: CC-BY-4.0
lastReviewed: 2026-11-20
modules:
  - title: { vi: Học phần, en: Module }
    lessons: [01-bai-mot]
`,
    );
    writeFileSync(
      join(course, 'lessons', '01-bai-mot.md'),
      `---
title: { vi: Bài một, en: Lesson one }
minutes: 15
competencies: ["TT02:2.3"]
---

Nội dung.

\`\`\`quiz
id: kiem-tra-hong
passMark: 0.8
questions:
  - id: h1
    type: single
    prompt: Chọn một
    options:
      - { text: A, correct: true }
      - { text: B, correct: true }
    explanation: Chỉ A đúng.
\`\`\`
`,
    );
    appendFileSync(
      join(dir, 'courses', 'vneid-dinh-danh-dien-tu', 'lessons', '01-vneid-la-gi.md'),
      '\nThêm một dòng.\n',
    );
    const report = await t.app.get(CourseImportService).importDirectory(dir);
    const broken = report.courses.find((c) => c.slug === 'khoa-hoc-hong')!;
    expect(broken.outcome).toBe('rejected');
    expect(broken.problems.map((p) => formatProblem(p))).toEqual([
      'courses/khoa-hoc-hong/lessons/01-bai-mot.md:16: [modules.0.lessons.0.blocks.1.questions.0.options] ' +
        'Câu hỏi một lựa chọn (single) phải có đúng 1 lựa chọn "correct: true" (đang có 2).',
    ]);
    expect(report.courses.find((c) => c.slug === 'vneid-dinh-danh-dien-tu')?.outcome).toBe('updated');
    await t.http().get('/v1/courses/khoa-hoc-hong').expect(404);
    const rows = await t.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM course WHERE slug = 'khoa-hoc-hong'`);
    expect(rows[0].n).toBe(0);
  });

  it('keyset pages stay stable while courses are being added concurrently', async () => {
    const editor = await createSession(t, { roles: [Role.ContentEditor] });
    const original = (await allPages(t, { limit: 100 })).sort();
    const originalSearch = await allPages(t, { q: 'dich vu', limit: 100 });
    let n = 0;
    const addCourse = async () => {
      const i = n++;
      // titles that sort before and after the pages already read, and that match the search
      const title = `${i % 2 ? 'Ả' : 'Ỹ'} Dịch vụ công mẫu ${i}`;
      await editor.agent
        .post('/v1/courses')
        .send(samplePackage(`mau-song-song-${i}`, title))
        .expect(201);
      await editor.agent.post(`/v1/courses/mau-song-song-${i}/publish`).expect(200);
    };
    type PageBody = { items: Array<{ slug: string }>; nextCursor: string | null };
    const page = async (query: Record<string, string | number>, cursor: string | null): Promise<PageBody> =>
      (
        await t
          .http()
          .get('/v1/courses')
          .query({ ...query, ...(cursor ? { cursor } : {}) })
          .expect(200)
      ).body as PageBody;

    const queries: Array<Record<string, string | number>> = [{ limit: 2 }, { q: 'dich vu', limit: 2 }];
    for (const query of queries) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        // every page is read while two more courses are being published
        const results = await Promise.all([page(query, cursor), addCourse(), addCourse()]);
        const p: PageBody = results[0];
        seen.push(...p.items.map((i) => i.slug));
        cursor = p.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length); // nothing twice
      const expected = 'q' in query ? originalSearch : original;
      for (const slug of expected) expect(seen).toContain(slug); // nothing skipped
    }
    expect(n).toBeGreaterThan(8);
  });
});

describe('courses on the embedded database (PGlite): import, accent-insensitive search, lessons', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ mode: 'embedded' });
  });
  afterAll(() => t.close());

  it('imports the starter library, searches with and without diacritics, keeps versions immutable', async () => {
    // what the api does at first start: import when the library is empty, and only then
    const importer = t.app.get(CourseImportService);
    const report = (await importer.importIfEmpty(CONTENT)) ?? (await importer.importDirectory(CONTENT));
    expect(report.counts.rejected).toBe(0);
    expect(report.counts.created + report.counts.unchanged).toBe(12);
    expect(await importer.importIfEmpty(CONTENT)).toBeNull();
    for (const q of ['dich vu cong', 'DỊCH VỤ CÔNG']) {
      const res = await t.http().get('/v1/courses').query({ q }).expect(200);
      expect(res.body.items[0].slug).toBe('dich-vu-cong-truc-tuyen');
    }
    expect((await allPages(t, { limit: 4 })).sort()).toEqual(SLUGS);
    expect((await allPages(t, { q: 'ai', limit: 2 })).length).toBeGreaterThan(2);
    const lesson = await t.http().get('/v1/courses/thanh-toan-so-an-toan/lessons/03-sinh-trac-hoc-va-otp').expect(200);
    expect(lesson.text).not.toMatch(ANSWER_KEY);
    const again = await t.app.get(CourseImportService).importDirectory(CONTENT);
    expect(again.counts.unchanged).toBe(12);
    await expect(t.app.get(DataSource).query(`UPDATE course_version SET number = number + 100`)).rejects.toThrow(
      /immutable/,
    );
  });
});

function samplePackage(slug: string, titleVi: string) {
  return {
    slug,
    title: { vi: titleVi, en: `Sample ${slug}` },
    summary: { vi: 'Khóa học mẫu để thử phân trang.', en: 'A sample course for the pagination test.' },
    audience: ['citizen'],
    level: 'CB1',
    language: 'vi',
    estimatedMinutes: 10,
    competencies: ['TT02:2.3'],
    licence: 'CC-BY-4.0',
    lastReviewed: '2026-11-20',
    modules: [
      {
        title: { vi: 'Học phần', en: 'Module' },
        lessons: [
          {
            slug: '01-bai',
            title: { vi: 'Bài', en: 'Lesson' },
            minutes: 10,
            competencies: ['TT02:2.3'],
            blocks: [
              { kind: 'text', markdown: 'Nội dung.' },
              {
                kind: 'quiz',
                id: 'q',
                passMark: 1,
                questions: [{ id: 'q1', type: 'truefalse', prompt: 'Đúng?', answer: true, explanation: 'Đúng.' }],
              },
            ],
          },
        ],
      },
    ],
  };
}
