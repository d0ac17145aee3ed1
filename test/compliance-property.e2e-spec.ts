import { randomUUID } from 'node:crypto';
import { createTestApp, describeWithServices, type TestApp } from '@hocso/testing';
import { addDays, ComplianceService, isoWeekOf, localDateOf, weekRange } from '@hocso/workforce';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { expectMatchesIndependent, type SentSession, waitFor } from './fixtures/fault-harness';
import { createOrg, putWorkers } from './fixtures/workforce-setup';

const ROSTER = Array.from({ length: 6 }, (_, i) => `P${i}`);
const TOPICS = ['An toàn', 'PCCC'];

/**
 * RELIABILITY RC13 (issue 11 §3, R11): the rollup runs at READ COMMITTED with an advisory lock and
 * ON CONFLICT, not SERIALIZABLE. fast-check generates rounds of reports for one enterprise-week;
 * the reports of a round go in at the same time (through the api, processed by the in-process
 * worker) while rollups of that week (`ComplianceService.recomputeEnterpriseWeek`) run
 * concurrently, and a later round corrects earlier sessions (same worker, day and topic, new
 * minutes). Whatever the interleaving, what is stored equals the serial, independent computation
 * (test/fixtures/fault-harness.ts `expectedCompliance`: each natural key once, the daily cap, the
 * 60-minute target, θ = 0.8). Reports of one round share no natural key: which of two simultaneous
 * reports of one session "wins" is not defined.
 */
describeWithServices(
  'compliance: concurrent reports, corrections and rollups equal a serial computation (property)',
  () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ worker: true });
    }, 60_000);
    afterAll(() => t?.close());

    it('holds for generated rounds of reports and corrections', async () => {
      const ds = t.app.get(DataSource);
      const query = (sql: string, params?: unknown[]) => ds.query(sql, params);
      const compliance = t.app.get(ComplianceService);
      // Last week, whole and in the past: every day is inside the report window.
      const week = isoWeekOf(addDays(localDateOf(new Date()), -7));
      const monday = weekRange(week).monday;

      const session = fc.record({
        worker: fc.integer({ min: 0, max: ROSTER.length - 1 }),
        day: fc.integer({ min: 0, max: 6 }),
        minutes: fc.integer({ min: 1, max: 200 }),
      });
      // A round: up to 3 reports; report j uses topic j of the round's permutation, so the reports
      // of a round never share a natural key; a session of a later round may correct an earlier one.
      const report = fc.uniqueArray(session, { minLength: 1, maxLength: 8, selector: (s) => `${s.worker}|${s.day}` });
      const round = fc.record({
        reports: fc.array(report, { minLength: 1, maxLength: TOPICS.length }),
        swapTopics: fc.boolean(),
        rollups: fc.integer({ min: 0, max: 3 }),
      });

      let runs = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(round, { minLength: 1, maxLength: 4 }), async (rounds) => {
          runs++;
          const org = await createOrg(t);
          await putWorkers(
            org,
            ROSTER.map((workerCode) => ({ workerCode })),
          );
          const sent: SentSession[] = [];
          for (const r of rounds) {
            const topics = r.swapTopics ? [...TOPICS].reverse() : TOPICS;
            const bodies = r.reports.map((rep, j) =>
              rep.map((s) => ({
                workerCode: ROSTER[s.worker],
                date: addDays(monday, s.day),
                minutes: s.minutes,
                topic: topics[j],
              })),
            );
            const [answers] = await Promise.all([
              Promise.all(
                bodies.map((sessions) =>
                  org
                    .api()
                    .post(`/v1/enterprises/${org.enterpriseId}/training-reports`)
                    .set('Idempotency-Key', randomUUID())
                    .send({ sessions }),
                ),
              ),
              Promise.all(
                Array.from({ length: r.rollups }, () => compliance.recomputeEnterpriseWeek(org.enterpriseId, week)),
              ),
            ]);
            expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 202));
            for (const s of bodies) sent.push(...s);
            // The next round (its corrections) is sent once this one is stored: corrections follow
            // what they correct. The rollups may still be running.
            const ids = answers.map((a) => a.body.id as string);
            await waitFor(
              'round processed',
              async () =>
                (
                  await query(`SELECT count(*)::int AS n FROM training_report WHERE id = ANY($1) AND status = 'done'`, [
                    ids,
                  ])
                )[0].n === ids.length,
              30_000,
            );
          }
          // Rollups racing the queued ones, then everything settles.
          await Promise.all(
            Array.from({ length: 3 }, () => compliance.recomputeEnterpriseWeek(org.enterpriseId, week)),
          );
          await waitFor(
            'rollups settled',
            async () =>
              (
                await query(
                  `SELECT count(*)::int AS n FROM weekly_enterprise_compliance
                 WHERE enterprise_id = $1 AND requested_seq > computed_seq`,
                  [org.enterpriseId],
                )
              )[0].n === 0,
            30_000,
          );
          await expectMatchesIndependent(query, org.enterpriseId, sent, ROSTER.length);
        }),
        { numRuns: 40, seed: Number(process.env.FC_SEED ?? 20261204), endOnFailure: true },
      );
      expect(runs).toBe(40);
    }, 120_000);

    /**
     * The report submitted last wins, whichever is processed last (training_report.seq): a
     * correction sent after a large report but processed before it (another worker slot, or the
     * large one re-driven after a failure) once lost to the older minutes.
     */
    it('a correction submitted after a large report wins even when it is processed first', async () => {
      const ds = t.app.get(DataSource);
      const org = await createOrg(t);
      const codes = Array.from({ length: 4000 }, (_, i) => `R${i}`);
      await putWorkers(
        org,
        codes.map((workerCode) => ({ workerCode })),
      );
      const today = localDateOf(new Date());
      const large = codes.flatMap((workerCode) =>
        [1, 2, 3, 4, 5].map((d) => ({ workerCode, date: addDays(today, -d), minutes: 10, topic: 'Sửa sau' })),
      );
      const corrected = { ...large[large.length - 1], minutes: 50 };
      const post = (sessions: unknown[]) =>
        org
          .api()
          .post(`/v1/enterprises/${org.enterpriseId}/training-reports`)
          .set('Idempotency-Key', randomUUID())
          .send({ sessions });
      expect((await post(large)).status).toBe(202);
      expect((await post([corrected])).status).toBe(202);
      await waitFor(
        'both reports done',
        async () =>
          (
            await ds.query(
              `SELECT count(*)::int AS n FROM training_report WHERE enterprise_id = $1 AND status = 'done'`,
              [org.enterpriseId],
            )
          )[0].n === 2,
        60_000,
      );
      const [row] = await ds.query(
        `SELECT s.minutes FROM training_session s JOIN worker w ON w.id = s.worker_id
       WHERE s.enterprise_id = $1 AND w.worker_code = $2 AND s.local_date = $3`,
        [org.enterpriseId, corrected.workerCode, corrected.date],
      );
      expect(row.minutes).toBe(50);
    }, 90_000);
  },
);
