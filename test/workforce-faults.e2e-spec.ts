import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { QueueName, QueueService } from '@hocso/queue';
import { createTestApp, describeWithServices, type TestApp } from '@hocso/testing';
import { addDays, localDateOf } from '@hocso/workforce';
import { DataSource } from 'typeorm';
import {
  ApiProcess,
  apiEntry,
  Cleanup,
  call,
  expectMatchesIndependent,
  jobPayloadsWithout,
  RedisServer,
  type SentSession,
  type Stack,
  stackOf,
  waitFor,
  waitReady,
  waitSettled,
  WorkerProcess,
} from './fixtures/fault-harness';
import { createOrg, putWorkers } from './fixtures/workforce-setup';

/**
 * RELIABILITY RC3 (issue 11 §3, issue 5 §7): the api and the worker as separate processes from
 * dist/ (build first) on a redis-server of the test's own; the worker is killed with SIGKILL in
 * the middle of a 100,000-row report and a new one is started. Nothing lost, nothing counted twice,
 * and the job payloads in Redis carry no personal data (RC14). The worker runs with a 4 s lock and
 * a 2 s stall check, so the take-over is quick (at BullMQ's defaults it is about 30–60 s).
 */
describeWithServices('faults: a worker killed with SIGKILL mid-report (separate api and worker processes)', () => {
  const cleanup = new Cleanup();
  let t: TestApp;
  let redis: RedisServer;
  let stack: Stack;
  let api: ApiProcess;

  beforeAll(async () => {
    redis = await RedisServer.start(cleanup);
    t = await createTestApp({ worker: false, env: { REDIS_URL: redis.url } });
    cleanup.add(() => t.close());
    stack = stackOf(t);
    api = await ApiProcess.start(cleanup, stack);
  }, 120_000);
  afterAll(() => cleanup.run(), 150_000);

  it('a new worker finishes the report: every row once, minutes and compliance equal an independent computation', async () => {
    expect(existsSync(apiEntry)).toBe(true);
    const ds = t.app.get(DataSource);
    const query = (sql: string, params?: unknown[]) => ds.query(sql, params);
    const org = await createOrg(t);
    const codes = Array.from({ length: 20_000 }, (_, i) => `K${String(i).padStart(5, '0')}`);
    const names = ['Nguyễn Thị Lụa', 'Trần Văn Hùng', 'Lê Thị Hồng Nhung'];
    await putWorkers(
      org,
      codes.map((workerCode, i) => ({ workerCode, ...(i < names.length ? { displayName: names[i] } : {}) })),
    );
    const today = localDateOf(new Date());
    const days = [1, 2, 3, 4, 5].map((d) => addDays(today, -d));
    const sessions: SentSession[] = codes.flatMap((workerCode, i) =>
      days.map((date, d) => ({ workerCode, date, minutes: 5 + ((i + d) % 20), topic: `Chủ đề ${d}` })),
    );
    expect(sessions).toHaveLength(100_000);
    const first = await WorkerProcess.start(cleanup, stack);

    const res = await call(api.url, 'POST', `/v1/enterprises/${org.enterpriseId}/training-reports`, {
      body: { sessions },
      headers: { 'X-Api-Key': org.key, 'Idempotency-Key': randomUUID() },
    });
    expect(res.status).toBe(202);
    const reportId = (res.body as { id: string }).id;

    // kill -9 once some chunks are committed but not all.
    const count = async () =>
      (await query(`SELECT count(*)::int AS n FROM training_session WHERE report_id = $1`, [reportId]))[0].n as number;
    const seen = await waitFor('first chunk committed', async () => (await count()) > 0 && true, 60_000);
    await first.kill();
    const atKill = await count();
    expect(seen).toBe(true);
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(100_000);
    const [mid] = await query(`SELECT status FROM training_report WHERE id = $1`, [reportId]);
    expect(mid.status).toBe('processing');

    // A new worker takes the stalled job over once the dead worker's lock expires.
    const started = Date.now();
    const second = await WorkerProcess.start(cleanup, stack);
    await waitSettled(query, [reportId], 120_000);
    const recoveryMs = Date.now() - started;

    const got = await call(api.url, 'GET', `/v1/training-reports/${reportId}`, { headers: { 'X-Api-Key': org.key } });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ status: 'done', acceptedRows: 100_000, rejectedRows: 0 });
    const [done] = await query(`SELECT attempts FROM training_report WHERE id = $1`, [reportId]);
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    const job = await t.app.get(QueueService).queue(QueueName.TrainingReports).getJob(reportId);
    expect(job?.stalledCounter).toBe(1);
    await expectMatchesIndependent(query, org.enterpriseId, sessions, codes.length);
    expect(await waitReady(api, 10_000)).toBeLessThan(10_000);

    // RC14: what sits in Redis are ids — no worker names, no worker codes, no topics.
    const jobs = await jobPayloadsWithout(redis.url, stack.prefix, [...names, 'K00001', 'Chủ đề']);
    expect(jobs).toBeGreaterThan(0);
    await second.kill(); // the next test starts its own
    process.stdout.write(
      `faults RC3: worker killed at ${atKill} of 100000 rows; new worker finished in ${recoveryMs} ms; ${jobs} job payloads checked for PII\n`,
    );
  }, 200_000);

  it('RC5: SIGTERM mid-report lets the worker finish its job first: done in one attempt, never stalled', async () => {
    const ds = t.app.get(DataSource);
    const query = (sql: string, params?: unknown[]) => ds.query(sql, params);
    const org = await createOrg(t);
    const codes = Array.from({ length: 5000 }, (_, i) => `G${String(i).padStart(4, '0')}`);
    await putWorkers(
      org,
      codes.map((workerCode) => ({ workerCode })),
    );
    const today = localDateOf(new Date());
    const sessions: SentSession[] = codes.flatMap((workerCode, i) =>
      [1, 2, 3, 4].map((d) => ({
        workerCode,
        date: addDays(today, -d),
        minutes: 20 + ((i + d) % 30),
        topic: 'Tắt êm',
      })),
    );
    const worker = await WorkerProcess.start(cleanup, stack);
    const res = await call(api.url, 'POST', `/v1/enterprises/${org.enterpriseId}/training-reports`, {
      body: { sessions },
      headers: { 'X-Api-Key': org.key, 'Idempotency-Key': randomUUID() },
    });
    expect(res.status).toBe(202);
    const reportId = (res.body as { id: string }).id;
    await waitFor(
      'first chunk committed',
      async () =>
        (await query(`SELECT count(*)::int AS n FROM training_session WHERE report_id = $1`, [reportId]))[0].n > 0,
      60_000,
    );
    expect(await worker.terminate()).toBe(0);
    // The process exits only after its active job is done: nothing is left for another worker.
    const [done] = await query(`SELECT status, accepted_rows, attempts FROM training_report WHERE id = $1`, [reportId]);
    expect(done).toEqual({ status: 'done', accepted_rows: 20_000, attempts: 1 });
    const job = await t.app.get(QueueService).queue(QueueName.TrainingReports).getJob(reportId);
    expect([await job?.getState(), job?.stalledCounter]).toEqual(['completed', 0]);
    // Its rollups were queued before it stopped; a worker that starts later computes them.
    await WorkerProcess.start(cleanup, stack);
    await waitSettled(query, [reportId], 60_000);
    await expectMatchesIndependent(query, org.enterpriseId, sessions, codes.length);
  }, 120_000);
});
