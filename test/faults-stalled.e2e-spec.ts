import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { QueueName, QueueService } from '@hocso/queue';
import { createTestApp, describeWithServices, type TestApp } from '@hocso/testing';
import { addDays, localDateOf } from '@hocso/workforce';
import { DataSource } from 'typeorm';
import {
  ApiProcess,
  Cleanup,
  call,
  expectMatchesIndependent,
  RedisServer,
  root,
  type SentSession,
  type Stack,
  stackOf,
  waitFor,
  waitSettled,
  WorkerProcess,
} from './fixtures/fault-harness';
import { createOrg, putWorkers } from './fixtures/workforce-setup';

const cliEntry = join(root, 'dist/apps/cli/src/main.js');
const run = promisify(execFile);

/**
 * RELIABILITY RC4 (issue 11 §3): a job its workers die on twice (kill -9 while it is active, BullMQ's
 * maxStalledCount 1) ends `failed` — not lost, not retried for ever — with an alert (a structured
 * `job.failed` warning and hocso_jobs_failed_total), its training report is marked failed instead of
 * staying `processing`, and an operator's re-drive (`queue:retry-failed`) finishes the report with
 * every row once. Separate api and worker processes from dist/ (build first), on a redis-server of
 * the test's own; the workers run with a 4 s lock and a 2 s stall check.
 */
describeWithServices('faults: a job stalled twice fails (alert), and a re-drive finishes it', () => {
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

  const cli = (args: string[]) =>
    run(process.execPath, [cliEntry, ...args], {
      cwd: root,
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        DATABASE_URL: stack.databaseUrl,
        REDIS_URL: stack.redisUrl,
        REDIS_PREFIX: stack.prefix,
        JWT_SECRET: stack.jwtSecret,
        LOG_LEVEL: 'warn',
      },
    }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({
        code: err.code ?? -1,
        out: `${err.stdout}${err.stderr}`,
      }),
    );

  it('kill -9 twice on one report: job failed "stalled more than allowable limit", report failed, alert; re-drive → every row once', async () => {
    const ds = t.app.get(DataSource);
    const query = (sql: string, params?: unknown[]) => ds.query(sql, params);
    const org = await createOrg(t);
    const codes = Array.from({ length: 6000 }, (_, i) => `S${String(i).padStart(4, '0')}`);
    await putWorkers(
      org,
      codes.map((workerCode) => ({ workerCode })),
    );
    const today = localDateOf(new Date());
    const sessions: SentSession[] = codes.flatMap((workerCode, i) =>
      [1, 2, 3, 4, 5].map((d) => ({
        workerCode,
        date: addDays(today, -d),
        minutes: 5 + ((i * 7 + d) % 25),
        topic: 'An toàn hoá chất',
      })),
    );
    const report = async () =>
      (
        await query(
          `SELECT status, attempts, failure_code, (SELECT count(*)::int FROM training_session s WHERE s.report_id = r.id) AS rows
           FROM training_report r WHERE id = $1`,
          [reportId],
        )
      )[0] as { status: string; attempts: number; failure_code: string | null; rows: number };

    const first = await WorkerProcess.start(cleanup, stack);
    const res = await call(api.url, 'POST', `/v1/enterprises/${org.enterpriseId}/training-reports`, {
      body: { sessions },
      headers: { 'X-Api-Key': org.key, 'Idempotency-Key': randomUUID() },
    });
    expect(res.status).toBe(202);
    const reportId = (res.body as { id: string }).id;

    // The first worker dies once a chunk is stored, the second as soon as the job is active on it
    // (ingest counts the attempt when it starts).
    await waitFor('attempt 1 stored a chunk', async () => (await report()).rows > 0, 60_000);
    await first.kill();
    const second = await WorkerProcess.start(cleanup, stack);
    await waitFor('attempt 2 started (stall 1 taken over)', async () => (await report()).attempts === 2, 60_000);
    await second.kill();
    const atKill = await report();
    expect(atKill).toMatchObject({ status: 'processing', attempts: 2 });
    expect(atKill.rows).toBeGreaterThan(0);
    expect(atKill.rows).toBeLessThan(sessions.length);

    // The third worker finds the job stalled a second time: failed for good, never run again by itself.
    const third = await WorkerProcess.start(cleanup, stack, { WF_LOG_LEVEL: 'warn' });
    const queue = t.app.get(QueueService).queue(QueueName.TrainingReports);
    await waitFor('job failed', async () => (await queue.getJob(reportId))?.finishedOn && true, 60_000);
    const job = await queue.getJob(reportId);
    expect(await job?.getState()).toBe('failed');
    expect(job?.failedReason).toMatch(/stalled more than allowable limit/);
    expect(job?.stalledCounter).toBe(2);

    // The report says failed (not `processing` for ever), through the api too.
    await waitFor('report marked failed', async () => (await report()).status === 'failed', 10_000);
    expect(await report()).toMatchObject({ status: 'failed', failure_code: 'JOB_STALLED', attempts: 2 });
    const got = await call(api.url, 'GET', `/v1/training-reports/${reportId}`, { headers: { 'X-Api-Key': org.key } });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ status: 'failed' });

    // The alert: one structured warning and the counter, labelled with the queue, job and reason.
    const alert = third.output
      .split('\n')
      .filter((l) => l.includes('"job.failed"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.jobId === reportId);
    expect(alert).toEqual([
      expect.objectContaining({
        level: 40,
        event: 'job.failed',
        queue: 'training-reports',
        name: 'process-training-report',
        jobId: reportId,
        reason: 'stalled',
      }),
    ]);
    expect(await third.metrics()).toContain(
      'hocso_jobs_failed_total{queue="training-reports",name="process-training-report",reason="stalled"} 1',
    );

    // Nothing re-runs it on its own: the sweeper leaves a failed report alone.
    await new Promise((r) => setTimeout(r, 3000));
    expect((await report()).status).toBe('failed');

    // Re-drive: the operator's command puts it back; the report is processed again, every row once.
    // Every queue: a rollup that was active on the killed workers failed the same way, and its
    // enterprise-week would otherwise stay dirty.
    expect(await cli(['queue:retry-failed', '--queue', 'no-such-queue'])).toMatchObject({ code: 2 });
    const redrive = await cli(['queue:retry-failed']);
    expect(redrive.code).toBe(0);
    expect(redrive.out).toContain(
      `retried training-reports process-training-report#${reportId} (job stalled more than allowable limit)`,
    );
    expect(redrive.out).toMatch(/re-drove \d+ job\(s\)/);
    await waitSettled(query, [reportId], 120_000);
    expect(await report()).toMatchObject({ status: 'done', failure_code: null, attempts: 3, rows: sessions.length });
    expect([await (await queue.getJob(reportId))?.getState()]).toEqual(['completed']);
    await expectMatchesIndependent(query, org.enterpriseId, sessions, codes.length);
    // Nothing failed is left to re-drive.
    expect((await cli(['queue:retry-failed'])).out).toContain('no failed jobs');
    process.stdout.write(
      `faults RC4: killed at attempt 2 with ${atKill.rows} of ${sessions.length} rows stored; failed as stalled; re-driven to done\n${redrive.out}`,
    );
  }, 300_000);
});
