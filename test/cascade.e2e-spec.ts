import { join } from 'node:path';
import { localDate, Role } from '@hocso/common';
import { CohortFinishService } from '@hocso/cohorts';
import { CourseImportService } from '@hocso/courses';
import type { OrgUnitEntity } from '@hocso/identity';
import { LearningEventEntity, LearningEventType } from '@hocso/learning';
import { createSession, createTestApp, Factories, type Session, type TestApp } from '@hocso/testing';
import { DataSource } from 'typeorm';
import { completeCourse } from './cohort-helpers';

const FIXTURE = join(__dirname, 'fixtures/cohort-content');
const TOT_COURSE = 'tot-thu-nghiem';
const CITIZEN_COURSE = 'lop-thu-nghiem';
const DAY = 86_400_000;
const today = () => localDate(new Date());
const daysFromToday = (n: number) => localDate(new Date(Date.now() + n * DAY));

describe('the ToT cascade: qualifications, practicum, finishing, lineage, the trainer KPI', () => {
  let t: TestApp;
  let f: Factories;
  let province: OrgUnitEntity;
  let commune: OrgUnitEntity;
  let provinceAdmin: Session;

  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    f = new Factories(t);
    expect((await t.app.get(CourseImportService).importDirectory(FIXTURE)).counts.rejected).toBe(0);
    province = await f.province();
    commune = await f.commune(2);
    provinceAdmin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: province });
  });
  afterAll(() => t.close());

  const person = (unit: OrgUnitEntity = commune) => createSession(t, { roles: [Role.Learner], orgUnit: unit });

  async function openCohort(
    s: Session,
    body: Record<string, unknown>,
  ): Promise<{ id: string; body: Record<string, unknown> }> {
    const res = await s.agent.post('/v1/cohorts').send({
      title: 'Lớp thử nghiệm',
      mode: 'blended',
      startsOn: daysFromToday(-10),
      endsOn: daysFromToday(20),
      capacity: 20,
      ...body,
    });
    expect([res.status, res.body.code]).toEqual([201, undefined]);
    return { id: res.body.id, body: res.body };
  }

  /** Tries to open a small cohort (for the refusals). */
  const tryOpen = (s: Session, body: Record<string, unknown> = {}) =>
    s.agent.post('/v1/cohorts').send({
      title: 'Lớp mới',
      courseSlugs: [CITIZEN_COURSE],
      kind: 'citizen',
      mode: 'online',
      startsOn: today(),
      endsOn: daysFromToday(3),
      capacity: 5,
      ...body,
    });

  async function enrol(s: Session, cohortId: string, people: Session[]) {
    const res = await s.agent
      .post(`/v1/cohorts/${cohortId}/members`)
      .send({ members: people.map((p) => ({ fullName: p.user.fullName, email: p.user.email })) })
      .expect(200);
    expect(res.body.summary.added).toBe(people.length);
  }

  async function attend(s: Session, cohortId: string, present: Session[], absent: Session[] = []) {
    const session = await s.agent
      .post(`/v1/cohorts/${cohortId}/sessions`)
      .send({ startsAt: new Date(Date.now() - 2 * DAY).toISOString(), durationMinutes: 240 })
      .expect(201);
    await s.agent
      .put(`/v1/cohorts/${cohortId}/sessions/${session.body.id}/attendance`)
      .send({
        records: [
          ...present.map((p) => ({ userId: p.user.id, status: 'present' })),
          ...absent.map((p) => ({ userId: p.user.id, status: 'absent' })),
        ],
      })
      .expect(200);
  }

  /**
   * One ToT round: `lead` runs a ToT cohort for `trainees`; each trainee teaches a practicum cohort
   * of `taught` people, has it approved and completes the course; the lead finishes the cohort.
   */
  async function totRound(lead: Session, trainees: Session[], taught: number) {
    const tot = await openCohort(lead, { kind: 'tot', courseSlugs: [TOT_COURSE], title: 'Lớp ToT' });
    await enrol(lead, tot.id, trainees);
    await attend(lead, tot.id, trainees);
    for (const trainee of trainees) {
      const practicum = await openCohort(trainee, {
        kind: 'citizen',
        courseSlugs: [CITIZEN_COURSE],
        title: 'Lớp thực tập',
        practicumOfCohortId: tot.id,
      });
      const people = await Promise.all(Array.from({ length: taught }, () => person()));
      await enrol(trainee, practicum.id, people);
      await attend(trainee, practicum.id, people);
      await lead.agent
        .post(`/v1/cohorts/${tot.id}/members/${trainee.user.id}/practicum`)
        .send({ decision: 'approved', note: 'Dạy tốt, học viên hiểu bài.' })
        .expect(200);
      await completeCourse(t, trainee, TOT_COURSE);
    }
    const finished = await lead.agent.post(`/v1/cohorts/${tot.id}/finish`).expect(200);
    return { totId: tot.id, finished: finished.body, tot: tot.body };
  }

  it('runs master → core → community: lineage, reach, events, the KPI — and the finish rule’s edge cases', async () => {
    const master = await person(province);
    const appointed = await provinceAdmin.agent
      .post(`/v1/trainers/${master.user.id}/qualifications`)
      .send({ level: 'master', source: 'department' })
      .expect(201);
    expect(appointed.body).toMatchObject({ level: 'master', basis: 'appointment', state: 'valid', expiresOn: null });

    // Level 1 → 2: the master's ToT cohort qualifies two core trainers; a third trainee falls short.
    const [core1, core2, dropout] = await Promise.all([person(), person(), person()]);
    const tot = await openCohort(master, { kind: 'tot', courseSlugs: [TOT_COURSE], title: 'ToT đợt 1' });
    expect(tot.body).toMatchObject({ qualifiesLevel: 'core', practicumRequired: true });
    await enrol(master, tot.id, [core1, core2, dropout]);
    await attend(master, tot.id, [core1, core2], [dropout]);
    for (const trainee of [core1, core2]) {
      const practicum = await openCohort(trainee, {
        kind: 'citizen',
        courseSlugs: [CITIZEN_COURSE],
        practicumOfCohortId: tot.id,
      });
      // One practicum per trainee and ToT cohort.
      const second = await trainee.agent.post('/v1/cohorts').send({
        title: 'Lớp thực tập thứ hai',
        courseSlugs: [CITIZEN_COURSE],
        kind: 'citizen',
        mode: 'online',
        startsOn: today(),
        endsOn: daysFromToday(3),
        capacity: 5,
        practicumOfCohortId: tot.id,
      });
      expect([second.status, second.body.code]).toEqual([422, 'PRACTICUM_INVALID']);
      // Approval needs a practicum cohort with attendance recorded.
      const early = await master.agent
        .post(`/v1/cohorts/${tot.id}/members/${trainee.user.id}/practicum`)
        .send({ decision: 'approved' })
        .expect(422);
      expect(early.body.code).toBe('PRACTICUM_INVALID');
      const people = await Promise.all([person(), person()]);
      await enrol(trainee, practicum.id, people);
      await attend(trainee, practicum.id, people);
      // The supervisor (the ToT lead) can follow the practicum cohort.
      await master.agent.get(`/v1/cohorts/${practicum.id}/report`).expect(200);
      await master.agent
        .post(`/v1/cohorts/${tot.id}/members/${trainee.user.id}/practicum`)
        .send({ decision: 'approved' })
        .expect(200);
      await completeCourse(t, trainee, TOT_COURSE);
    }
    await completeCourse(t, dropout, TOT_COURSE);
    // A dropout cannot open a cohort of their own outside a practicum.
    const refused = await tryOpen(dropout);
    expect(refused.status).toBe(403);

    const finished = (await master.agent.post(`/v1/cohorts/${tot.id}/finish`).expect(200)).body;
    expect(finished.qualified).toBe(2);
    const outcome = (u: Session) => finished.members.find((m: { userId: string }) => m.userId === u.user.id);
    expect(outcome(core1)).toMatchObject({ outcome: 'passed', reasons: [] });
    expect(outcome(dropout)).toMatchObject({
      outcome: 'not_passed',
      reasons: ['ATTENDANCE_BELOW_MINIMUM', 'PRACTICUM_NOT_APPROVED'],
      qualificationId: null,
    });
    // Finishing again changes nothing.
    const again = (await master.agent.post(`/v1/cohorts/${tot.id}/finish`).expect(200)).body;
    expect(again.members).toEqual(finished.members);
    // A finished cohort takes no more attendance or members.
    await master.agent
      .post(`/v1/cohorts/${tot.id}/members`)
      .send({ members: [{ fullName: 'Người Muộn', email: 'muon@example.vn' }] })
      .expect(409);

    const profile = (await core1.agent.get(`/v1/trainers/${core1.user.id}`).expect(200)).body;
    expect(profile).toMatchObject({ level: 'core', status: 'qualified', source: 'commune' });
    expect(profile.qualifications[0]).toMatchObject({
      level: 'core',
      basis: 'tot_cohort',
      qualifiedBy: master.user.id,
      cohortId: tot.id,
      grantedOn: today(),
      expiresOn: `${Number(today().slice(0, 4)) + 3}${today().slice(4)}`,
    });
    // The event the Certification issue turns into a credential.
    const events = await t.app
      .get(DataSource)
      .getRepository(LearningEventEntity)
      .findBy({ type: LearningEventType.TrainerQualified });
    expect(events.map((e) => e.payload)).toContainEqual(
      expect.objectContaining({ userId: core1.user.id, level: 'core', cohortId: tot.id, qualifiedBy: master.user.id }),
    );

    // Level 2 → 3: core1 runs a ToT cohort of their own; its graduate is a community trainer.
    const community = await person();
    const round2 = await totRound(core1, [community], 3);
    expect(round2.tot.qualifiesLevel).toBe('community');
    expect(round2.finished.qualified).toBe(1);
    // The community trainer runs an ordinary citizen cohort of four people.
    const village = await openCohort(community, { kind: 'citizen', courseSlugs: [CITIZEN_COURSE] });
    const citizens = await Promise.all(Array.from({ length: 4 }, () => person()));
    await enrol(community, village.id, citizens);
    // …but cannot run a ToT cohort.
    const noTot = await tryOpen(community, { courseSlugs: [TOT_COURSE], kind: 'tot' });
    expect([noTot.status, noTot.body.code]).toEqual([403, 'LEVEL_CANNOT_RUN_TOT']);

    const cascade = (await master.agent.get(`/v1/trainers/${master.user.id}/cascade`).expect(200)).body;
    expect(cascade.totals).toMatchObject({ trainers: 3, byLevel: { master: 0, core: 2, community: 1 }, depth: 2 });
    expect(cascade.root).toMatchObject({ userId: master.user.id, level: 'master', reach: { people: 3, passed: 2 } });
    const c1 = cascade.root.trained.find((n: { userId: string }) => n.userId === core1.user.id);
    // core1 reached the two people of their practicum and the trainee of their own ToT cohort.
    expect(c1).toMatchObject({ level: 'core', reach: { people: 3, byKind: { citizen: 2, tot: 1 } } });
    expect(c1.trained).toMatchObject([
      { userId: community.user.id, level: 'community', reach: { people: 7, byKind: { citizen: 7 } }, trained: [] },
    ]);
    // Everyone downstream: 3 ToT trainees, 2 + 2 + 3 practicum people, 4 villagers.
    expect(cascade.totals.people).toBe(3 + 4 + 3 + 1 + 4);
    // The community trainer's cascade is visible to those up the lineage, not to a peer.
    await master.agent.get(`/v1/trainers/${community.user.id}/cascade`).expect(200);
    await core2.agent.get(`/v1/trainers/${community.user.id}`).expect(404);

    const totals = (await provinceAdmin.agent.get('/v1/trainers/totals').expect(200)).body;
    expect(totals).toMatchObject({ target: 3000, asOf: today() });
    expect(totals.byLevel.core).toBeGreaterThanOrEqual(2);
    expect(totals.byLevel.community).toBeGreaterThanOrEqual(1);
    expect(totals.bySource.commune).toBeGreaterThanOrEqual(3);
    expect(totals.byOrgUnit).toContainEqual(expect.objectContaining({ orgUnitId: commune.id }));
    expect(totals.qualified).toBe(totals.byLevel.master + totals.byLevel.core + totals.byLevel.community);
  });

  it('an expired or revoked qualification stops new cohorts; running ones continue, flagged', async () => {
    const trainer = await person();
    const q = (
      await provinceAdmin.agent
        .post(`/v1/trainers/${trainer.user.id}/qualifications`)
        .send({ level: 'core', expiresOn: daysFromToday(1) })
        .expect(201)
    ).body;
    const running = await openCohort(trainer, { kind: 'citizen', courseSlugs: [CITIZEN_COURSE] });
    const [member] = await Promise.all([person()]);
    await enrol(trainer, running.id, [member]);
    // Time passes: the qualification's date is behind us.
    await t.app
      .get(DataSource)
      .query(`UPDATE trainer_qualification SET granted_on = $2, expires_on = $3 WHERE id = $1`, [
        q.id,
        daysFromToday(-400),
        daysFromToday(-1),
      ]);
    const refused = await tryOpen(trainer);
    expect([refused.status, refused.body.code]).toEqual([403, 'NOT_QUALIFIED']);
    const view = (await trainer.agent.get(`/v1/cohorts/${running.id}`).expect(200)).body;
    expect(view.flags).toEqual(['lead_qualification_lapsed']);
    await attend(trainer, running.id, [member]);
    const profile = (await trainer.agent.get(`/v1/trainers/${trainer.user.id}`).expect(200)).body;
    expect(profile).toMatchObject({ level: null, status: 'expired', qualifications: [{ state: 'expired' }] });

    // Revocation works the same way.
    const other = await person();
    const q2 = (
      await provinceAdmin.agent.post(`/v1/trainers/${other.user.id}/qualifications`).send({ level: 'core' }).expect(201)
    ).body;
    const revoked = await provinceAdmin.agent
      .post(`/v1/trainers/${other.user.id}/qualifications/${q2.id}/revoke`)
      .send({ reason: 'Chuyển công tác' })
      .expect(200);
    expect(revoked.body).toMatchObject({ state: 'revoked', revokeReason: 'Chuyển công tác' });
    const noMore = await tryOpen(other);
    expect(noMore.status).toBe(403);
    // Bad input for appointments.
    const past = await provinceAdmin.agent
      .post(`/v1/trainers/${other.user.id}/qualifications`)
      .send({ level: 'core', expiresOn: daysFromToday(-1) })
      .expect(400);
    expect(past.body).toMatchObject({ code: 'EXPIRY_INVALID', errors: [{ field: 'expiresOn' }] });
    const level = await provinceAdmin.agent
      .post(`/v1/trainers/${other.user.id}/qualifications`)
      .send({ level: 'grand' })
      .expect(400);
    expect(level.body.errors[0].field).toBe('level');
  });

  it('the daily job starts cohorts on their start date and finishes them after their end date', async () => {
    const trainer = await person();
    await provinceAdmin.agent
      .post(`/v1/trainers/${trainer.user.id}/qualifications`)
      .send({ level: 'core' })
      .expect(201);
    const ended = await openCohort(trainer, {
      kind: 'citizen',
      courseSlugs: [CITIZEN_COURSE],
      startsOn: daysFromToday(-9),
      endsOn: daysFromToday(-1),
    });
    const starting = await openCohort(trainer, {
      kind: 'citizen',
      courseSlugs: [CITIZEN_COURSE],
      startsOn: today(),
      endsOn: daysFromToday(9),
    });
    const later = await openCohort(trainer, {
      kind: 'citizen',
      courseSlugs: [CITIZEN_COURSE],
      startsOn: daysFromToday(5),
      endsOn: daysFromToday(9),
    });
    const [learner] = await Promise.all([person()]);
    await enrol(trainer, ended.id, [learner]);
    await completeCourse(t, learner, CITIZEN_COURSE);
    const result = await t.app.get(CohortFinishService).advance(today());
    expect(result.finished).toBeGreaterThanOrEqual(1);
    const status = async (id: string) => (await trainer.agent.get(`/v1/cohorts/${id}`)).body.status;
    expect(await status(ended.id)).toBe('finished');
    expect(await status(starting.id)).toBe('running');
    expect(await status(later.id)).toBe('planned');
    const report = (await trainer.agent.get(`/v1/cohorts/${ended.id}/report`).expect(200)).body;
    // No session was held: attendance does not count against them; the course is done.
    expect(report.members[0]).toMatchObject({
      userId: learner.user.id,
      outcome: 'passed',
      attendance: { percent: null },
    });
    await trainer.agent.post(`/v1/cohorts/${ended.id}/archive`).expect(200);
    expect(await status(ended.id)).toBe('archived');
    await trainer.agent.post(`/v1/cohorts/${later.id}/archive`).expect(409);
  });
});
