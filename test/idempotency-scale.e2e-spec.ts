import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createTestApp, describeWithServices, type TestApp } from '@hocso/testing';
import { addDays, localDateOf } from '@hocso/workforce';
import { DataSource } from 'typeorm';
import { waitFor } from './fixtures/fault-harness';
import { createOrg, putWorkers } from './fixtures/workforce-setup';

const REPORTS = 1000;
const REPLAYS = 10;
/** Keys in flight at once (× REPLAYS requests): enough to overlap, not so many the event loop queues them. */
const KEYS_IN_FLIGHT = 24;

/** JSON with its object keys sorted, so two answers compare by content. */
function canonical(text: string): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, x]) => [k, sort(x)]),
          )
        : v;
  return JSON.stringify(sort(JSON.parse(text)));
}

/**
 * RELIABILITY RC1 at scale (issue 11 §3, R1–R4): 1,000 small reports, each with its own
 * Idempotency-Key, each sent 10 times at once. One report per key is created; every 2xx answer for
 * a key is the first one's JSON (a replay, never a second report); a retry that finds the
 * first still in flight gets 409 + Retry-After and, retried, the same 2xx. Every session is stored
 * once: count(*) = count(DISTINCT natural key) = 1,000. In-process api and worker on real
 * PostgreSQL and Redis.
 */
describeWithServices('idempotency at scale: 1,000 reports × 10 concurrent replays', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ worker: true });
  }, 60_000);
  afterAll(() => t?.close());

  it('one report per key, identical 2xx bodies for every replay, each session stored once', async () => {
    const ds = t.app.get(DataSource);
    const org = await createOrg(t);
    const codes = Array.from({ length: 200 }, (_, i) => `I${String(i).padStart(3, '0')}`);
    await putWorkers(
      org,
      codes.map((workerCode) => ({ workerCode })),
    );
    const today = localDateOf(new Date());
    // The server supertest would listen on for each request, listening once (keep-alive fetch).
    const server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const send = async (key: string, i: number) => {
      const res = await fetch(`${base}/v1/enterprises/${org.enterpriseId}/training-reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': org.key, 'idempotency-key': key },
        body: JSON.stringify({
          sessions: [
            {
              workerCode: codes[i % codes.length],
              date: addDays(today, -(1 + Math.floor(i / codes.length))),
              minutes: 15 + (i % 30),
              topic: 'Một lần',
            },
          ],
        }),
      });
      return { statusCode: res.status, headers: res.headers, body: await res.text() };
    };

    const bodies = new Map<string, Set<string>>();
    const statuses = new Map<number, number>();
    const unexpected: string[] = [];
    let conflictsRetried = 0;
    const one = async (key: string, i: number) => {
      for (let attempt = 0; ; attempt++) {
        const res = await send(key, i);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode === 202) {
          const set = bodies.get(key) ?? new Set<string>();
          set.add(canonical(res.body));
          bodies.set(key, set);
          return;
        }
        // The first request of this key is still running: 409 + Retry-After; a client retries.
        if (res.statusCode === 409 && Number(res.headers.get('retry-after')) > 0 && attempt < 50) {
          conflictsRetried++;
          await new Promise((r) => setTimeout(r, 150));
          continue;
        }
        unexpected.push(`${res.statusCode} ${res.body.slice(0, 200)}`);
        return;
      }
    };
    let next = 0;
    const keys = Array.from({ length: REPORTS }, () => randomUUID());
    await Promise.all(
      Array.from({ length: KEYS_IN_FLIGHT }, async () => {
        for (let i = next++; i < REPORTS; i = next++) {
          await Promise.all(Array.from({ length: REPLAYS }, () => one(keys[i], i)));
        }
      }),
    );

    expect(unexpected.slice(0, 5)).toEqual([]);
    expect(bodies.size).toBe(REPORTS);
    // Every 2xx answer of a key is the first response, replayed: the same JSON (the store keeps
    // it as jsonb, so a replay's keys come back in jsonb's order, not the first answer's bytes).
    const differing = [...bodies].filter(([, set]) => set.size !== 1);
    expect(differing.slice(0, 2).map(([k, set]) => `${k}: ${[...set].join(' ≠ ')}`)).toEqual([]);
    const ids = new Set([...bodies.values()].map((set) => JSON.parse([...set][0]).id as string));
    expect(ids.size).toBe(REPORTS);
    const [reports] = await ds.query(`SELECT count(*)::int AS n FROM training_report WHERE enterprise_id = $1`, [
      org.enterpriseId,
    ]);
    expect(reports.n).toBe(REPORTS);

    await waitFor(
      'every report processed',
      async () =>
        (
          await ds.query(
            `SELECT count(*) FILTER (WHERE status = 'done')::int AS n FROM training_report WHERE enterprise_id = $1`,
            [org.enterpriseId],
          )
        )[0].n === REPORTS,
      120_000,
    );
    const [rows] = await ds.query(
      `SELECT count(*)::int AS n, count(DISTINCT (worker_id, local_date, session_key))::int AS d
       FROM training_session WHERE enterprise_id = $1`,
      [org.enterpriseId],
    );
    expect(rows).toEqual({ n: REPORTS, d: REPORTS });
    process.stdout.write(
      `idempotency RC1: ${REPORTS} keys × ${REPLAYS}; answers ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}; ${conflictsRetried} in-flight 409s retried\n`,
    );
    // (50–60 s alone; up to about twice that beside the other suites on a 2-core CI machine)
  }, 300_000);
});
