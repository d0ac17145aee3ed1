import { resolve } from 'node:path';
import { Role } from '@hocso/common';
import { FrameworksService, readFrameworks } from '@hocso/courses';
import { createSession, createTestApp, type Session, type TestApp } from '@hocso/testing';
import type { Response } from 'supertest';

const CONTENT = resolve(__dirname, '../content');
const ANSWER_KEY = /"(correct|isCorrect|answer|answers|correctOrder|explanation|explanations)"\s*:/i;

/** The JSON form of a small but complete package (content/schema/course-package.schema.json). */
function coursePackage(slug: string, overrides: Record<string, unknown> = {}) {
  return {
    slug,
    title: { vi: 'Nhận biết tin nhắn lừa đảo', en: 'Spotting scam messages' },
    summary: {
      vi: 'Ba bài ngắn giúp bạn nhận ra tin nhắn giả danh ngân hàng và biết cách xử lý.',
      en: 'Three short lessons on spotting messages that impersonate banks and what to do.',
    },
    audience: ['citizen', 'worker'],
    level: 'CB2',
    language: 'vi',
    estimatedMinutes: 30,
    competencies: ['TT02:4.2', 'TT02:1.2'],
    licence: 'CC-BY-4.0',
    lastReviewed: '2026-11-20',
    tags: ['lừa đảo', 'tin nhắn'],
    modules: [
      {
        title: { vi: 'Nhận biết', en: 'Recognising' },
        lessons: [
          {
            slug: '01-dau-hieu',
            title: { vi: 'Dấu hiệu của tin nhắn giả', en: 'Signs of a fake message' },
            minutes: 10,
            competencies: ['TT02:1.2'],
            blocks: [
              {
                kind: 'text',
                markdown: '# Dấu hiệu\n\nTin nhắn giả thường thúc giục bạn bấm vào đường link lạ trong vài phút.',
              },
              {
                kind: 'image',
                src: 'https://example.org/tin-nhan-gia.png',
                alt: 'Ảnh chụp một tin nhắn giả danh ngân hàng, có đường link lạ',
              },
              {
                kind: 'quiz',
                id: 'kiem-tra-dau-hieu',
                passMark: 0.5,
                questions: [
                  {
                    id: 'dh-1',
                    type: 'single',
                    prompt: 'Ngân hàng có gửi đường link yêu cầu bạn nhập mã OTP không?',
                    options: [{ text: 'Có, thường xuyên' }, { text: 'Không bao giờ', correct: true }],
                    explanation: 'Ngân hàng không bao giờ yêu cầu nhập OTP qua đường link trong tin nhắn.',
                  },
                  {
                    id: 'dh-2',
                    type: 'ordering',
                    prompt: 'Sắp xếp các việc cần làm khi nhận tin nhắn đáng ngờ',
                    items: ['Không bấm vào link', 'Gọi tổng đài chính thức', 'Báo cáo tin nhắn'],
                    explanation: 'Trước hết không bấm link, sau đó tự kiểm tra qua kênh chính thức rồi báo cáo.',
                  },
                ],
              },
            ],
          },
          {
            slug: '02-xu-ly',
            title: { vi: 'Xử lý khi lỡ bấm link', en: 'If you clicked the link' },
            minutes: 20,
            competencies: ['TT02:4.2'],
            blocks: [
              {
                kind: 'video',
                url: 'https://example.org/xu-ly.mp4',
                durationSeconds: 120,
                captions: [{ lang: 'vi', url: 'https://example.org/xu-ly.vi.vtt' }],
                transcript: 'Nếu lỡ bấm link, hãy gọi ngay cho ngân hàng để khóa tài khoản.',
              },
              {
                kind: 'practice',
                id: 'thuc-hanh-khoa-the',
                title: 'Khóa thẻ tạm thời (mô phỏng)',
                steps: ['Mở ứng dụng ngân hàng mô phỏng', 'Chọn Khóa thẻ'],
                checklist: ['Tôi đã khóa thẻ trên ứng dụng mô phỏng'],
              },
              {
                kind: 'download',
                title: 'Phiếu ghi số tổng đài ngân hàng',
                url: 'https://example.org/phieu.pdf',
                mimeType: 'application/pdf',
                sizeBytes: 120000,
              },
              {
                kind: 'quiz',
                id: 'kiem-tra-xu-ly',
                passMark: 1,
                questions: [
                  {
                    id: 'xl-1',
                    type: 'truefalse',
                    prompt: 'Nếu lỡ bấm link, nên chờ vài ngày xem có chuyện gì không.',
                    answer: false,
                    explanation: 'Cần báo ngân hàng ngay để khóa tài khoản trước khi kẻ gian rút tiền.',
                  },
                  {
                    id: 'xl-2',
                    type: 'multiple',
                    prompt: 'Nên làm gì ngay?',
                    options: [
                      { text: 'Gọi tổng đài ngân hàng', correct: true },
                      { text: 'Đổi mật khẩu ứng dụng', correct: true },
                      { text: 'Gửi mã OTP cho người lạ để hỏi' },
                    ],
                    explanation: 'Gọi ngân hàng và đổi mật khẩu; không bao giờ gửi OTP cho ai.',
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
    ...overrides,
  };
}

const problem = (res: Response) => {
  expect(res.headers['content-type']).toContain('application/problem+json');
  return res.body as { code: string; errors?: Array<{ field: string; message: string }> };
};

describe('courses: authoring through the API (content editors and province admins)', () => {
  let t: TestApp;
  let editor: Session;
  let admin: Session;
  let learner: Session;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.get(FrameworksService).sync(readFrameworks(CONTENT).frameworks);
    editor = await createSession(t, { roles: [Role.ContentEditor, Role.Learner] });
    admin = await createSession(t, { roles: [Role.ProvinceAdmin] });
    learner = await createSession(t, { roles: [Role.Learner] });
  });
  afterAll(() => t.close());

  it('a learner cannot create, edit, publish or archive (403); an anonymous caller gets 401', async () => {
    expect(problem(await learner.agent.post('/v1/courses').send(coursePackage('khong-duoc')).expect(403)).code).toBe(
      'FORBIDDEN',
    );
    await learner.agent.put('/v1/courses/khong-duoc').send(coursePackage('khong-duoc')).expect(403);
    await learner.agent.post('/v1/courses/khong-duoc/publish').expect(403);
    await learner.agent.post('/v1/courses/khong-duoc/archive').expect(403);
    await learner.agent.get('/v1/courses/khong-duoc/draft').expect(403);
    await t.http().post('/v1/courses').send(coursePackage('khong-duoc')).expect(401);
    await t.http().post('/v1/courses/khong-duoc/publish').expect(401);
  });

  it('a content editor drafts, publishes, revises and archives; learners keep the version they started', async () => {
    const slug = 'tin-nhan-lua-dao';
    const created = await editor.agent.post('/v1/courses').send(coursePackage(slug)).expect(201);
    expect(created.body).toMatchObject({ slug, status: 'draft', latestVersion: null });
    expect(created.body.draft.modules[0].lessons[0].blocks[2].questions[0].options[1].correct).toBe(true);

    // a draft is not in the catalogue and has no public outline yet
    await t.http().get(`/v1/courses/${slug}`).expect(404);
    const slugsOf = (res: Response) => res.body.items.map((c: { slug: string }) => c.slug);
    const catalogue = await t.http().get('/v1/courses').query({ q: 'tin nhan lua dao', limit: 100 }).expect(200);
    expect(slugsOf(catalogue)).not.toContain(slug);
    const drafts = await editor.agent.get('/v1/courses?status=draft').expect(200);
    expect(drafts.body.items.map((c: { slug: string }) => c.slug)).toContain(slug);

    // another learner still cannot publish it
    await learner.agent.post(`/v1/courses/${slug}/publish`).expect(403);

    const published = await editor.agent.post(`/v1/courses/${slug}/publish`).expect(200);
    expect(published.body).toMatchObject({ slug, status: 'published', created: true, version: { number: 1 } });
    expect(published.body.version.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const found = await t.http().get('/v1/courses').query({ q: 'TIN NHẮN LỪA ĐẢO' }).expect(200);
    expect(found.body.items[0].slug).toBe(slug);
    const v1 = (await t.http().get(`/v1/courses/${slug}`).expect(200)).body;
    const v1Lesson = v1.modules[0].lessons[0].id;
    const v1Text = (await t.http().get(`/v1/courses/${slug}/lessons/${v1Lesson}`).expect(200)).text;
    expect(v1Text).not.toMatch(ANSWER_KEY);
    expect(v1Text).not.toContain('Ngân hàng không bao giờ yêu cầu nhập OTP qua đường link');
    for (const lesson of v1.modules[0].lessons) {
      const res = await t.http().get(`/v1/courses/${slug}/lessons/${lesson.id}`).expect(200);
      expect(res.text).not.toMatch(ANSWER_KEY);
      expect(res.body.blocks.map((b: { kind: string }) => b.kind)).toEqual(
        lesson.slug === '01-dau-hieu' ? ['text', 'image', 'quiz'] : ['video', 'practice', 'download', 'quiz'],
      );
    }

    // publishing again without a draft: nothing to publish
    expect(problem(await editor.agent.post(`/v1/courses/${slug}/publish`).expect(409)).code).toBe('NOTHING_TO_PUBLISH');

    // revise: the published version keeps serving until the draft is published
    const revised = coursePackage(slug, { estimatedMinutes: 35 });
    (revised.modules[0].lessons[0].blocks[0] as { markdown: string }).markdown += '\n\nThêm: kiểm tra tên người gửi.';
    const updated = await editor.agent.put(`/v1/courses/${slug}`).send(revised).expect(200);
    expect(updated.body).toMatchObject({ status: 'published', latestVersion: { number: 1 } });
    expect((await t.http().get(`/v1/courses/${slug}`).expect(200)).body.version.number).toBe(1);
    const v2 = await admin.agent.post(`/v1/courses/${slug}/publish`).expect(200); // province admins may publish too
    expect(v2.body).toMatchObject({ created: true, version: { number: 2 } });
    const latest = await t.http().get(`/v1/courses/${slug}/lessons/01-dau-hieu`).expect(200);
    expect(latest.body.version.number).toBe(2);
    expect(latest.text).toContain('kiểm tra tên người gửi');
    const kept = await t.http().get(`/v1/courses/${slug}/lessons/${v1Lesson}`).expect(200);
    expect(kept.text).toBe(v1Text);

    // a draft equal to the latest version publishes nothing new
    await editor.agent.put(`/v1/courses/${slug}`).send(revised).expect(200);
    const same = await editor.agent.post(`/v1/courses/${slug}/publish`).expect(200);
    expect(same.body).toMatchObject({ created: false, version: { number: 2 } });

    // archive: out of the catalogue, versions still readable
    const archived = await editor.agent.post(`/v1/courses/${slug}/archive`).expect(200);
    expect(archived.body.status).toBe('archived');
    await editor.agent.post(`/v1/courses/${slug}/archive`).expect(200); // idempotent
    const gone = await t.http().get('/v1/courses').query({ q: 'tin nhan lua dao', limit: 100 }).expect(200);
    expect(slugsOf(gone)).not.toContain(slug);
    const outline = await t.http().get(`/v1/courses/${slug}`).expect(200);
    expect(outline.body).toMatchObject({ status: 'archived', version: { number: 2 } });
    await t.http().get(`/v1/courses/${slug}/lessons/${v1Lesson}`).expect(200);
    const archivedList = await editor.agent.get('/v1/courses?status=archived').expect(200);
    expect(archivedList.body.items.map((c: { slug: string }) => c.slug)).toEqual([slug]);
  });

  it('bad input is 400 problem+json naming each field', async () => {
    // the shape, checked at the edge
    const noTitle = coursePackage('thieu-tieu-de') as Record<string, unknown>;
    delete noTitle.title;
    const shape = problem(
      await editor.agent
        .post('/v1/courses')
        .send({ ...noTitle, extra: 1 })
        .expect(400),
    );
    expect(shape.code).toBe('VALIDATION_FAILED');
    expect(shape.errors!.map((e) => e.field).sort()).toEqual(['extra', 'title']);

    // the package rules, checked by the same validator as the importer
    const bad = coursePackage('quy-tac-sai', { competencies: ['TT02:9.9'], level: 'CB9' });
    const quiz = bad.modules[0].lessons[0].blocks[2] as {
      questions: Array<{ options?: Array<{ correct?: boolean }> }>;
    };
    quiz.questions[0].options![0].correct = true; // now two correct answers on a single-choice question
    (bad.modules[0].lessons[1].blocks[0] as { captions: Array<{ url: string }> }).captions[0].url =
      'https://example.org/xu-ly.srt';
    const rules = problem(await editor.agent.post('/v1/courses').send(bad).expect(400));
    expect(rules.code).toBe('PACKAGE_INVALID');
    expect(rules.errors!.map((e) => e.field)).toEqual([
      'level',
      'competencies.0',
      'modules.0.lessons.0.blocks.2.questions.0.options',
      'modules.0.lessons.1.blocks.0.captions.0.url',
    ]);
    expect(rules.errors![2].message).toBe(
      'Câu hỏi một lựa chọn (single) phải có đúng 1 lựa chọn "correct: true" (đang có 2).',
    );
    await t.http().get('/v1/courses/quy-tac-sai').expect(404);
    expect((await editor.agent.get('/v1/courses/quy-tac-sai/draft').expect(404)).body.code).toBe('COURSE_NOT_FOUND');

    // a block of an unknown kind, and a JSON body that is not an object at all
    const kind = coursePackage('loai-khoi-sai');
    (kind.modules[0].lessons[0].blocks as unknown[]).push({ kind: 'audio', url: 'https://example.org/a.mp3' });
    const kindErr = problem(await editor.agent.post('/v1/courses').send(kind).expect(400));
    expect(kindErr.errors!.map((e) => e.field)).toEqual(['modules.0.lessons.0.blocks.3.kind']);
    problem(await editor.agent.post('/v1/courses').set('Content-Type', 'application/json').send('[1,2]').expect(400));
  });

  it('slugs are unique and cannot change; Idempotency-Key makes a retried publish safe', async () => {
    const slug = 'slug-duy-nhat';
    await editor.agent.post('/v1/courses').send(coursePackage(slug)).expect(201);
    expect(problem(await editor.agent.post('/v1/courses').send(coursePackage(slug)).expect(409)).code).toBe(
      'COURSE_SLUG_TAKEN',
    );
    const mismatch = problem(
      await editor.agent.put(`/v1/courses/${slug}`).send(coursePackage('slug-khac')).expect(400),
    );
    expect(mismatch).toMatchObject({ code: 'SLUG_MISMATCH', errors: [{ field: 'slug' }] });
    await editor.agent.put('/v1/courses/khong-ton-tai').send(coursePackage('khong-ton-tai')).expect(404);

    const first = await editor.agent
      .post(`/v1/courses/${slug}/publish`)
      .set('Idempotency-Key', 'xuat-ban-1')
      .expect(200);
    const retry = await editor.agent
      .post(`/v1/courses/${slug}/publish`)
      .set('Idempotency-Key', 'xuat-ban-1')
      .expect(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    const versions = await t.http().get(`/v1/courses/${slug}/versions`).expect(200);
    expect(versions.body.items).toHaveLength(1);
  });

  it('English messages when the editor asks for them (Accept-Language) on edge errors', async () => {
    const res = await editor.agent
      .post('/v1/courses')
      .set('Accept-Language', 'en')
      .send({ ...coursePackage('tieng-anh'), estimatedMinutes: 'ba mươi' })
      .expect(400);
    expect(problem(res).errors).toEqual([{ field: 'estimatedMinutes', message: expect.stringMatching(/integer/) }]);
  });
});
