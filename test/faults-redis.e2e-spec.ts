import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Role } from '@hocso/common';
import { CourseImportService } from '@hocso/courses';
import { createSession, createTestApp, describeWithServices, Factories, type TestApp } from '@hocso/testing';
import { addDays, localDateOf } from '@hocso/workforce';
import { DataSource } from 'typeorm';
import {
  type Answer,
  ApiProcess,
  Cleanup,
  call,
  expectMatchesIndependent,
  isUnavailableProblem,
  RedisServer,
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
 * RELIABILITY RC6 (issue 11 §3): Redis — a redis-server of the test's own, without persistence —
 * is killed with SIGKILL right after a 202 and stays down for 10 s while training reports,
 * progress events and reads keep arriving at a separate api process; then it comes back empty.
 * A request either succeeds with its data durably in PostgreSQL (a report's 202 follows its
 * commit; the sweeper queues it later) or gets 503 problem+json with Retry-After; nothing that was
 * acknowledged is lost. The api and the worker recover without a restart, and jobs added after
 * the restart are processed (BullMQ issues #2466/#2964).
 */
describeWithServices('faults: Redis down for 10 s during submissions, back empty', () => {
  const cleanup = new Cleanup();
  let t: TestApp;
  let redis: RedisServer;
  let stack: Stack;
  let api: ApiProcess;

  beforeAll(async () => {
    redis = await RedisServer.start(cleanup);
    t = await createTestApp({ worker: false, env: { REDIS_URL: redis.url } });
    cleanup.add(() => t.close());
    const report = await t.app.get(CourseImportService).importDirectory(FIXTURE);
    expect(report.counts.rejected).toBe(0);
    stack = stackOf(t);
    api = await ApiProcess.start(cleanup, stack);
    await WorkerProcess.start(cleanup, stack, { WF_CONCURRENCY: '2' });
  }, 120_000);
  afterAll(() => cleanup.run(), 150_000);

  it('every 202 is processed, every accepted event kept once; 503 + Retry-After where Redis is needed; recovery without restarts', async () => {
    const ds = t.app.get(DataSource);
    const query = (sql: string, params?: unknown[]) => ds.query(sql, params);
    const org = await createOrg(t);
    const codes = Array.from({ length: 300 }, (_, i) => `R${String(i).padStart(3, '0')}`);
    await putWorkers(
      org,
      codes.map((workerCode) => ({ workerCode })),
    );
    const admin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: await new Factories(t).province() });
    const learner = await createSession(t, { roles: [Role.Learner] });
    const asLearner = { Authorization: `Bearer ${learner.accessToken}` };
    const enrolled = await call(api.url, 'POST', '/v1/enrollments', { body: { courseSlug: SLUG }, headers: asLearner });
    expect(enrolled.status).toBe(201);
    const outline = await call(api.url, 'GET', `/v1/courses/${SLUG}`);
    expect(outline.status).toBe(200);
    const lessonId = (outline.body as { modules: Array<{ lessons: Array<{ id: string }> }> }).modules[0].lessons[0].id;
    // Heartbeats one minute apart from five hours ago: each credits 60 s once.
    const enrolledAt = Math.floor((Date.now() - 5 * 3600_000) / 60_000) * 60_000;
    await query(`UPDATE enrollment SET enrolled_at = $2 WHERE id = $1`, [
      (enrolled.body as { id: string }).id,
      new Date(enrolledAt),
    ]);

    const today = localDateOf(new Date());
    const dates = [1, 2, 3].map((d) => addDays(today, -d));
    const sent: SentSession[] = [];
    const accepted: string[] = [];
    const refused: Answer[] = [];
    let reportNo = 0;
    const submitReport = async (phase: string) => {
      const n = reportNo++;
      // 60 workers per report, a topic of its own: natural keys never collide between reports.
      const sessions = codes
        .slice((n * 60) % 300, ((n * 60) % 300) + 60)
        .flatMap((workerCode, i) =>
          dates.map((date, d) => ({ workerCode, date, minutes: 10 + ((i + d + n) % 25), topic: `Báo cáo ${n}` })),
        );
      const started = Date.now();
      const res = await call(api.url, 'POST', `/v1/enterprises/${org.enterpriseId}/training-reports`, {
        body: { sessions },
        headers: { 'X-Api-Key': org.key, 'Idempotency-Key': randomUUID() },
      });
      if (res.status === 202) {
        sent.push(...sessions);
        accepted.push((res.body as { id: string }).id);
      } else {
        refused.push(res);
        expect([phase, isUnavailableProblem(res)]).toEqual([phase, true]);
      }
      // Never hangs while Redis is away: the queue add gives up after 3 s, the sweeper adds it later.
      expect(Date.now() - started).toBeLessThan(10_000);
      return res;
    };
    let minute = 0;
    const events: string[] = [];
    const syncProgress = async (phase: string) => {
      const batch = Array.from({ length: 3 }, () => ({
        eventId: randomUUID(),
        type: 'heartbeat',
        courseSlug: SLUG,
        lessonId,
        occurredAt: new Date(enrolledAt + 60_000 * ++minute).toISOString(),
        seconds: 60,
      }));
      const res = await call(api.url, 'POST', '/v1/progress-events', { body: { events: batch }, headers: asLearner });
      if (res.status === 200) {
        const results = (res.body as { results: Array<{ eventId: string; status: string }> }).results;
        expect([phase, results.map((r) => r.status)]).toEqual([phase, ['accepted', 'accepted', 'accepted']]);
        events.push(...batch.map((e) => e.eventId));
      } else {
        expect([phase, isUnavailableProblem(res)]).toEqual([phase, true]);
      }
      return res;
    };

    // Before: all normal.
    for (let i = 0; i < 2; i++) expect((await submitReport('before')).status).toBe(202);
    expect((await syncProgress('before')).status).toBe(200);
    expect(await waitReady(api, 10_000)).toBeGreaterThanOrEqual(0);

    // A 202, then Redis dies at once (kill -9, no persistence): the job may exist nowhere but PG.
    expect((await submitReport('just before the kill')).status).toBe(202);
    await redis.kill();
    const downSince = Date.now();
    let down = 0;
    while (Date.now() - downSince < 10_000) {
      down++;
      await submitReport('redis down');
      await syncProgress('redis down');
      const read = await call(api.url, 'GET', `/v1/courses/${SLUG}`);
      expect(read.status).toBe(200);
      const ready = await call(api.url, 'GET', '/health/ready');
      expect([ready.status, Number(ready.headers.get('retry-after')) > 0]).toEqual([503, true]);
      // Something that cannot be stored without the queue: refused, not acknowledged.
      const kpi = await call(api.url, 'POST', '/v1/kpis/snapshots', {
        body: { period: '2026-W48' },
        headers: { Authorization: `Bearer ${admin.accessToken}` },
      });
      expect(isUnavailableProblem(kpi)).toBe(true);
      await sleep(500);
    }
    await redis.start(); // back, empty: every job, schedule and lock it had is gone
    const readyMs = await waitReady(api, 30_000);

    // After: new work is taken by the same worker process (no restart).
    for (let i = 0; i < 2; i++) expect((await submitReport('after')).status).toBe(202);
    expect((await syncProgress('after')).status).toBe(200);
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
    expect(minutes.status).toBe(200);
    const total = (minutes.body as Array<{ minutes: number }>).reduce((a, m) => a + m.minutes, 0);
    expect(total).toBe(events.length);
    expect(await waitReady(api, 5_000)).toBeGreaterThanOrEqual(0);
    expect(api.alive).toBe(true);
    process.stdout.write(
      `faults RC6: ${down} rounds while Redis was down; ${accepted.length} reports 202 (${refused.length} refused 503), ` +
        `${events.length} events kept; readiness back ${readyMs} ms after Redis; all processed ${settleMs} ms after\n`,
    );
  }, 200_000);
});
