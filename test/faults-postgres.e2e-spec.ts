import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Role } from '@hocso/common';
import { CourseImportService } from '@hocso/courses';
import { createSession, createTestApp, describeWithServices, type TestApp } from '@hocso/testing';
import { addDays, localDateOf } from '@hocso/workforce';
import { DataSource } from 'typeorm';
import {
  type Answer,
  ApiProcess,
  Cleanup,
  call,
  expectMatchesIndependent,
  Outcomes,
  PgCluster,
  type SentSession,
  type Stack,
  sleep,
  stackOf,
  waitReady,
  waitSettled,
  WorkerProcess,
} from './fixtures/fault-harness';
import { createOrg, putWorkers } from './fixtures/workforce-setup';

const SLUG = 'hoc-thu-tien-do';
const FIXTURE = join(__dirname, 'fixtures/learning-content');

/**
 * RELIABILITY RC8 (issue 11 §3): a PostgreSQL cluster of the test's own is restarted with
 * `pg_ctl restart -m immediate` (every backend killed, WAL replayed) while training reports,
 * progress events and reads keep arriving at a separate api process and a separate worker is
 * ingesting. Every answer is either the expected success or 503 problem+json with Retry-After;
 * clients retry with the same Idempotency-Key; afterwards every report that got a 202 is processed,
 * rows are stored once, figures equal an independent computation, and the api is ready again
 * without a restart.
 */
describeWithServices('faults: PostgreSQL restarted (immediate) during reads and writes', () => {
  const cleanup = new Cleanup();
  let t: TestApp;
  let pg: PgCluster;
  let stack: Stack;
  let api: ApiProcess;

  beforeAll(async () => {
    pg = await PgCluster.start(cleanup);
    const databaseUrl = await pg.createDatabase();
    t = await createTestApp({ worker: false, env: { DATABASE_URL: databaseUrl } });
    cleanup.add(() => t.close());
    const report = await t.app.get(CourseImportService).importDirectory(FIXTURE);
    expect(report.counts.rejected).toBe(0);
    stack = stackOf(t);
    api = await ApiProcess.start(cleanup, stack);
    await WorkerProcess.start(cleanup, stack, { WF_CONCURRENCY: '2' });
  }, 120_000);
  afterAll(() => cleanup.run(), 150_000);

  it('503 + Retry-After while it restarts, never a 500 or a lost 202; everything processed once afterwards', async () => {
    const ds = t.app.get(DataSource);
    const query = (sql: string, params?: unknown[]) => ds.query(sql, params);
    const org = await createOrg(t);
    const codes = Array.from({ length: 200 }, (_, i) => `P${String(i).padStart(3, '0')}`);
    await putWorkers(
      org,
      codes.map((workerCode) => ({ workerCode })),
    );
    const learner = await createSession(t, { roles: [Role.Learner] });
    const asLearner = { Authorization: `Bearer ${learner.accessToken}` };
    const enrolled = await call(api.url, 'POST', '/v1/enrollments', { body: { courseSlug: SLUG }, headers: asLearner });
    expect(enrolled.status).toBe(201);
    const outline = await call(api.url, 'GET', `/v1/courses/${SLUG}`);
    const lessonId = (outline.body as { modules: Array<{ lessons: Array<{ id: string }> }> }).modules[0].lessons[0].id;
    const enrolledAt = Math.floor((Date.now() - 5 * 3600_000) / 60_000) * 60_000;
    await query(`UPDATE enrollment SET enrolled_at = $2 WHERE id = $1`, [
      (enrolled.body as { id: string }).id,
      new Date(enrolledAt),
    ]);

    const outcomes = new Outcomes();
    const today = localDateOf(new Date());
    const dates = [1, 2].map((d) => addDays(today, -d));
    const sent: SentSession[] = [];
    const accepted: string[] = [];
    const events: string[] = [];
    let stop = false;
    let restarted = false;
    /**
     * Retries like a client would (same body, same Idempotency-Key) while the answer says to: 503
     * with Retry-After, or 409 "first request with this key still in progress" with Retry-After.
     * A key that stays "in progress" for 45 s was left behind by a request the restart cut off.
     */
    const untilAnswered = async (kind: string, success: number[], send: () => Promise<Answer>) => {
      const deadline = Date.now() + 45_000;
      for (;;) {
        const a = await send();
        const code = (a.body as { code?: string } | undefined)?.code;
        const inProgress = a.status === 409 && code === 'IDEMPOTENCY_KEY_IN_PROGRESS' && !!a.headers.get('retry-after');
        const verdict = inProgress ? 'unavailable' : outcomes.record(kind, a, success);
        if (verdict !== 'unavailable') return verdict === 'ok' ? a : undefined;
        if (Date.now() > deadline) {
          outcomes.violation(`${kind}: still ${a.status} ${code} after 45 s of retries`);
          return undefined;
        }
        if (inProgress) outcomes.record(`${kind} (409 in progress, retried)`, a, [409]);
        await sleep(250);
      }
    };

    const reporter = async () => {
      for (let n = 0; !stop; n++) {
        const sessions = codes
          .slice((n * 40) % 200, ((n * 40) % 200) + 40)
          .flatMap((workerCode, i) =>
            dates.map((date, d) => ({ workerCode, date, minutes: 15 + ((i + d + n) % 30), topic: `PG ${n}` })),
          );
        const key = randomUUID();
        const a = await untilAnswered('report', [202], () =>
          call(api.url, 'POST', `/v1/enterprises/${org.enterpriseId}/training-reports`, {
            body: { sessions },
            headers: { 'X-Api-Key': org.key, 'Idempotency-Key': key },
          }),
        );
        if (a) {
          accepted.push((a.body as { id: string }).id);
          sent.push(...sessions);
        }
        await sleep(100);
      }
    };
    let minute = 0;
    const learnerLoop = async () => {
      while (!stop) {
        const batch = Array.from({ length: 2 }, () => ({
          eventId: randomUUID(),
          type: 'heartbeat',
          courseSlug: SLUG,
          lessonId,
          occurredAt: new Date(enrolledAt + 60_000 * ++minute).toISOString(),
          seconds: 60,
        }));
        const a = await untilAnswered('progress', [200], () =>
          call(api.url, 'POST', '/v1/progress-events', { body: { events: batch }, headers: asLearner }),
        );
        if (a) {
          const statuses = (a.body as { results: Array<{ status: string }> }).results.map((r) => r.status);
          if (statuses.join() !== 'accepted,accepted')
            outcomes.violation('progress: not accepted', JSON.stringify(a.body));
          events.push(...batch.map((e) => e.eventId));
        }
        await sleep(200);
      }
    };
    const reader = async () => {
      while (!stop) {
        outcomes.record('read course', await call(api.url, 'GET', `/v1/courses/${SLUG}`), [200]);
        outcomes.record(
          'read reports',
          await call(api.url, 'GET', `/v1/enterprises/${org.enterpriseId}/training-reports?limit=5`, {
            headers: { 'X-Api-Key': org.key },
          }),
          [200],
        );
        const ready = await call(api.url, 'GET', '/health/ready');
        if (ready.status !== 200 && !(ready.status === 503 && Number(ready.headers.get('retry-after')) > 0)) {
          outcomes.violation(`ready: ${ready.status}`, ready.error);
        }
        await sleep(50);
      }
    };

    const load = Promise.all([reporter(), reporter(), learnerLoop(), reader()]);
    await sleep(2000);
    const restartStarted = Date.now();
    await pg.restartImmediate();
    const restartMs = Date.now() - restartStarted;
    restarted = true;
    await sleep(4000);
    stop = true;
    await load;
    expect(restarted).toBe(true);
    const readyMs = await waitReady(api, 30_000);

    expect(outcomes.violations).toEqual([]);
    const settleStarted = Date.now();
    await waitSettled(query, accepted, 120_000);
    const settleMs = Date.now() - settleStarted;
    await expectMatchesIndependent(query, org.enterpriseId, sent, codes.length);
    const [stored] = await query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE event_id = ANY($2))::int AS ours
       FROM progress_event WHERE user_id = $1`,
      [learner.user.id, events],
    );
    expect(stored).toEqual({ n: events.length, ours: events.length });
    const minutes = await call(api.url, 'GET', '/v1/me/learning-minutes', { headers: asLearner });
    expect((minutes.body as Array<{ minutes: number }>).reduce((a, m) => a + m.minutes, 0)).toBe(events.length);
    expect(api.alive).toBe(true);
    process.stdout.write(
      `faults RC8: restart took ${restartMs} ms; ${accepted.length} reports 202, ${events.length} events kept; ` +
        `answers: ${outcomes.summary()}; ready ${readyMs} ms after the load; all processed ${settleMs} ms later\n`,
    );
  }, 200_000);
});
