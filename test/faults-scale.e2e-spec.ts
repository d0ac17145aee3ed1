import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Role } from '@hocso/common';
import { CourseImportService } from '@hocso/courses';
import { QueueName, QueueService } from '@hocso/queue';
import { createSession, createTestApp, describeWithServices, type TestApp } from '@hocso/testing';
import { addDays, localDateOf } from '@hocso/workforce';
import { DataSource } from 'typeorm';
import {
  ApiProcess,
  Cleanup,
  call,
  expectMatchesIndependent,
  Outcomes,
  type SentSession,
  type Stack,
  stackOf,
  waitReady,
  waitSettled,
  WorkerProcess,
} from './fixtures/fault-harness';
import { createOrg, putWorkers } from './fixtures/workforce-setup';

const SLUG = 'hoc-thu-tien-do';
const FIXTURE = join(__dirname, 'fixtures/learning-content');

/**
 * RELIABILITY RC9 (issue 11 §3): two api and two worker processes (from dist/) on the same
 * database and queues. Reports for one enterprise are spread over both apis, some rows re-sent in
 * later reports, one report sent to both apis at once with the same Idempotency-Key, one progress
 * batch synced through both apis at once. The totals equal an independent computation (what one
 * process would get), no job fails (no deadlocks: the rollup is single-writer per enterprise-week),
 * and the duplicate submissions are stored once.
 */
describeWithServices('faults: two api and two worker processes on the same data', () => {
  const cleanup = new Cleanup();
  let t: TestApp;
  let stack: Stack;
  let apis: ApiProcess[];
  let workers: WorkerProcess[];

  beforeAll(async () => {
    t = await createTestApp({ worker: false });
    cleanup.add(() => t.close());
    const report = await t.app.get(CourseImportService).importDirectory(FIXTURE);
    expect(report.counts.rejected).toBe(0);
    stack = stackOf(t);
    apis = await Promise.all([ApiProcess.start(cleanup, stack), ApiProcess.start(cleanup, stack)]);
    const env = { WF_CONCURRENCY: '2', WF_LOG_LEVEL: 'warn' };
    workers = await Promise.all([WorkerProcess.start(cleanup, stack, env), WorkerProcess.start(cleanup, stack, env)]);
  }, 120_000);
  afterAll(() => cleanup.run(), 150_000);

  it('totals equal an independent computation; duplicates stored once; no failed job, no deadlock', async () => {
    const ds = t.app.get(DataSource);
    const query = (sql: string, params?: unknown[]) => ds.query(sql, params);
    const org = await createOrg(t);
    const codes = Array.from({ length: 400 }, (_, i) => `S${String(i).padStart(3, '0')}`);
    await putWorkers(
      org,
      codes.map((workerCode) => ({ workerCode })),
    );
    const outcomes = new Outcomes();
    const today = localDateOf(new Date());
    const dates = [1, 2, 3, 8].map((d) => addDays(today, -d)); // two ISO weeks at least
    const sent: SentSession[] = [];
    const accepted: string[] = [];
    const reportOf = (n: number): SentSession[] => {
      // 50 workers of their own per report, plus the first 10 rows of the report before: re-sent
      // unchanged (an HR system re-sending), so the same natural keys arrive through both apis.
      const own = codes
        .slice((n * 50) % 400, ((n * 50) % 400) + 50)
        .flatMap((workerCode, i) =>
          dates.map((date, d) => ({ workerCode, date, minutes: 10 + ((i * 7 + d + n) % 50), topic: `Đợt ${n}` })),
        );
      return n === 0 ? own : [...reportOf(n - 1).slice(0, 10), ...own];
    };
    const submit = async (n: number) => {
      const api = apis[n % 2];
      const sessions = reportOf(n);
      const a = await call(api.url, 'POST', `/v1/enterprises/${org.enterpriseId}/training-reports`, {
        body: { sessions },
        headers: { 'X-Api-Key': org.key, 'Idempotency-Key': randomUUID() },
      });
      if (outcomes.record('report', a, [202]) === 'ok') {
        accepted.push((a.body as { id: string }).id);
        sent.push(...sessions);
      }
    };
    // Four submitters, 16 reports, alternating apis.
    await Promise.all(
      [0, 1, 2, 3].map(async (k) => {
        for (let n = k; n < 16; n += 4) await submit(n);
      }),
    );

    // The same report through both apis at once, same Idempotency-Key: one report, not two.
    const key = randomUUID();
    const twin = codes
      .slice(0, 20)
      .map((workerCode) => ({ workerCode, date: dates[0], minutes: 45, topic: 'Song song' }));
    const both = await Promise.all(
      apis.map((api) =>
        call(api.url, 'POST', `/v1/enterprises/${org.enterpriseId}/training-reports`, {
          body: { sessions: twin },
          headers: { 'X-Api-Key': org.key, 'Idempotency-Key': key },
        }),
      ),
    );
    const twinIds = new Set<string>();
    for (const a of both) {
      // 202 (first or replayed), or 409 while the first is still running: never a second report.
      if (outcomes.record('same key twice', a, [202, 409]) === 'ok' && a.status === 202) {
        twinIds.add((a.body as { id: string }).id);
      }
    }
    expect(twinIds.size).toBe(1);
    accepted.push(...twinIds);
    sent.push(...twin);
    const [{ n: twinReports }] = await query(
      `SELECT count(*)::int AS n FROM training_report WHERE enterprise_id = $1 AND payload LIKE '%Song song%'`,
      [org.enterpriseId],
    );
    expect(twinReports).toBe(1);

    // One progress batch synced through both apis at once: each event stored and credited once.
    const learner = await createSession(t, { roles: [Role.Learner] });
    const asLearner = { Authorization: `Bearer ${learner.accessToken}` };
    const enrolled = await call(apis[0].url, 'POST', '/v1/enrollments', {
      body: { courseSlug: SLUG },
      headers: asLearner,
    });
    expect(enrolled.status).toBe(201);
    const outline = await call(apis[1].url, 'GET', `/v1/courses/${SLUG}`);
    const lessonId = (outline.body as { modules: Array<{ lessons: Array<{ id: string }> }> }).modules[0].lessons[0].id;
    const enrolledAt = Math.floor((Date.now() - 3600_000) / 60_000) * 60_000;
    await query(`UPDATE enrollment SET enrolled_at = $2 WHERE id = $1`, [
      (enrolled.body as { id: string }).id,
      new Date(enrolledAt),
    ]);
    const batch = Array.from({ length: 20 }, (_, i) => ({
      eventId: randomUUID(),
      type: 'heartbeat',
      courseSlug: SLUG,
      lessonId,
      occurredAt: new Date(enrolledAt + 60_000 * (i + 1)).toISOString(),
      seconds: 60,
    }));
    const synced = await Promise.all(
      apis.map((api) => call(api.url, 'POST', '/v1/progress-events', { body: { events: batch }, headers: asLearner })),
    );
    for (const a of synced) outcomes.record('progress twice', a, [200]);
    const statuses = synced.flatMap((a) =>
      (a.body as { results: Array<{ status: string }> }).results.map((r) => r.status),
    );
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(20);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(20);

    expect(outcomes.violations).toEqual([]);
    await waitSettled(query, accepted, 120_000);
    await expectMatchesIndependent(query, org.enterpriseId, sent, codes.length);
    const minutes = await call(apis[1].url, 'GET', '/v1/me/learning-minutes', { headers: asLearner });
    expect((minutes.body as Array<{ minutes: number }>).reduce((a, m) => a + m.minutes, 0)).toBe(20);
    const [{ n: events }] = await query(`SELECT count(*)::int AS n FROM progress_event WHERE user_id = $1`, [
      learner.user.id,
    ]);
    expect(events).toBe(20);

    // No job failed (a deadlock or a lost race would fail it and log the retry).
    const [{ n: reports, attempts }] = await query(
      `SELECT count(*)::int AS n, sum(attempts)::int AS attempts FROM training_report WHERE id = ANY($1)`,
      [accepted],
    );
    expect(reports).toBe(accepted.length);
    const queues = t.app.get(QueueService);
    for (const q of [QueueName.TrainingReports, QueueName.Compliance]) {
      expect([q, (await queues.queue(q).getJobCounts('failed')).failed]).toEqual([q, 0]);
    }
    for (const w of workers) expect(w.output).not.toMatch(/deadlock|failed \(attempt/i);
    for (const api of apis) {
      expect(await waitReady(api, 10_000)).toBeGreaterThanOrEqual(0);
      expect(api.alive).toBe(true);
    }
    process.stdout.write(
      `faults RC9: ${accepted.length} reports over 2 apis and 2 workers (${attempts} attempts), ${sent.length} rows sent; answers: ${outcomes.summary()}\n`,
    );
  }, 200_000);
});
