import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Role } from '@hocso/common';
import { CourseImportService, orderingItemId } from '@hocso/courses';
import {
  LearningDataService,
  LearningEventEntity,
  LearningMinutesService,
  ProgressEventEntity,
  XapiStatementEntity,
} from '@hocso/learning';
import { WorkerExtraMinutesRegistry } from '@hocso/workforce';
import { createSession, createTestApp, type Session, type TestApp } from '@hocso/testing';
import { DataSource } from 'typeorm';

const SLUG = 'hoc-thu-tien-do';
const FIXTURE = join(__dirname, 'fixtures/learning-content');

interface Lessons {
  intro: string;
  questions: string;
  wrapUp: string;
}

describe('learning: enrollment, offline progress, quizzes, completion, minutes', () => {
  let t: TestApp;
  let lessons: Lessons;
  beforeAll(async () => {
    t = await createTestApp({ env: { LEARNING_DAILY_CAP_MINUTES: '30', LEARNING_MAX_EVENT_SECONDS: '300' } });
    const report = await t.app.get(CourseImportService).importDirectory(FIXTURE);
    expect(report.counts.rejected).toBe(0);
    expect(report.counts.created).toBe(2);
    const outline = (await t.http().get(`/v1/courses/${SLUG}`).expect(200)).body;
    const all = outline.modules.flatMap((m: { lessons: Array<{ id: string; slug: string }> }) => m.lessons);
    const id = (slug: string) => all.find((l: { slug: string }) => l.slug === slug).id;
    lessons = { intro: id('01-mo-dau'), questions: id('02-cau-hoi'), wrapUp: id('03-ket-thuc') };
  });
  afterAll(() => t.close());

  async function learner(): Promise<Session> {
    return createSession(t, { roles: [Role.Learner] });
  }
  async function enrolled(): Promise<{ s: Session; enrollmentId: string; enrolledAt: number }> {
    const s = await learner();
    const res = await s.agent.post('/v1/enrollments').send({ courseSlug: SLUG }).expect(201);
    return { s, enrollmentId: res.body.id, enrolledAt: Date.parse(res.body.enrolledAt) };
  }
  const ev = (type: string, lessonId: string, at: number, extra: Record<string, unknown> = {}) => ({
    eventId: randomUUID(),
    type,
    courseSlug: SLUG,
    lessonId,
    occurredAt: new Date(at).toISOString(),
    ...extra,
  });
  /** Moves an enrollment into the past so that earlier device times are valid; returns the new time. */
  async function backdate(enrollmentId: string, ms: number): Promise<number> {
    const at = Date.now() - ms;
    await t.app
      .get(DataSource)
      .query(`UPDATE enrollment SET enrolled_at = $2 WHERE id = $1`, [enrollmentId, new Date(at)]);
    return at;
  }
  const sync = (s: Session, events: object[]) => s.agent.post('/v1/progress-events').send({ events });

  describe('enrollment', () => {
    it('enrolls once: 201, then 200 with the same enrollment; lists it with progress and where to resume', async () => {
      const s = await learner();
      const first = await s.agent.post('/v1/enrollments').send({ courseSlug: SLUG }).expect(201);
      const again = await s.agent.post('/v1/enrollments').send({ courseSlug: SLUG }).expect(200);
      expect(again.body.id).toBe(first.body.id);
      expect(first.body).toMatchObject({
        courseSlug: SLUG,
        status: 'active',
        source: 'self',
        lessonsTotal: 3,
        progressPercent: 0,
        minutes: 0,
        resumeLessonId: lessons.intro,
      });
      const list = await s.agent.get('/v1/me/enrollments').expect(200);
      expect(list.body.items.map((e: { id: string }) => e.id)).toEqual([first.body.id]);
    });

    it('concurrent enrollments create one', async () => {
      const s = await learner();
      const results = await Promise.all(
        Array.from({ length: 6 }, () => s.agent.post('/v1/enrollments').send({ courseSlug: SLUG })),
      );
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    });

    it('an unknown course → 404 naming courseSlug; a malformed slug → 400', async () => {
      const s = await learner();
      const res = await s.agent.post('/v1/enrollments').send({ courseSlug: 'khong-co-khoa-nay' }).expect(404);
      expect(res.body.code).toBe('COURSE_NOT_AVAILABLE');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'courseSlug' })]);
      await s.agent.post('/v1/enrollments').send({ courseSlug: 'Có Dấu' }).expect(400);
    });

    it('another learner’s enrollment is unreachable (404)', async () => {
      const { enrollmentId } = await enrolled();
      const other = await learner();
      await other.agent.get(`/v1/me/enrollments/${enrollmentId}`).expect(404);
      await t.http().get(`/v1/me/enrollments/${enrollmentId}`).expect(401);
    });
  });

  describe('progress events', () => {
    it('accepts a valid batch, replays it as duplicates, changes nothing the second time', async () => {
      const { s, enrollmentId, enrolledAt } = await enrolled();
      const events = [
        ev('lesson_started', lessons.intro, enrolledAt + 1000),
        ev('heartbeat', lessons.intro, enrolledAt + 61_000, { seconds: 60 }),
        ev('lesson_completed', lessons.intro, enrolledAt + 62_000),
      ];
      const first = await sync(s, events).expect(200);
      expect(first.body).toMatchObject({ accepted: 3, duplicates: 0, rejected: 0 });
      expect(first.body.results[1].creditedSeconds).toBe(60);
      const replay = await sync(s, events).expect(200);
      expect(replay.body).toMatchObject({ accepted: 0, duplicates: 3, rejected: 0 });
      const enrollment = (await s.agent.get(`/v1/me/enrollments/${enrollmentId}`).expect(200)).body;
      expect(enrollment).toMatchObject({ lessonsCompleted: 1, minutes: 1, progressPercent: 33 });
    });

    it('concurrent retries of the same batch store each event exactly once', async () => {
      const { s, enrollmentId } = await enrolled();
      const enrolledAt = await backdate(enrollmentId, 3600_000);
      const events = Array.from({ length: 20 }, (_, i) =>
        ev('heartbeat', lessons.intro, enrolledAt + (i + 1) * 30_000, { seconds: 30 }),
      );
      const results = await Promise.all(Array.from({ length: 5 }, () => sync(s, events)));
      const accepted = results.reduce((n, r) => n + r.body.accepted, 0);
      expect(accepted).toBe(20);
      const rows = await t.app.get(DataSource).getRepository(ProgressEventEntity).countBy({ enrollmentId });
      expect(rows).toBe(20);
      const enrollment = (await s.agent.get(`/v1/me/enrollments/${enrollmentId}`).expect(200)).body;
      expect(enrollment.minutes).toBe(10); // 20 × 30 s, credited once
    });

    it('out-of-order events are fine: completion before start, older heartbeats after newer', async () => {
      const { s, enrollmentId } = await enrolled();
      const enrolledAt = await backdate(enrollmentId, 3600_000);
      const later = await sync(s, [
        ev('lesson_completed', lessons.intro, enrolledAt + 600_000),
        ev('heartbeat', lessons.intro, enrolledAt + 590_000, { seconds: 60 }),
      ]).expect(200);
      expect(later.body.accepted).toBe(2);
      const earlier = await sync(s, [
        ev('lesson_started', lessons.intro, enrolledAt + 10_000),
        ev('heartbeat', lessons.intro, enrolledAt + 70_000, { seconds: 60 }),
      ]).expect(200);
      expect(earlier.body.accepted).toBe(2);
      const e = (await s.agent.get(`/v1/me/enrollments/${enrollmentId}`).expect(200)).body;
      expect(e.lessonsCompleted).toBe(1);
      expect(e.minutes).toBe(2);
      expect(e.resumeLessonId).toBe(lessons.intro);
    });

    it('rejects events individually (foreign lesson, unknown block, future, before enrollment, not enrolled) and keeps the rest', async () => {
      const { s, enrolledAt } = await enrolled();
      const good = ev('lesson_started', lessons.questions, enrolledAt + 5000);
      const res = await sync(s, [
        ev('lesson_started', randomUUID(), enrolledAt + 1000),
        ev('block_completed', lessons.intro, enrolledAt + 2000, { blockId: 'khong-co' }),
        ev('lesson_started', lessons.intro, Date.now() + 3600_000),
        ev('lesson_started', lessons.intro, enrolledAt - 3600_000),
        { ...ev('lesson_started', lessons.intro, enrolledAt + 3000), courseSlug: 'dich-vu-cong-truc-tuyen' },
        good,
        ev('block_completed', lessons.questions, enrolledAt + 6000, { blockId: 'kiem-tra-giua-khoa' }),
      ]).expect(200);
      expect(res.body.results.map((r: { status: string; reason?: string }) => r.reason ?? r.status)).toEqual([
        'lesson_not_in_course',
        'block_not_in_lesson',
        'in_future',
        'before_enrollment',
        'not_enrolled',
        'accepted',
        'accepted',
      ]);
      const stored = await t.app.get(DataSource).getRepository(ProgressEventEntity).countBy({ userId: s.user.id });
      expect(stored).toBe(2);
    });

    it('a malformed event → 400 naming it; more than 500 → 400; nothing of that batch is stored', async () => {
      const { s, enrolledAt } = await enrolled();
      const res = await sync(s, [
        ev('lesson_started', lessons.intro, enrolledAt + 1000),
        { ...ev('heartbeat', lessons.intro, enrolledAt), eventId: 'not-a-uuid' },
      ]).expect(400);
      expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'events.1.eventId' }));
      const tooMany = Array.from({ length: 501 }, (_, i) =>
        ev('heartbeat', lessons.intro, enrolledAt + i * 1000, { seconds: 1 }),
      );
      const big = await sync(s, tooMany).expect(400);
      expect(big.body.errors).toContainEqual(expect.objectContaining({ field: 'events' }));
      expect(await t.app.get(DataSource).getRepository(ProgressEventEntity).countBy({ userId: s.user.id })).toBe(0);
    });
  });

  describe('learning time cannot be inflated', () => {
    it('many heartbeats with the same timestamp count once', async () => {
      const { s, enrolledAt } = await enrolled();
      const at = enrolledAt + 120_000;
      const res = await sync(
        s,
        Array.from({ length: 10 }, () => ev('heartbeat', lessons.intro, at, { seconds: 60 })),
      ).expect(200);
      expect(res.body.accepted).toBe(10);
      expect(res.body.results.reduce((n: number, r: { creditedSeconds: number }) => n + r.creditedSeconds, 0)).toBe(60);
    });

    it('overlapping claims count the wall clock once', async () => {
      const { s, enrolledAt } = await enrolled();
      const res = await sync(s, [
        ev('heartbeat', lessons.intro, enrolledAt + 120_000, { seconds: 120 }),
        ev('heartbeat', lessons.intro, enrolledAt + 150_000, { seconds: 120 }),
        ev('video_progress', lessons.intro, enrolledAt + 160_000, { seconds: 150 }),
      ]).expect(200);
      // heartbeat 1: [0,120) s; heartbeat 2 reaches back only to the previous event (120 s): +30;
      // video at 160 s reaches back to 150 s: +10 ⇒ 160 s in all, the wall-clock span.
      expect(res.body.results.map((r: { creditedSeconds: number }) => r.creditedSeconds)).toEqual([120, 30, 10]);
    });

    it('a claim never reaches back past the learner’s previous event, nor beyond the per-event maximum', async () => {
      const { s, enrolledAt } = await enrolled();
      await sync(s, [ev('lesson_started', lessons.intro, enrolledAt + 1000)]).expect(200);
      const res = await sync(s, [ev('heartbeat', lessons.intro, enrolledAt + 21_000, { seconds: 3600 })]).expect(200);
      expect(res.body.results[0].creditedSeconds).toBe(20);
      const far = await sync(s, [ev('heartbeat', lessons.intro, enrolledAt + 4 * 3600_000, { seconds: 5000 })]);
      // 4 h after enrolling may be in the future for this test; only check when accepted
      if (far.body.results[0].status === 'accepted')
        expect(far.body.results[0].creditedSeconds).toBeLessThanOrEqual(300);
    });

    it('a local day never exceeds the daily cap (30 min in this test); the next day starts afresh', async () => {
      const { s, enrollmentId } = await enrolled();
      // Back-date the enrollment so that earlier days are allowed.
      const start = Date.parse('2026-10-05T01:00:00Z'); // 08:00 in Vietnam
      await backdate(enrollmentId, Date.now() - (start - 60_000));
      const day1 = Array.from({ length: 12 }, (_, i) =>
        ev('heartbeat', lessons.intro, start + (i + 1) * 300_000, { seconds: 300 }),
      );
      const res1 = await sync(s, day1).expect(200);
      const credited1 = res1.body.results.reduce(
        (n: number, r: { creditedSeconds: number }) => n + r.creditedSeconds,
        0,
      );
      expect(credited1).toBe(30 * 60);
      const nextDay = start + 24 * 3600_000;
      const res2 = await sync(s, [ev('heartbeat', lessons.intro, nextDay, { seconds: 300 })]).expect(200);
      expect(res2.body.results[0].creditedSeconds).toBe(300);
      const minutes = await t.app.get(LearningMinutesService).minutesFor([s.user.id], '2026-10-01', '2026-10-31');
      expect(minutes).toEqual([
        { userId: s.user.id, localDate: '2026-10-05', minutes: 30 },
        { userId: s.user.id, localDate: '2026-10-06', minutes: 5 },
      ]);
    });

    it('learning minutes count toward a linked worker’s weekly hour (workforce reads the same model)', async () => {
      const { s, enrollmentId } = await enrolled();
      const at = await backdate(enrollmentId, 3600_000);
      await sync(s, [ev('heartbeat', lessons.intro, at + 600_000, { seconds: 300 })]).expect(200);
      const day = new Date(at + 600_000 + 7 * 3600_000).toISOString().slice(0, 10);
      const extra = await t.app.get(WorkerExtraMinutesRegistry).minutesFor([s.user.id], day, day);
      expect(extra).toEqual([{ userId: s.user.id, localDate: day, minutes: 5 }]);
    });

    it('time is bucketed by the local day: 23:30 UTC belongs to the next day in Vietnam', async () => {
      const { s, enrollmentId } = await enrolled();
      await backdate(enrollmentId, Date.now() - Date.parse('2026-10-01T00:00:00Z'));
      await sync(s, [ev('heartbeat', lessons.intro, Date.parse('2026-10-10T23:30:00Z'), { seconds: 120 })]).expect(200);
      const own = await s.agent.get('/v1/me/learning-minutes').expect(200);
      expect(own.body).toEqual([expect.objectContaining({ localDate: '2026-10-11', minutes: 2 })]);
    });
  });

  describe('quizzes', () => {
    const right = () => [
      { questionId: 'q-single', optionIds: ['a'] },
      {
        questionId: 'q-order',
        optionIds: ['Đăng nhập', 'Chọn thủ tục', 'Nộp hồ sơ'].map((x) => orderingItemId('q-order', x)),
      },
    ];

    it('grades on the server: score, passed, per-question result and explanation', async () => {
      const { s } = await enrolled();
      const wrong = await s.agent
        .post(`/v1/courses/${SLUG}/quizzes/kiem-tra-giua-khoa/attempts`)
        .send({ answers: [{ questionId: 'q-single', optionIds: ['b'] }] })
        .expect(201);
      expect(wrong.body).toMatchObject({ attemptNumber: 1, score: 0, passed: false, passMark: 0.5 });
      expect(wrong.body.questions).toEqual([
        { questionId: 'q-single', correct: false, explanation: 'Mã OTP chỉ dành cho chính bạn.' },
        { questionId: 'q-order', correct: false, explanation: 'Đăng nhập trước, chọn thủ tục rồi mới nộp.' },
      ]);
      const ok = await s.agent
        .post(`/v1/courses/${SLUG}/quizzes/kiem-tra-giua-khoa/attempts`)
        .send({ answers: right() })
        .expect(201);
      expect(ok.body).toMatchObject({ attemptNumber: 2, score: 1, passed: true });
    });

    it.each([
      ['an unknown question', [{ questionId: 'q-nope', optionIds: ['a'] }], 'answers[0].questionId'],
      ['an unknown option', [{ questionId: 'q-single', optionIds: ['z'] }], 'answers[0].optionIds'],
      ['two options on single choice', [{ questionId: 'q-single', optionIds: ['a', 'b'] }], 'answers[0].optionIds'],
      [
        'the same question twice',
        [
          { questionId: 'q-single', optionIds: ['a'] },
          { questionId: 'q-single', optionIds: ['b'] },
        ],
        'answers[1].questionId',
      ],
      [
        'an incomplete ordering',
        [{ questionId: 'q-order', optionIds: [orderingItemId('q-order', 'Đăng nhập')] }],
        'answers[0].optionIds',
      ],
    ])('tampering: %s → 400 naming the answer', async (_name, answers, field) => {
      const { s } = await enrolled();
      const res = await s.agent
        .post(`/v1/courses/${SLUG}/quizzes/kiem-tra-giua-khoa/attempts`)
        .send({ answers })
        .expect(400);
      expect(res.body.code).toBe('ANSWER_INVALID');
      expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    });

    it('limits set in the quiz: a cooldown answers 429 with Retry-After, the last allowed attempt then 409', async () => {
      const s = await learner();
      const e = (await s.agent.post('/v1/enrollments').send({ courseSlug: 'hoc-thu-gioi-han' }).expect(201)).body;
      const url = '/v1/courses/hoc-thu-gioi-han/quizzes/kiem-tra-gioi-han/attempts';
      const wrong = { answers: [{ questionId: 'q-limit', optionIds: ['false'] }] };
      await s.agent.post(url).send(wrong).expect(201);
      const wait = await s.agent.post(url).send(wrong).expect(429);
      expect(wait.body.code).toBe('ATTEMPT_COOLDOWN');
      expect(Number(wait.headers['retry-after'])).toBeGreaterThan(200);
      expect(Number(wait.headers['retry-after'])).toBeLessThanOrEqual(300);
      // Five minutes later (moved back in the database) the second attempt is allowed …
      await t.app
        .get(DataSource)
        .query(`UPDATE quiz_attempt SET created_at = created_at - interval '10 minutes' WHERE enrollment_id = $1`, [
          e.id,
        ]);
      await s.agent.post(url).send(wrong).expect(201);
      await t.app
        .get(DataSource)
        .query(`UPDATE quiz_attempt SET created_at = created_at - interval '10 minutes' WHERE enrollment_id = $1`, [
          e.id,
        ]);
      // … and there is no third.
      const over = await s.agent
        .post(url)
        .send({ answers: [{ questionId: 'q-limit', optionIds: ['true'] }] })
        .expect(409);
      expect(over.body.code).toBe('ATTEMPT_LIMIT_REACHED');
    });

    it('not enrolled → 422; a quiz not in the course → 404', async () => {
      const s = await learner();
      await s.agent
        .post(`/v1/courses/${SLUG}/quizzes/kiem-tra-giua-khoa/attempts`)
        .send({ answers: right() })
        .expect(422);
      const { s: e } = await enrolled();
      await e.agent.post(`/v1/courses/${SLUG}/quizzes/khong-co/attempts`).send({ answers: [] }).expect(404);
    });
  });

  describe('completion', () => {
    const finalQuiz = [
      { questionId: 'q-tf', optionIds: ['false'] },
      { questionId: 'q-multi', optionIds: ['a', 'b'] },
    ];
    const midQuiz = [
      { questionId: 'q-single', optionIds: ['a'] },
      {
        questionId: 'q-order',
        optionIds: ['Đăng nhập', 'Chọn thủ tục', 'Nộp hồ sơ'].map((x) => orderingItemId('q-order', x)),
      },
    ];

    it('completes once every lesson is done and every quiz passed — exactly once under concurrency', async () => {
      const { s, enrollmentId, enrolledAt } = await enrolled();
      await s.agent
        .post(`/v1/courses/${SLUG}/quizzes/kiem-tra-giua-khoa/attempts`)
        .send({ answers: midQuiz })
        .expect(201);
      await s.agent
        .post(`/v1/courses/${SLUG}/quizzes/kiem-tra-cuoi-khoa/attempts`)
        .send({ answers: finalQuiz })
        .expect(201);
      await sync(s, [
        ev('lesson_completed', lessons.intro, enrolledAt + 1000),
        ev('lesson_completed', lessons.questions, enrolledAt + 2000),
      ]).expect(200);
      let e = (await s.agent.get(`/v1/me/enrollments/${enrollmentId}`).expect(200)).body;
      expect(e.status).toBe('active');
      // The last lesson arrives from several devices at once, each with its own event id.
      const last = await Promise.all(
        Array.from({ length: 6 }, (_, i) => sync(s, [ev('lesson_completed', lessons.wrapUp, enrolledAt + 3000 + i)])),
      );
      expect(last.every((r) => r.status === 200)).toBe(true);
      e = (await s.agent.get(`/v1/me/enrollments/${enrollmentId}`).expect(200)).body;
      expect(e).toMatchObject({ status: 'completed', progressPercent: 100, lessonsCompleted: 3 });
      const ds = t.app.get(DataSource);
      expect(await ds.getRepository(LearningEventEntity).countBy({ key: enrollmentId })).toBe(1);
      const statements = await ds
        .getRepository(XapiStatementEntity)
        .findBy({ userId: s.user.id, verb: 'http://adlnet.gov/expapi/verbs/completed' });
      const courseCompletions = statements.filter((x) =>
        (x.statement.object as { id: string }).id.endsWith(`/courses/${SLUG}`),
      );
      expect(courseCompletions).toHaveLength(1);
      // Re-sending everything changes nothing.
      await s.agent
        .post(`/v1/courses/${SLUG}/quizzes/kiem-tra-cuoi-khoa/attempts`)
        .send({ answers: finalQuiz })
        .expect(201);
      expect(await ds.getRepository(LearningEventEntity).countBy({ key: enrollmentId })).toBe(1);
    });

    it('a failed final quiz keeps the course open', async () => {
      const { s, enrollmentId, enrolledAt } = await enrolled();
      await sync(
        s,
        [lessons.intro, lessons.questions, lessons.wrapUp].map((l, i) =>
          ev('lesson_completed', l, enrolledAt + 1000 + i),
        ),
      ).expect(200);
      await s.agent
        .post(`/v1/courses/${SLUG}/quizzes/kiem-tra-giua-khoa/attempts`)
        .send({ answers: midQuiz })
        .expect(201);
      const res = await s.agent
        .post(`/v1/courses/${SLUG}/quizzes/kiem-tra-cuoi-khoa/attempts`)
        .send({
          answers: [
            { questionId: 'q-tf', optionIds: ['false'] },
            { questionId: 'q-multi', optionIds: ['a'] },
          ],
        })
        .expect(201);
      expect(res.body).toMatchObject({ passed: false, courseCompleted: false });
      expect((await s.agent.get(`/v1/me/enrollments/${enrollmentId}`).expect(200)).body.status).toBe('active');
    });
  });

  describe('xAPI and personal data', () => {
    it('retention: logs older than LEARNING_RETENTION_DAYS are deleted, totals stay', async () => {
      const { s, enrollmentId, enrolledAt } = await enrolled();
      await sync(s, [
        ev('lesson_started', lessons.intro, enrolledAt + 1000),
        ev('heartbeat', lessons.intro, enrolledAt + 61_000, { seconds: 60 }),
      ]).expect(200);
      const ds = t.app.get(DataSource);
      await ds.query(`UPDATE progress_event SET received_at = now() - interval '400 days' WHERE enrollment_id = $1`, [
        enrollmentId,
      ]);
      const purged = await t.app.get(LearningDataService).purgeExpired();
      expect(purged.progressEvents).toBeGreaterThanOrEqual(2);
      expect(await ds.getRepository(ProgressEventEntity).countBy({ enrollmentId })).toBe(0);
      expect((await s.agent.get(`/v1/me/enrollments/${enrollmentId}`).expect(200)).body.minutes).toBe(1);
    });

    it('statements name the learner by account, never by e-mail or name', async () => {
      const { s, enrolledAt } = await enrolled();
      await sync(s, [ev('lesson_started', lessons.intro, enrolledAt + 1000)]).expect(200);
      const [row] = await t.app.get(DataSource).getRepository(XapiStatementEntity).findBy({ userId: s.user.id });
      expect(row.statement).toMatchObject({
        actor: { objectType: 'Agent', account: { homePage: t.config.http.publicUrl, name: s.user.id } },
        verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' },
        object: { id: `${t.config.http.publicUrl}/courses/${SLUG}/lessons/01-mo-dau` },
        version: '2.0.0',
      });
      expect(JSON.stringify(row.statement)).not.toContain(s.user.email as string);
    });

    it('export includes the learning log; erasure removes it but keeps anonymous totals', async () => {
      const { s, enrollmentId, enrolledAt } = await enrolled();
      await sync(s, [
        ev('lesson_started', lessons.intro, enrolledAt + 1000),
        ev('heartbeat', lessons.intro, enrolledAt + 61_000, { seconds: 60 }),
      ]).expect(200);
      const exported = (await s.agent.get('/v1/me/export').expect(200)).body;
      expect(exported.learning.enrollments).toHaveLength(1);
      expect(exported.learning.progressEvents).toHaveLength(2);
      expect(exported.learning.xapiStatements.length).toBeGreaterThanOrEqual(1);
      await s.agent.delete('/v1/me').send({ password: 'Mật khẩu thử nghiệm 2026' }).expect(204);
      const ds = t.app.get(DataSource);
      expect(await ds.getRepository(ProgressEventEntity).countBy({ userId: s.user.id })).toBe(0);
      expect(await ds.getRepository(XapiStatementEntity).countBy({ userId: s.user.id })).toBe(0);
      const [{ learning_seconds }] = await ds.query(`SELECT learning_seconds FROM enrollment WHERE id = $1`, [
        enrollmentId,
      ]);
      expect(learning_seconds).toBe(60);
    });
  });
});

describe('learning in embedded mode (PGlite): the same journey', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ mode: 'embedded' });
    await t.app.get(CourseImportService).importDirectory(FIXTURE);
  }, 120_000);
  afterAll(() => t.close());

  it('enroll, sync offline events twice, pass both quizzes, complete exactly once', async () => {
    const s = await createSession(t, { roles: [Role.Learner] });
    const outline = (await t.http().get(`/v1/courses/${SLUG}`).expect(200)).body;
    const lessonIds: string[] = outline.modules.flatMap((m: { lessons: Array<{ id: string }> }) =>
      m.lessons.map((l) => l.id),
    );
    const enrollment = (await s.agent.post('/v1/enrollments').send({ courseSlug: SLUG }).expect(201)).body;
    const t0 = Date.parse(enrollment.enrolledAt);
    const events = lessonIds.flatMap((lessonId, i) => [
      {
        eventId: randomUUID(),
        type: 'heartbeat',
        courseSlug: SLUG,
        lessonId,
        occurredAt: new Date(t0 + (i + 1) * 40_000).toISOString(),
        seconds: 40,
      },
      {
        eventId: randomUUID(),
        type: 'lesson_completed',
        courseSlug: SLUG,
        lessonId,
        occurredAt: new Date(t0 + (i + 1) * 40_000 + 1).toISOString(),
      },
    ]);
    expect((await s.agent.post('/v1/progress-events').send({ events }).expect(200)).body.accepted).toBe(6);
    expect((await s.agent.post('/v1/progress-events').send({ events }).expect(200)).body.duplicates).toBe(6);
    const order = ['Đăng nhập', 'Chọn thủ tục', 'Nộp hồ sơ'].map((x) => orderingItemId('q-order', x));
    await s.agent
      .post(`/v1/courses/${SLUG}/quizzes/kiem-tra-giua-khoa/attempts`)
      .send({
        answers: [
          { questionId: 'q-single', optionIds: ['a'] },
          { questionId: 'q-order', optionIds: order },
        ],
      })
      .expect(201);
    const last = await s.agent
      .post(`/v1/courses/${SLUG}/quizzes/kiem-tra-cuoi-khoa/attempts`)
      .send({
        answers: [
          { questionId: 'q-tf', optionIds: ['false'] },
          { questionId: 'q-multi', optionIds: ['a', 'b'] },
        ],
      })
      .expect(201);
    expect(last.body.courseCompleted).toBe(true);
    const e = (await s.agent.get(`/v1/me/enrollments/${enrollment.id}`).expect(200)).body;
    expect(e).toMatchObject({ status: 'completed', progressPercent: 100, minutes: 2 });
    expect(await t.app.get(DataSource).getRepository(LearningEventEntity).countBy({ key: enrollment.id })).toBe(1);
  });
});
