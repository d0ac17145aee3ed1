import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { JobName, QueueName, QueueService } from '@hocso/queue';
import { createTestApp, describeWithServices, type TestApp } from '@hocso/testing';
import { addDays, ComplianceService, isoWeekOf, localDateOf, TrainingReportsService } from '@hocso/workforce';
import { DataSource } from 'typeorm';
import { createOrg, putWorkers, waitForJobDone, waitForReport, waitForRollups } from './fixtures/workforce-setup';

/**
 * Nothing lost, nothing counted twice (issue 5 §7; RELIABILITY RC3, RC6): a worker process killed
 * with SIGKILL in the middle of a 100,000-row report, and Redis unreachable when a report arrives.
 * These tests start their own worker processes (from dist/: build first) and their own
 * redis-server on a spare port; the shared services on 5432/6379 are never stopped.
 */
const root = join(__dirname, '..');
const workerScript = join(__dirname, 'fixtures/workforce-worker.js');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [workerScript], { cwd: root, env: { PATH: process.env.PATH, ...env } });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`worker not ready: ${out}`)), 30_000);
    child.stdout?.on('data', (d) => {
      out += d;
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr?.on('data', (d) => (out += d));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited ${code}: ${out}`));
    });
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--maxmemory-policy',
    'noeviction',
  ]);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(true)); // port taken = redis listening
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (up) return child;
    if (Date.now() > deadline) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeWithServices('workforce: a worker killed mid-report (separate worker processes)', () => {
  let t: TestApp;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    t = await createTestApp({ worker: false });
  });
  afterAll(async () => {
    for (const w of workers) await killHard(w);
    await t.close();
  });

  it('another worker finishes it: every row once, no duplicates, compliance equals a recompute', async () => {
    expect(existsSync(join(root, 'dist/apps/worker/src/start-worker.js'))).toBe(true);
    const ds = t.app.get(DataSource);
    const org = await createOrg(t);
    const codes = Array.from({ length: 20_000 }, (_, i) => `K${String(i).padStart(5, '0')}`);
    await putWorkers(
      org,
      codes.map((workerCode) => ({ workerCode })),
    );
    const today = localDateOf(new Date());
    const days = [1, 2, 3, 4, 5].map((d) => addDays(today, -d));
    const sessions = codes.flatMap((workerCode, i) =>
      days.map((date, d) => ({ workerCode, date, minutes: 5 + ((i + d) % 20), topic: `Chủ đề ${d}` })),
    );
    expect(sessions).toHaveLength(100_000);
    const env = {
      WF_DATABASE_URL: t.databaseUrl as string,
      WF_REDIS_URL: t.config.redis.url as string,
      WF_REDIS_PREFIX: t.config.redis.prefix,
    };
    const first = await startWorkerProcess(env);
    workers.push(first);
    const res = await org
      .api()
      .post(`/v1/enterprises/${org.enterpriseId}/training-reports`)
      .set('Idempotency-Key', randomUUID())
      .send({ sessions })
      .expect(202);
    const reportId = res.body.id as string;

    // Kill -9 once some chunks are committed but not all.
    const count = async () =>
      (await ds.query(`SELECT count(*)::int AS n FROM training_session WHERE report_id = $1`, [reportId]))[0]
        .n as number;
    const deadline = Date.now() + 60_000;
    let seen = 0;
    while (Date.now() < deadline) {
      seen = await count();
      if (seen > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await killHard(first);
    const atKill = await count();
    expect(seen).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(100_000);
    const [mid] = await ds.query(`SELECT status FROM training_report WHERE id = $1`, [reportId]);
    expect(mid.status).toBe('processing');

    // A new worker takes the stalled job over (after the dead worker's lock expires).
    const started = Date.now();
    workers.push(await startWorkerProcess(env));
    await waitForReport(t, reportId, 150_000);
    const recoveryMs = Date.now() - started;
    const [done] = await ds.query(
      `SELECT status, accepted_rows, rejected_rows, attempts FROM training_report WHERE id = $1`,
      [reportId],
    );
    expect(done).toMatchObject({ status: 'done', accepted_rows: 100_000, rejected_rows: 0 });
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    const [rows] = await ds.query(
      `SELECT count(*)::int AS n, count(DISTINCT (worker_id, local_date, session_key))::int AS d, sum(minutes)::int AS m
       FROM training_session WHERE enterprise_id = $1`,
      [org.enterpriseId],
    );
    expect(rows).toEqual({ n: 100_000, d: 100_000, m: sessions.reduce((a, s) => a + s.minutes, 0) });
    const job = await t.app.get(QueueService).queue(QueueName.TrainingReports).getJob(reportId);
    expect(job?.stalledCounter ?? 1).toBeGreaterThanOrEqual(1);

    // The rollups the surviving worker made equal an independent SQL recompute of the same rows.
    await waitForRollups(t, 60_000);
    const [{ weeks }] = await ds.query(`SELECT weeks FROM training_report WHERE id = $1`, [reportId]);
    const stored = await ds.query(
      `SELECT iso_week, active_workers, covered_workers FROM weekly_enterprise_compliance
       WHERE enterprise_id = $1 AND iso_week = ANY($2) ORDER BY iso_week`,
      [org.enterpriseId, weeks],
    );
    const independent = await ds.query(
      `SELECT to_char(local_date, 'IYYY-"W"IW') AS iso_week, count(DISTINCT worker_id)::int AS n,
              sum(minutes)::int AS m FROM training_session WHERE enterprise_id = $1 GROUP BY 1 ORDER BY 1`,
      [org.enterpriseId],
    );
    const perWorker = await ds.query(
      `SELECT iso_week, count(*) FILTER (WHERE m >= 60)::int AS covered FROM (
         SELECT to_char(local_date, 'IYYY-"W"IW') AS iso_week, worker_id, sum(least(d, 240)) AS m FROM (
           SELECT local_date, worker_id, sum(minutes) AS d FROM training_session WHERE enterprise_id = $1 GROUP BY 1, 2
         ) x GROUP BY 1, 2) y GROUP BY 1 ORDER BY 1`,
      [org.enterpriseId],
    );
    expect(
      stored.map((s: { iso_week: string; active_workers: number; covered_workers: number }) => [
        s.iso_week,
        s.active_workers,
        s.covered_workers,
      ]),
    ).toEqual(independent.map((w: { iso_week: string }, i: number) => [w.iso_week, 20_000, perWorker[i].covered]));
    process.stdout.write(`workforce faults: killed at ${atKill} of 100000 rows; recovered in ${recoveryMs} ms\n`);
  }, 240_000);
});

describeWithServices('workforce: Redis unreachable when a report arrives (own redis-server)', () => {
  let t: TestApp;
  let redis: ChildProcess | undefined;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    t = await createTestApp({ worker: true, env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await t.close().catch(() => undefined);
    if (redis) await killHard(redis);
  });

  it('the report is stored and answered 202; after Redis is back the sweeper queues it and it is processed', async () => {
    const ds = t.app.get(DataSource);
    const org = await createOrg(t);
    await putWorkers(org, [{ workerCode: 'R1' }]);
    const date = addDays(localDateOf(new Date()), -1);
    await killHard(redis!);
    redis = undefined;

    const started = Date.now();
    const res = await org
      .api()
      .post(`/v1/enterprises/${org.enterpriseId}/training-reports`)
      .set('Idempotency-Key', randomUUID())
      .send({ sessions: [{ workerCode: 'R1', date, minutes: 60, topic: 'Redis tắt' }] });
    expect(res.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(10_000);
    const [stored] = await ds.query(`SELECT status, enqueued_at, payload FROM training_report WHERE id = $1`, [
      res.body.id,
    ]);
    expect(stored.status).toBe('received');
    expect(stored.enqueued_at).toBeNull();
    expect(JSON.parse(stored.payload)).toHaveLength(1);
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(503);

    redis = await startRedis(port); // a fresh, empty Redis: every job and schedule it had is gone
    const sweep = t.app.get(TrainingReportsService);
    const deadline = Date.now() + 60_000;
    let requeued = 0;
    while (requeued === 0 && Date.now() < deadline) {
      requeued = (await sweep.sweep(0).catch(() => ({ requeued: 0 }))).requeued;
      if (requeued === 0) await new Promise((r) => setTimeout(r, 500));
    }
    expect(requeued).toBe(1);
    await waitForReport(t, res.body.id, 90_000, false);
    const [done] = await ds.query(`SELECT status, accepted_rows, enqueued_at FROM training_report WHERE id = $1`, [
      res.body.id,
    ]);
    expect(done).toMatchObject({ status: 'done', accepted_rows: 1 });
    expect(done.enqueued_at).not.toBeNull();
    const week = isoWeekOf(date);
    // The roster's rollup jobs were lost with that Redis too: the compliance sweeper re-adds them
    // (it runs every minute as a job scheduler; the schedules come back when a worker starts).
    expect((await t.app.get(ComplianceService).sweep()).requeued).toBeGreaterThan(0);
    await waitForRollups(t, 60_000);
    const c = (await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance?week=${week}`).expect(200)).body;
    expect(c).toMatchObject({ activeWorkers: 1, coveredWorkers: 1 });
    // The sweeper also runs as a job on the restored queue; nothing is left to re-add.
    const job = await t.app
      .get(QueueService)
      .add(JobName.SweepTrainingReports, { olderThanSeconds: 0 }, { jobId: `sweep-${randomUUID()}` });
    expect(await waitForJobDone(t, QueueName.TrainingReports, job.id as string)).toEqual({ requeued: 0 });
  }, 180_000);
});
