import { randomUUID } from 'node:crypto';
import type { Session, TestApp } from '@hocso/testing';

/** Polls until `check` holds (jobs run asynchronously in the worker). */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

/** The learner finishes the fixture course for real: the lesson read, the quiz passed. */
export async function completeCourse(t: TestApp, s: Session, slug: string): Promise<void> {
  const outline = (await t.http().get(`/v1/courses/${slug}`).expect(200)).body;
  const lessonId = outline.modules[0].lessons[0].id;
  await s.agent
    .post(`/v1/courses/${slug}/quizzes/kiem-tra-${slug}/attempts`)
    .send({ answers: [{ questionId: 'q-1', optionIds: ['true'] }] })
    .expect(201);
  const res = await s.agent
    .post('/v1/progress-events')
    .send({
      events: [
        {
          eventId: randomUUID(),
          type: 'lesson_completed',
          courseSlug: slug,
          lessonId,
          occurredAt: new Date().toISOString(),
        },
      ],
    })
    .expect(200);
  expect(res.body).toMatchObject({ accepted: 1, rejected: 0 });
}
