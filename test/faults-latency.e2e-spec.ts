import { randomUUID } from 'node:crypto';
import { createTestApp, describeWithServices, type TestApp } from '@hocso/testing';
import { addDays, localDateOf } from '@hocso/workforce';
import { DataSource } from 'typeorm';
import {
  ApiProcess,
  type Answer,
  Cleanup,
  call,
  expectMatchesIndependent,
  Outcomes,
  RedisServer,
  type SentSession,
  type Stack,
  sleep,
  stackOf,
  waitReady,
  waitSettled,
  WorkerProcess,
} from './fixtures/fault-harness';
import { FaultProxy } from './fixtures/fault-proxy';
import { createOrg, type Org, putWorkers } from './fixtures/workforce-setup';

/**
 * RELIABILITY RC12 (issue 11 §3, R14): a slow and a silent network. A TCP proxy (test/fixtures/
 * fault-proxy.ts, in place of Toxiproxy) sits between the api and Redis and between the worker and
 * PostgreSQL. With 250 ms per chunk each way (≈ 500 ms a round trip) every request still succeeds
 * (or is a 503 + Retry-After) and every report is stored once. With the link silent (packets held,
 * nothing refused) the api still answers within its own timeouts — readiness 503, reports accepted
 * through the outbox — instead of hanging, and everything recovers without a restart once the
 * link forwards again. Separate api and worker processes from dist/ (build first).
 */
describeWithServices('faults: network latency and a silent link (api↔Redis, worker↔PostgreSQL)', () => {
  const cleanup = new Cleanup();
  let t: TestApp;
  let stack: Stack;
  let api: ApiProcess;
  let redisProxy: FaultProxy;
  let pgProxy: FaultProxy;
  let org: Org;
  let query: (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;
  const codes = Array.from({ length: 150 }, (_, i) => `L${String(i).padStart(3, '0')}`);
  const sent: SentSession[] = [];
  const reportIds: string[] = [];

  beforeAll(async () => {
    const redis = await RedisServer.start(cleanup);
    redisProxy = await FaultProxy.start({ host: '127.0.0.1', port: redis.port });
    cleanup.add(() => redisProxy.close());
    t = await createTestApp({ worker: false, env: { REDIS_URL: redis.url } });
    cleanup.add(() => t.close());
    const db = new URL(t.databaseUrl as string);
    pgProxy = await FaultProxy.start({ host: db.hostname, port: Number(db.port || 5432) });
    cleanup.add(() => pgProxy.close());
    stack = stackOf(t);
    // The api reaches Redis through the proxy; the worker reaches PostgreSQL through the other one.
    api = await ApiProcess.start(cleanup, { ...stack, redisUrl: redisProxy.rewrite(redis.url) });
    await WorkerProcess.start(
      cleanup,
      { ...stack, databaseUrl: pgProxy.rewrite(stack.databaseUrl) },
      { WF_CONCURRENCY: '4' },
    );
    const ds = t.app.get(DataSource);
    query = (sql, params) => ds.query(sql, params);
    org = await createOrg(t);
    await putWorkers(
      org,
      codes.map((workerCode) => ({ workerCode })),
    );
  }, 180_000);
  afterAll(() => cleanup.run(), 150_000);

  const today = localDateOf(new Date());
  /** A report of every worker on `days` days ago; a later one with the same (worker, day, topic) corrects it. */
  function report(days: number[], topic: string, shift: number): SentSession[] {
    return codes.flatMap((workerCode, i) =>
      days.map((d) => ({ workerCode, date: addDays(today, -d), minutes: 10 + ((i + d + shift) % 40), topic })),
    );
  }
  const submit = (sessions: SentSession[], key = randomUUID()) =>
    call(api.url, 'POST', `/v1/enterprises/${org.enterpriseId}/training-reports`, {
      body: { sessions },
      headers: { 'X-Api-Key': org.key, 'Idempotency-Key': key },
      timeoutMs: 30_000,
    });
  const accepted = (a: Answer, sessions: SentSession[]) => {
    if (a.status === 202) {
      const id = (a.body as { id: string }).id;
      if (!reportIds.includes(id)) reportIds.push(id);
      sent.push(...sessions);
    }
  };

  it('≈ 500 ms round trips: every request answered (202, or 503 + Retry-After), every row stored once', async () => {
    redisProxy.latencyMs = 250;
    pgProxy.latencyMs = 250;
    const outcomes = new Outcomes();
    const reports = [report([1, 2], 'Chậm 1', 0), report([2, 3], 'Chậm 2', 5), report([1, 2], 'Chậm 3', 9)];
    const keys = reports.map(() => randomUUID());
    // Each report sent twice at once with its key (a client retrying on a slow network).
    const answers = await Promise.all(reports.flatMap((r, i) => [submit(r, keys[i]), submit(r, keys[i])]));
    for (const [i, a] of answers.entries()) {
      const verdict = outcomes.record('report', a, [202, 409]);
      if (verdict === 'ok' && a.status === 202) accepted(a, reports[Math.floor(i / 2)]);
    }
    expect(outcomes.violations).toEqual([]);
    // A 409 is the key still in flight; the retry after it settles returns the same report.
    for (const [i, r] of reports.entries()) {
      const again = await submit(r, keys[i]);
      expect(again.status).toBe(202);
      accepted(again, r);
    }
    expect(reportIds).toHaveLength(reports.length);
    expect((await call(api.url, 'GET', '/health/ready')).status).toBe(200);
    await waitSettled(query, reportIds, 120_000);
    await expectMatchesIndependent(query, org.enterpriseId, sent, codes.length);
    process.stdout.write(`faults RC12 latency: ${outcomes.summary()}\n`);
  }, 180_000);

  it('api↔Redis silent: readiness 503 and reports accepted within the timeouts; all recovers when the link returns', async () => {
    redisProxy.latencyMs = 0;
    pgProxy.latencyMs = 0;
    redisProxy.hang();
    let resumed = false;
    try {
      const started = Date.now();
      const ready = await call(api.url, 'GET', '/health/ready', { timeoutMs: 10_000 });
      expect({ status: ready.status, retryAfter: Number(ready.headers.get('retry-after')) > 0 }).toEqual({
        status: 503,
        retryAfter: true,
      });
      expect(ready.body).toMatchObject({ checks: { database: { ok: true }, queue: { ok: false } } });
      // Reports are stored in PostgreSQL first (the outbox): 202 once adding the job timed out.
      const r = report([3], 'Im lặng Redis', 3);
      const a = await submit(r);
      expect(a.error).toBeUndefined();
      expect([202, 503]).toContain(a.status);
      accepted(a, r);
      expect(Date.now() - started).toBeLessThan(15_000);

      redisProxy.resume();
      resumed = true;
      await waitReady(api, 20_000);
      // The job the api gave up waiting for arrives when the link returns, or the sweeper adds it.
      await waitSettled(query, reportIds, 120_000);
      await expectMatchesIndependent(query, org.enterpriseId, sent, codes.length);
    } finally {
      if (!resumed) redisProxy.resume();
    }
  }, 180_000);

  it('worker↔PostgreSQL silent mid-work: nothing is stored twice; the worker finishes once the link returns', async () => {
    pgProxy.hang();
    let resumed = false;
    try {
      const r = report([4, 5], 'Im lặng PG', 7);
      const a = await submit(r);
      expect(a.status).toBe(202);
      accepted(a, r);
      const id = (a.body as { id: string }).id;
      await sleep(4000);
      const [stuck] = await query(`SELECT status FROM training_report WHERE id = $1`, [id]);
      expect(['received', 'processing']).toContain(stuck.status);
      pgProxy.resume();
      resumed = true;
      await waitSettled(query, reportIds, 120_000);
      await expectMatchesIndependent(query, org.enterpriseId, sent, codes.length);
      // The api never waited on the worker's link.
      expect((await call(api.url, 'GET', '/health/ready')).status).toBe(200);
    } finally {
      if (!resumed) pgProxy.resume();
    }
  }, 180_000);
});
