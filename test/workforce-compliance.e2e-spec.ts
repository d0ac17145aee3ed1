import { randomUUID } from 'node:crypto';
import { Role } from '@hocso/common';
import { JobName, QueueName, QueueService } from '@hocso/queue';
import {
  createSession,
  createTestApp,
  describeWithServices,
  Factories,
  TEST_PASSWORD,
  type TestApp,
} from '@hocso/testing';
import {
  addDays,
  ComplianceService,
  ReportIngestService,
  verifyWebhook,
  weekRange,
  type WorkerExtraMinutes,
  WorkerExtraMinutesRegistry,
  type WorkerExtraMinutesSource,
} from '@hocso/workforce';
import { DataSource } from 'typeorm';
import { startFakeSmtp, startWebhookReceiver } from './fixtures/workforce-receivers';
import {
  createOrg,
  type Org,
  pinToday,
  putWorkers,
  report,
  waitForJobDone,
  waitForReport,
  waitForRollups,
} from './fixtures/workforce-setup';

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The test double for Hocso learning / cohort minutes: a fixed table of (user, day) → minutes. */
class ExtraMinutesDouble implements WorkerExtraMinutesSource {
  readonly rows: WorkerExtraMinutes[] = [];
  calls = 0;
  async minutesFor(userIds: string[], from: string, to: string) {
    this.calls++;
    const wanted = new Set(userIds);
    return this.rows.filter((r) => wanted.has(r.userId) && r.localDate >= from && r.localDate <= to);
  }
}

interface GenWorker {
  code: string;
  activeFrom?: string;
  activeTo?: string;
  userId?: string;
}
interface GenSession {
  workerCode: string;
  date: string;
  minutes: number;
  topic: string;
}

const TODAY = '2026-03-18'; // Wednesday of 2026-W12
const WEEK = '2026-W11'; // 2026-03-09 … 2026-03-15
const CAP = 240;

describeWithServices('workforce: weekly compliance, close, reminders, webhooks (Redis)', () => {
  let t: TestApp;
  let ds: DataSource;
  let smtp: Awaited<ReturnType<typeof startFakeSmtp>>;
  const double = new ExtraMinutesDouble();

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    t = await createTestApp({
      worker: true,
      env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' },
    });
    ds = t.app.get(DataSource);
    pinToday(t, TODAY);
    t.app.get(WorkerExtraMinutesRegistry).register('test-double', double);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  /** Generates a park of enterprises with rosters, sessions and linked accounts; sends it all. */
  async function generatePark(seed: number, enterprises: number) {
    const rand = rng(seed);
    const { monday, sunday } = weekRange(WEEK);
    const days = Array.from({ length: 14 }, (_, i) => addDays(monday, i - 3)); // the week and its neighbours
    const first = await createOrg(t);
    const orgs: Org[] = [first];
    for (let i = 1; i < enterprises; i++) orgs.push(await createOrg(t, first.admin, first.parkId));
    const data = new Map<string, { workers: GenWorker[]; sessions: GenSession[] }>();
    const f = new Factories(t);
    for (const [e, org] of orgs.entries()) {
      const intensity = [1, 0.97, 0.6, 0.3, 0.95][e % 5];
      const workers: GenWorker[] = [];
      const n = 15 + Math.floor(rand() * 20);
      for (let i = 0; i < n; i++) {
        const w: GenWorker = { code: `E${e}W${String(i).padStart(3, '0')}` };
        const r = rand();
        if (r < 0.1)
          w.activeFrom = addDays(monday, 2 + Math.floor(rand() * 10)); // joins mid-week or after
        else if (r < 0.2) w.activeTo = addDays(monday, -5 + Math.floor(rand() * 10)); // left before or during
        workers.push(w);
      }
      await putWorkers(
        org,
        workers.map((w) => ({ workerCode: w.code, activeFrom: w.activeFrom, activeTo: w.activeTo })),
      );
      // Some workers linked to Hocso accounts (fixture rows), with learning minutes from the double.
      for (const w of workers.filter(() => rand() < 0.3)) {
        const user = await f.user({ roles: [Role.Learner] });
        w.userId = user.id;
        await ds.query(
          `UPDATE worker SET user_id = $1, linked_at = now() WHERE enterprise_id = $2 AND worker_code = $3`,
          [user.id, org.enterpriseId, w.code],
        );
        for (const d of days)
          if (rand() < 0.4) double.rows.push({ userId: user.id, localDate: d, minutes: 5 + Math.floor(rand() * 60) });
      }
      const sessions: GenSession[] = [];
      for (const w of workers) {
        if (rand() > intensity) continue;
        for (const d of days) {
          if ((w.activeFrom && d < w.activeFrom) || (w.activeTo && d > w.activeTo) || d > TODAY) continue;
          const k = rand();
          if (k < 0.45)
            sessions.push({ workerCode: w.code, date: d, minutes: 20 + Math.floor(rand() * 40), topic: 'Kỹ năng số' });
          if (k < 0.05)
            sessions.push({
              workerCode: w.code,
              date: d,
              minutes: 100 + Math.floor(rand() * 500),
              topic: 'Chuyên đề dài',
            });
          if (k > 0.97)
            sessions.push({ workerCode: w.code, date: d, minutes: 1 + Math.floor(rand() * 20), topic: 'AI' });
        }
      }
      data.set(org.enterpriseId, { workers, sessions });
      if (sessions.length > 0) {
        const r = await report(t, org, sessions);
        expect(r).toMatchObject({ status: 'done', acceptedRows: sessions.length, rejectedRows: 0 });
      }
    }
    expect(sunday).toBe('2026-03-15');
    return { orgs, data };
  }

  /** The same rules, computed here from the generated data alone. */
  function expected(data: { workers: GenWorker[]; sessions: GenSession[] }, theta: number) {
    const { monday, sunday } = weekRange(WEEK);
    const active = data.workers.filter(
      (w) => (!w.activeFrom || w.activeFrom <= sunday) && (!w.activeTo || w.activeTo >= monday),
    );
    const minutes = new Map<string, number>();
    let longest = 0;
    for (const w of active) {
      const perDay = new Map<string, number>();
      for (const s of data.sessions) {
        if (s.workerCode !== w.code || s.date < monday || s.date > sunday) continue;
        perDay.set(s.date, (perDay.get(s.date) ?? 0) + s.minutes);
        longest = Math.max(longest, s.minutes);
      }
      for (const x of double.rows) {
        if (x.userId !== w.userId || x.localDate < monday || x.localDate > sunday) continue;
        perDay.set(x.localDate, (perDay.get(x.localDate) ?? 0) + x.minutes);
      }
      minutes.set(
        w.code,
        [...perDay.values()].reduce((a, m) => a + Math.min(m, CAP), 0),
      );
    }
    const covered = [...minutes.values()].filter((m) => m >= 60).length;
    const coverage = active.length ? Math.round((covered / active.length) * 1e5) / 1e5 : null;
    return {
      active: active.length,
      covered,
      coverage,
      workerRule: active.length > 0 && covered / active.length >= theta,
      sessionRule: longest >= 60,
      short: [...minutes.entries()].filter(([, m]) => m < 60).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)),
    };
  }

  it('matches an independent computation on generated data, per enterprise, park and province; both rules', async () => {
    const { orgs, data } = await generatePark(20260318, 5);
    await waitForRollups(t);
    let compliantCount = 0;
    for (const org of orgs) {
      const exp = expected(data.get(org.enterpriseId)!, 0.8);
      const got = (
        await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance?week=${WEEK}&limit=1000`).expect(200)
      ).body;
      expect({
        active: got.activeWorkers,
        covered: got.coveredWorkers,
        coverage: got.coverage,
        compliant: got.compliant,
        session: got.sessionRuleMet,
      }).toEqual({
        active: exp.active,
        covered: exp.covered,
        coverage: exp.coverage,
        compliant: exp.workerRule,
        session: exp.sessionRule,
      });
      expect(
        got.shortWorkers.items.map((w: { workerCode: string; minutes: number }) => [w.workerCode, w.minutes]),
      ).toEqual(exp.short);
      if (exp.workerRule) compliantCount++;
    }
    // Both outcomes occur in the generated park, so the comparison means something.
    expect(compliantCount).toBeGreaterThan(0);
    expect(compliantCount).toBeLessThan(orgs.length);
    expect(double.calls).toBeGreaterThan(0);

    const park = (
      await orgs[0].admin.agent.get(`/v1/industrial-parks/${orgs[0].parkId}/compliance?week=${WEEK}`).expect(200)
    ).body;
    expect(park).toMatchObject({
      activeEnterprises: orgs.length,
      compliantEnterprises: compliantCount,
      share: Math.round((compliantCount / orgs.length) * 1e5) / 1e5,
      targetMet: compliantCount / orgs.length > 0.8,
    });
    expect(park.enterprises.filter((e: { compliant: boolean }) => e.compliant)).toHaveLength(compliantCount);
    const province = (await orgs[0].admin.agent.get(`/v1/workforce/compliance?week=${WEEK}`).expect(200)).body;
    const mine = province.parks.find((p: { industrialParkId: string }) => p.industrialParkId === orgs[0].parkId);
    expect(mine).toMatchObject({ activeEnterprises: orgs.length, compliantEnterprises: compliantCount });
    // The province total is the sum of its parks.
    const totals = province.parks.reduce(
      (a: { n: number; c: number }, p: { activeEnterprises: number; compliantEnterprises: number }) => ({
        n: a.n + p.activeEnterprises,
        c: a.c + p.compliantEnterprises,
      }),
      { n: 0, c: 0 },
    );
    expect(province.total).toMatchObject({ activeEnterprises: totals.n, compliantEnterprises: totals.c });

    // The other reading of the target ("a 60-minute session a week") and another θ, chosen by a setting.
    const admin = orgs[0].admin;
    await admin.agent.put('/v1/workforce/settings').send({ complianceRule: 'weekly_session' }).expect(200);
    await waitForRollups(t);
    for (const org of orgs) {
      const exp = expected(data.get(org.enterpriseId)!, 0.8);
      const got = (await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance?week=${WEEK}`).expect(200)).body;
      expect([got.rule, got.compliant]).toEqual(['weekly_session', exp.sessionRule]);
    }
    await admin.agent
      .put('/v1/workforce/settings')
      .send({ complianceRule: 'worker_coverage', coverageThreshold: 0.5 })
      .expect(200);
    await waitForRollups(t);
    for (const org of orgs) {
      const exp = expected(data.get(org.enterpriseId)!, 0.5);
      const got = (await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance?week=${WEEK}`).expect(200)).body;
      expect([got.threshold, got.compliant]).toEqual([0.5, exp.workerRule]);
    }
    await admin.agent.put('/v1/workforce/settings').send({ coverageThreshold: 0.8 }).expect(200);
    await waitForRollups(t);
    const learner = await createSession(t, { roles: [Role.Learner] });
    await learner.agent.put('/v1/workforce/settings').send({ coverageThreshold: 0.1 }).expect(403);
  });

  it('linked learning minutes count, capped per day with the reported ones; a change triggers a recompute', async () => {
    const org = await createOrg(t);
    await putWorkers(org, [{ workerCode: 'L1' }, { workerCode: 'L2' }]);
    // The worker links their own account by accepting the enterprise's invitation.
    const inv = await org.api().post(`/v1/enterprises/${org.enterpriseId}/workers/l1/invitations`).expect(201);
    const user = await createSession(t, { roles: [Role.Learner] });
    await user.agent.post('/v1/worker-invitations/accept').send({ token: inv.body.token }).expect(200);
    await user.agent.post('/v1/worker-invitations/accept').send({ token: inv.body.token }).expect(422);
    await org.api().post(`/v1/enterprises/${org.enterpriseId}/workers/L1/invitations`).expect(409);
    await report(t, org, [{ workerCode: 'L1', date: '2026-03-10', minutes: 200, topic: 'Dài' }]);
    double.rows.push({ userId: user.user.id, localDate: '2026-03-10', minutes: 100 }); // same day: capped at 240
    double.rows.push({ userId: user.user.id, localDate: '2026-03-11', minutes: 25 });
    const q = await t.app.get(ComplianceService).recomputeForUser(user.user.id, ['2026-03-10', '2026-03-11']);
    expect(q.queued).toBe(1);
    await waitForRollups(t);
    const c = (await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance?week=${WEEK}`).expect(200)).body;
    const l1 = await ds.query(
      `SELECT m.reported_minutes, m.extra_minutes, m.minutes FROM weekly_worker_minutes m JOIN worker w ON w.id = m.worker_id
       WHERE w.enterprise_id = $1 AND w.worker_code = 'L1' AND m.iso_week = $2`,
      [org.enterpriseId, WEEK],
    );
    expect(l1[0]).toEqual({ reported_minutes: 200, extra_minutes: 125, minutes: 265 }); // min(300, 240) + 25
    expect(c).toMatchObject({ activeWorkers: 2, coveredWorkers: 1 });
    // The same through the queue (what Learning will add after its write commits).
    double.rows.push({ userId: user.user.id, localDate: '2026-03-12', minutes: 10 });
    await t.app
      .get(QueueService)
      .add(JobName.WorkerMinutesChanged, { userId: user.user.id, localDates: ['2026-03-12'] }, { jobId: randomUUID() });
    await new Promise((r) => setTimeout(r, 300));
    await waitForRollups(t);
    const [after] = await ds.query(
      `SELECT m.minutes FROM weekly_worker_minutes m JOIN worker w ON w.id = m.worker_id
       WHERE w.enterprise_id = $1 AND w.worker_code = 'L1' AND m.iso_week = $2`,
      [org.enterpriseId, WEEK],
    );
    expect(after.minutes).toBe(275);

    // The account's data rights: export shows the link, erasure unlinks and clears the roster name.
    const exported = (await user.agent.get('/v1/me/export').expect(200)).body;
    expect(exported.workforce).toEqual([
      expect.objectContaining({
        enterpriseId: org.enterpriseId,
        workerCode: 'L1',
        weeks: expect.arrayContaining([expect.objectContaining({ isoWeek: WEEK })]),
      }),
    ]);
    await user.agent.delete('/v1/me').send({ password: TEST_PASSWORD }).expect(204);
    const [w] = await ds.query(
      `SELECT user_id, display_name FROM worker WHERE enterprise_id = $1 AND worker_code = 'L1'`,
      [org.enterpriseId],
    );
    expect(w).toEqual({ user_id: null, display_name: null });
  });

  it('two workers on one report, and concurrent rollups, never double-count', async () => {
    const org = await createOrg(t);
    await putWorkers(
      org,
      Array.from({ length: 50 }, (_, i) => ({ workerCode: `C${i}` })),
    );
    const sessions = Array.from({ length: 50 }, (_, i) => ({
      workerCode: `C${i}`,
      date: '2026-03-10',
      minutes: 30 + i,
      topic: 'T',
    }));
    const res = await org
      .api()
      .post(`/v1/enterprises/${org.enterpriseId}/training-reports`)
      .set('Idempotency-Key', randomUUID())
      .send({ sessions })
      .expect(202);
    // The queue's worker plus two more processors on the same report, at once.
    const ingest = t.app.get(ReportIngestService);
    await Promise.all([ingest.process(res.body.id), ingest.process(res.body.id)]);
    await waitForReport(t, res.body.id);
    const [s] = await ds.query(
      `SELECT count(*)::int AS n, sum(minutes)::int AS m FROM training_session WHERE enterprise_id = $1`,
      [org.enterpriseId],
    );
    expect(s).toEqual({ n: 50, m: sessions.reduce((a, x) => a + x.minutes, 0) });
    // RC10: BullMQ forgets a job id once the job is removed, so the same report's job can be queued
    // and run again — the database (report status, unique keys) must absorb it.
    const queues = t.app.get(QueueService);
    const trainingReports = queues.queue(QueueName.TrainingReports);
    await (await trainingReports.getJob(res.body.id))?.remove();
    expect(await trainingReports.getJob(res.body.id)).toBeUndefined();
    await queues.add(JobName.ProcessTrainingReport, { reportId: res.body.id }, { jobId: res.body.id });
    await waitForJobDone(t, QueueName.TrainingReports, res.body.id);
    const [again] = await ds.query(
      `SELECT count(*)::int AS n, sum(minutes)::int AS m FROM training_session WHERE enterprise_id = $1`,
      [org.enterpriseId],
    );
    expect(again).toEqual(s);
    const compliance = t.app.get(ComplianceService);
    const serial = await compliance.recomputeEnterpriseWeek(org.enterpriseId, WEEK);
    const parallel = await Promise.all(
      Array.from({ length: 6 }, () => compliance.recomputeEnterpriseWeek(org.enterpriseId, WEEK)),
    );
    for (const p of parallel) expect({ ...p, rounds: 1 }).toEqual({ ...serial, rounds: 1 });
    expect(serial).toMatchObject({ activeWorkers: 50, coveredWorkers: 20 }); // 30+i ≥ 60 for i ≥ 30
    const [m] = await ds.query(
      `SELECT count(*)::int AS n FROM weekly_worker_minutes WHERE enterprise_id = $1 AND iso_week = $2`,
      [org.enterpriseId, WEEK],
    );
    expect(m.n).toBe(50);
  });

  it('a poison job (its report does not exist) fails at once, without retries, and the queue keeps draining', async () => {
    const queues = t.app.get(QueueService);
    const trainingReports = queues.queue(QueueName.TrainingReports);
    const ghost = randomUUID();
    await queues.add(
      JobName.ProcessTrainingReport,
      { reportId: ghost },
      { jobId: ghost, attempts: 5, backoff: { type: 'fixed', delay: 50 } },
    );
    await expect(waitForJobDone(t, QueueName.TrainingReports, ghost)).rejects.toThrow(/REPORT_NOT_FOUND/);
    const failed = await trainingReports.getJob(ghost);
    expect(failed?.attemptsMade).toBe(1);
    // A good report queued after it is processed as usual.
    const org = await createOrg(t);
    await putWorkers(org, [{ workerCode: 'P1' }]);
    const res = await org
      .api()
      .post(`/v1/enterprises/${org.enterpriseId}/training-reports`)
      .set('Idempotency-Key', randomUUID())
      .send({ sessions: [{ workerCode: 'P1', date: '2026-03-10', minutes: 60, topic: 'T' }] })
      .expect(202);
    await waitForReport(t, res.body.id);
    const [row] = await ds.query(`SELECT count(*)::int AS n FROM training_session WHERE enterprise_id = $1`, [
      org.enterpriseId,
    ]);
    expect(row.n).toBe(1);
  });

  it('weekly close: snapshot, e-mail and signed webhook reminders (retried), idempotent; a late report reopens the week', async () => {
    const hook = await startWebhookReceiver(1);
    try {
      const good = await createOrg(t);
      const bad = await createOrg(t, good.admin, good.parkId);
      await putWorkers(good, [{ workerCode: 'G1' }]);
      await putWorkers(bad, [{ workerCode: 'B1' }, { workerCode: 'B2' }]);
      const badUnit = (await ds.query(`SELECT * FROM org_unit WHERE id = $1`, [bad.enterpriseId]))[0];
      const manager = await new Factories(t).user({
        roles: [Role.EnterpriseManager],
        orgUnit: badUnit,
        email: `qlns-${randomUUID().slice(0, 6)}@dn.vn`,
      });
      const wh = await bad.api().put(`/v1/enterprises/${bad.enterpriseId}/webhook`).send({ url: hook.url }).expect(200);
      expect(wh.body.secret).toMatch(/^whsec_/);
      await report(t, good, [{ workerCode: 'G1', date: '2026-03-09', minutes: 60, topic: 'A' }]);
      const badReport = await report(t, bad, [{ workerCode: 'B1', date: '2026-03-09', minutes: 60, topic: 'A' }]);

      // The report.processed webhook arrived, signed.
      const deadline = Date.now() + 20_000;
      while (
        !hook.received.some((r) => r.status === 204 && r.headers['hocso-event'] === 'report.processed') &&
        Date.now() < deadline
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const processed = hook.received.filter((r) => r.headers['hocso-event'] === 'report.processed');
      expect(processed.map((r) => r.status)).toEqual([500, 204]); // first attempt failed, retried with backoff
      expect(JSON.parse(processed[1].body)).toMatchObject({
        event: 'report.processed',
        reportId: badReport.id,
        acceptedRows: 1,
      });
      expect(verifyWebhook(wh.body.secret, processed[1].body, String(processed[1].headers['hocso-signature']))).toBe(
        true,
      );
      expect(verifyWebhook('whsec_other', processed[1].body, String(processed[1].headers['hocso-signature']))).toBe(
        false,
      );

      const queues = t.app.get(QueueService);
      const job = await queues.add(JobName.CloseComplianceWeek, {}, { jobId: `close-${randomUUID()}` });
      const closed = await waitForJobDone(t, QueueName.WeeklyClose, job.id as string);
      expect(closed).toMatchObject({ isoWeek: WEEK }); // the week before "today"
      const [week] = await ds.query(
        `SELECT status, enterprises, compliant_enterprises, audit FROM compliance_week WHERE iso_week = $1`,
        [WEEK],
      );
      expect(week.status).toBe('closed');
      const snap = await ds.query(
        `SELECT enterprise_id, compliant, coverage FROM compliance_snapshot WHERE iso_week = $1 AND enterprise_id = ANY($2)`,
        [WEEK, [good.enterpriseId, bad.enterpriseId]],
      );
      expect(
        Object.fromEntries(
          snap.map((r: { enterprise_id: string; compliant: boolean }) => [r.enterprise_id, r.compliant]),
        ),
      ).toEqual({
        [good.enterpriseId]: true,
        [bad.enterpriseId]: false,
      });

      // The reminder e-mail reached the enterprise manager; the reminder webhook too.
      const until = Date.now() + 20_000;
      const mailFor = () => smtp.messages.filter((m) => m.to.includes(manager.email as string));
      while (
        (mailFor().length === 0 || !hook.received.some((r) => r.headers['hocso-event'] === 'compliance.reminder')) &&
        Date.now() < until
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(mailFor()).toHaveLength(1);
      expect(mailFor()[0].data).toMatch(/Subject: =\?UTF-8\?|Subject: \[H/);
      const reminder = hook.received.find((r) => r.headers['hocso-event'] === 'compliance.reminder')!;
      expect(JSON.parse(reminder.body)).toMatchObject({
        enterpriseId: bad.enterpriseId,
        isoWeek: WEEK,
        coveredWorkers: 1,
        activeWorkers: 2,
      });
      const notes = await ds.query(
        `SELECT channel, status FROM workforce_notification WHERE enterprise_id = $1 AND event = 'compliance.reminder' ORDER BY channel`,
        [bad.enterpriseId],
      );
      expect(notes).toEqual([
        { channel: 'email', status: 'sent' },
        { channel: 'webhook', status: 'sent' },
      ]);
      expect(
        await ds.query(
          `SELECT 1 FROM workforce_notification WHERE enterprise_id = $1 AND event = 'compliance.reminder'`,
          [good.enterpriseId],
        ),
      ).toEqual([]);

      // Idempotent per week: closing again sends nothing new.
      const again = await t.app
        .get(QueueService)
        .add(JobName.CloseComplianceWeek, { isoWeek: WEEK }, { jobId: `close-${randomUUID()}` });
      await waitForJobDone(t, QueueName.WeeklyClose, again.id as string);
      expect(
        await ds.query(
          `SELECT count(*)::int AS n FROM workforce_notification WHERE enterprise_id = $1 AND event = 'compliance.reminder'`,
          [bad.enterpriseId],
        ),
      ).toEqual([{ n: 2 }]);

      // A late report for the closed week is accepted and reopens it, with an audit note.
      await report(t, bad, [{ workerCode: 'B2', date: '2026-03-14', minutes: 90, topic: 'Bù' }]);
      await waitForRollups(t);
      const [reopened] = await ds.query(`SELECT status, audit FROM compliance_week WHERE iso_week = $1`, [WEEK]);
      expect(reopened.status).toBe('reopened');
      expect(reopened.audit).toContainEqual(
        expect.objectContaining({
          event: 'reopened',
          enterpriseId: bad.enterpriseId,
          before: { compliant: false, coverage: 0.5 },
          after: { compliant: true, coverage: 1 },
        }),
      );
      const view = (await bad.api().get(`/v1/enterprises/${bad.enterpriseId}/compliance?week=${WEEK}`).expect(200))
        .body;
      expect(view).toMatchObject({ compliant: true, weekStatus: { status: 'reopened' } });
      // The next close freezes it again.
      const reclose = await t.app
        .get(QueueService)
        .add(JobName.CloseComplianceWeek, {}, { jobId: `close-${randomUUID()}` });
      await waitForJobDone(t, QueueName.WeeklyClose, reclose.id as string);
      const [refrozen] = await ds.query(`SELECT status, audit FROM compliance_week WHERE iso_week = $1`, [WEEK]);
      expect(refrozen.status).toBe('closed');
      expect(refrozen.audit.map((n: { event: string }) => n.event)).toEqual(
        expect.arrayContaining(['closed', 'reopened', 're-closed']),
      );
      const [s2] = await ds.query(
        `SELECT compliant FROM compliance_snapshot WHERE iso_week = $1 AND enterprise_id = $2`,
        [WEEK, bad.enterpriseId],
      );
      expect(s2.compliant).toBe(true);
    } finally {
      await hook.close();
    }
  });

  it('trends and CSV exports (UTF-8 BOM) for enterprise, park and province', async () => {
    const org = await createOrg(t);
    await putWorkers(org, [{ workerCode: 'T1', displayName: 'Nguyễn Văn "An", tổ 1' }, { workerCode: 'T2' }]);
    await report(t, org, [
      { workerCode: 'T1', date: '2026-03-02', minutes: 60, topic: 'A' },
      { workerCode: 'T1', date: '2026-03-10', minutes: 60, topic: 'A' },
      { workerCode: 'T2', date: '2026-03-10', minutes: 60, topic: 'A' },
    ]);
    const trend = (
      await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance/trend?from=2026-W09&to=2026-W11`).expect(200)
    ).body;
    expect(
      trend.map((p: { isoWeek: string; coveredWorkers: number; compliant: boolean }) => [
        p.isoWeek,
        p.coveredWorkers,
        p.compliant,
      ]),
    ).toEqual([
      ['2026-W09', 0, false],
      ['2026-W10', 1, false],
      ['2026-W11', 2, true],
    ]);
    const csv = await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance.csv?week=2026-W10`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    expect(csv.text.slice(1).split('\r\n')).toEqual([
      'iso_week,worker_code,display_name,minutes,reported_minutes,hocso_minutes,covered',
      '2026-W10,T2,,0,0,0,false',
      '2026-W10,T1,"Nguyễn Văn ""An"", tổ 1",60,60,0,true',
      '',
    ]);
    const tcsv = await org
      .api()
      .get(`/v1/enterprises/${org.enterpriseId}/compliance/trend.csv?from=2026-W10&to=2026-W11`)
      .expect(200);
    expect(tcsv.text).toContain('2026-W11,2026-03-09,2,2,1,true');
    const parkCsv = await org.admin.agent
      .get(`/v1/industrial-parks/${org.parkId}/compliance.csv?week=2026-W11`)
      .expect(200);
    expect(parkCsv.text).toContain(`2026-W11,${org.enterpriseId},`);
    const parkTrend = (
      await org.admin.agent
        .get(`/v1/industrial-parks/${org.parkId}/compliance/trend?from=2026-W10&to=2026-W11`)
        .expect(200)
    ).body;
    expect(parkTrend.map((p: { compliantEnterprises: number }) => p.compliantEnterprises)).toEqual([0, 1]);
    await org.admin.agent.get('/v1/workforce/compliance.csv?week=2026-W11').expect(200);
    const provTrend = await org.admin.agent
      .get('/v1/workforce/compliance/trend.csv?from=2026-W10&to=2026-W11')
      .expect(200);
    expect(provTrend.text.split('\r\n')[0]).toBe(
      '\ufeffiso_week,week_start,active_enterprises,compliant_enterprises,share,target_met',
    );
    await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance/trend?from=2026-W11&to=2026-W09`).expect(400);
    await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance/trend?from=2025-W01&to=2026-W11`).expect(400);
  });

  it('the weekly close is scheduled Monday 00:10 in Vietnam time; webhooks to private networks are refused by default', async () => {
    const schedulers = await t.app.get(QueueService).queue(QueueName.WeeklyClose).getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toContainEqual([
      'weekly-close',
      '10 0 * * 1',
      'Asia/Ho_Chi_Minh',
    ]);
    // Last in this block: a second app re-registers the passport strategies (process-wide).
    const strict = await createTestApp({});
    try {
      const org = await createOrg(strict);
      const res = await org
        .api()
        .put(`/v1/enterprises/${org.enterpriseId}/webhook`)
        .send({ url: 'http://127.0.0.1:9/x' })
        .expect(422);
      expect(res.body.code).toBe('WEBHOOK_URL_NOT_ALLOWED');
      await org.api().put(`/v1/enterprises/${org.enterpriseId}/webhook`).send({ url: 'http://10.1.2.3/x' }).expect(422);
      await org
        .api()
        .put(`/v1/enterprises/${org.enterpriseId}/webhook`)
        .send({ url: 'ftp://example.vn/x' })
        .expect(422);
      await org
        .api()
        .put(`/v1/enterprises/${org.enterpriseId}/webhook`)
        .send({ url: 'https://hr.example.vn/hook' })
        .expect(200);
    } finally {
      await strict.close();
    }
  });
});

describeWithServices('workforce on the PostgreSQL queue backend', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ worker: true, mode: 'postgres-queue' });
    pinToday(t, TODAY);
  });
  afterAll(() => t.close());

  it('a report is processed and rolled up the same way', async () => {
    expect(t.app.get(QueueService).backendKind).toBe('postgres');
    const org = await createOrg(t);
    await putWorkers(org, [{ workerCode: 'P1' }, { workerCode: 'P2' }]);
    const body = await report(t, org, [
      { workerCode: 'P1', date: '2026-03-10', minutes: 45, topic: 'A' },
      { workerCode: 'P1', date: '2026-03-11', minutes: 15, topic: 'A' },
      { workerCode: 'P2', date: '2026-03-11', minutes: 59, topic: 'A' },
    ]);
    expect(body).toMatchObject({ status: 'done', acceptedRows: 3 });
    const c = (await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance?week=${WEEK}`).expect(200)).body;
    expect(c).toMatchObject({ activeWorkers: 2, coveredWorkers: 1, coverage: 0.5, upToDate: true });
  });
});
