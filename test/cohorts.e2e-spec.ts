import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { localDate, Role } from '@hocso/common';
import { AttendanceMinutesService } from '@hocso/cohorts';
import { CourseImportService } from '@hocso/courses';
import { DevMessageOutbox, type OrgUnitEntity } from '@hocso/identity';
import { createSession, Factories, type Session, type TestApp, createTestApp } from '@hocso/testing';
import { WorkerExtraMinutesRegistry } from '@hocso/workforce';
import { DataSource } from 'typeorm';
import { completeCourse, waitFor } from './cohort-helpers';

const FIXTURE = join(__dirname, 'fixtures/cohort-content');
const CITIZEN_COURSE = 'lop-thu-nghiem';
const DAY = 86_400_000;
const today = () => localDate(new Date());
const daysFromToday = (n: number) => localDate(new Date(Date.now() + n * DAY));

describe('cohorts: roster, waitlist, sessions, attendance, reports, authorization', () => {
  let t: TestApp;
  let f: Factories;
  let province: OrgUnitEntity;
  let commune: OrgUnitEntity;
  let otherCommune: OrgUnitEntity;
  let provinceAdmin: Session;
  let trainer: Session;

  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    f = new Factories(t);
    const report = await t.app.get(CourseImportService).importDirectory(FIXTURE);
    expect(report.counts.rejected).toBe(0);
    province = await f.province();
    commune = await f.commune(0);
    otherCommune = await f.commune(1);
    provinceAdmin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: province });
    trainer = await qualifiedTrainer('core', commune);
  });
  afterAll(() => t.close());

  async function qualifiedTrainer(level: 'master' | 'core' | 'community', unit: OrgUnitEntity): Promise<Session> {
    const s = await createSession(t, { roles: [Role.Learner], orgUnit: unit });
    await provinceAdmin.agent.post(`/v1/trainers/${s.user.id}/qualifications`).send({ level }).expect(201);
    return s;
  }

  async function cohort(s: Session, body: Record<string, unknown> = {}): Promise<string> {
    const res = await s.agent.post('/v1/cohorts').send({
      title: 'Lớp Bình dân học vụ số — xóm Đồng Tâm',
      courseSlugs: [CITIZEN_COURSE],
      kind: 'citizen',
      mode: 'in_person',
      startsOn: daysFromToday(-5),
      endsOn: daysFromToday(30),
      capacity: 30,
      location: 'Nhà văn hóa xóm Đồng Tâm',
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const learners = (n: number) =>
    Promise.all(Array.from({ length: n }, () => createSession(t, { roles: [Role.Learner], orgUnit: commune })));

  async function addMembers(s: Session, cohortId: string, users: Session[]) {
    const res = await s.agent
      .post(`/v1/cohorts/${cohortId}/members`)
      .send({ members: users.map((u) => ({ fullName: u.user.fullName, email: u.user.email })) })
      .expect(200);
    return res.body;
  }

  describe('creating cohorts', () => {
    it('a qualified trainer opens a cohort; it starts planned, enrolment is by its courses', async () => {
      const id = await cohort(trainer);
      const res = await trainer.agent.get(`/v1/cohorts/${id}`).expect(200);
      expect(res.body).toMatchObject({
        status: 'planned',
        kind: 'citizen',
        mode: 'in_person',
        capacity: 30,
        orgUnitId: commune.id,
        leadTrainer: { userId: trainer.user.id },
        courses: [{ slug: CITIZEN_COURSE }],
        members: { active: 0, waitlisted: 0, sessions: 0 },
        myRole: 'lead',
        flags: [],
        minAttendancePercent: 80,
      });
    });

    it('refuses people without a valid qualification, unknown courses and backwards dates — naming the field', async () => {
      const nobody = await createSession(t, { roles: [Role.Learner], orgUnit: commune });
      const res = await nobody.agent
        .post('/v1/cohorts')
        .send({
          title: 'Lớp không có giảng viên',
          courseSlugs: [CITIZEN_COURSE],
          kind: 'citizen',
          mode: 'online',
          startsOn: today(),
          endsOn: daysFromToday(10),
          capacity: 10,
        })
        .expect(403);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'NOT_QUALIFIED', errors: [{ field: 'leadTrainerId' }] });

      const base = {
        title: 'Lớp thử',
        courseSlugs: [CITIZEN_COURSE],
        kind: 'citizen',
        mode: 'online',
        startsOn: today(),
        endsOn: daysFromToday(10),
        capacity: 10,
      };
      const unknown = await trainer.agent
        .post('/v1/cohorts')
        .send({ ...base, courseSlugs: [CITIZEN_COURSE, 'khong-ton-tai'] })
        .expect(422);
      expect(unknown.body).toMatchObject({ code: 'COURSE_NOT_AVAILABLE', errors: [{ field: 'courseSlugs.1' }] });
      const backwards = await trainer.agent
        .post('/v1/cohorts')
        .send({ ...base, endsOn: daysFromToday(-1) })
        .expect(400);
      expect(backwards.body).toMatchObject({ code: 'DATES_INVALID', errors: [{ field: 'endsOn' }] });
      const badDate = await trainer.agent
        .post('/v1/cohorts')
        .send({ ...base, startsOn: '2026-02-30' })
        .expect(400);
      expect(JSON.stringify(badDate.body)).toContain('startsOn');
      const badCapacity = await trainer.agent
        .post('/v1/cohorts')
        .send({ ...base, capacity: 0 })
        .expect(400);
      expect(JSON.stringify(badCapacity.body)).toContain('capacity');
      const badKind = await trainer.agent
        .post('/v1/cohorts')
        .send({ ...base, kind: 'students' })
        .expect(400);
      expect(JSON.stringify(badKind.body)).toContain('kind');
    });

    it('a community trainer cannot open a ToT cohort; an admin opens one for a trainer inside their units only', async () => {
      const community = await qualifiedTrainer('community', commune);
      const res = await community.agent
        .post('/v1/cohorts')
        .send({
          title: 'Lớp ToT',
          courseSlugs: [CITIZEN_COURSE],
          kind: 'tot',
          mode: 'blended',
          startsOn: today(),
          endsOn: daysFromToday(5),
          capacity: 10,
        })
        .expect(403);
      expect(res.body.code).toBe('LEVEL_CANNOT_RUN_TOT');

      const orgAdmin = await createSession(t, { roles: [Role.OrgAdmin], orgUnit: commune });
      const forTrainer = await cohort(orgAdmin, { leadTrainerId: community.user.id, orgUnitId: commune.id });
      const seen = await community.agent.get(`/v1/cohorts/${forTrainer}`).expect(200);
      expect(seen.body.myRole).toBe('lead');
      const outside = await orgAdmin.agent
        .post('/v1/cohorts')
        .send({
          title: 'Lớp ngoài phạm vi',
          courseSlugs: [CITIZEN_COURSE],
          kind: 'citizen',
          mode: 'online',
          startsOn: today(),
          endsOn: daysFromToday(5),
          capacity: 10,
          leadTrainerId: community.user.id,
          orgUnitId: otherCommune.id,
        })
        .expect(403);
      expect(outside.body).toMatchObject({ code: 'OUT_OF_SCOPE', errors: [{ field: 'orgUnitId' }] });
      // …nor name a trainer from outside their units.
      const elsewhere = await qualifiedTrainer('core', otherCommune);
      const foreignLead = await orgAdmin.agent
        .post('/v1/cohorts')
        .send({
          title: 'Lớp với giảng viên xã khác',
          courseSlugs: [CITIZEN_COURSE],
          kind: 'citizen',
          mode: 'online',
          startsOn: today(),
          endsOn: daysFromToday(5),
          capacity: 10,
          leadTrainerId: elsewhere.user.id,
          orgUnitId: commune.id,
        })
        .expect(403);
      expect(foreignLead.body).toMatchObject({ code: 'OUT_OF_SCOPE', errors: [{ field: 'leadTrainerId' }] });
    });
  });

  describe('rosters', () => {
    it('takes a department CSV: BOM, semicolons, Vietnamese names, duplicates, bad phones, existing accounts', async () => {
      const id = await cohort(trainer, { capacity: 4 });
      const existing = await f.user({ roles: [Role.Learner], orgUnit: commune, fullName: 'Trần Văn Bình' });
      const csv =
        '\ufeffSTT;Họ và tên;Số điện thoại;Email;Mã đơn vị;Ghi chú\r\n' +
        `1;Nguyễn Thị Hoa;0912 345 678;;${commune.code};\r\n` +
        `2;"Trần Văn Bình";;${existing.email!.toUpperCase()};;đã có tài khoản\r\n` +
        '3;Lê Văn Cường;0912.345.678;;;trùng số với dòng 2\r\n' +
        '4;Phạm Thị Dung;0243 123 456;;;máy bàn\r\n' +
        '5;Hoàng Văn Em;;;;\r\n' +
        '6;Đỗ Thị Giang;+84 987 654 321;giang.do@example.vn;XYZ999;\r\n' +
        '7;Bùi Thị Hạnh;0987 111 222;hanh.bui@example.vn;;\r\n' +
        '8;Vũ Văn Khánh;0987 333 444;;;\r\n' +
        '9;Đặng Thị Lan;0987 555 666;;;\r\n' +
        '\r\n';
      const res = await trainer.agent
        .post(`/v1/cohorts/${id}/members`)
        .set('Content-Type', 'text/csv')
        .send(csv)
        .expect(200);
      const byRow = new Map<number, { userId: string }>(
        res.body.rows.map((r: { rowNumber: number; userId: string }) => [r.rowNumber, r]),
      );
      expect(byRow.get(2)).toMatchObject({ fullName: 'Nguyễn Thị Hoa', outcome: 'added', account: 'invited' });
      expect(byRow.get(3)).toMatchObject({
        fullName: 'Trần Văn Bình',
        outcome: 'added',
        account: 'existing',
        matchedBy: 'email',
        userId: existing.id,
      });
      expect(byRow.get(4)).toMatchObject({
        outcome: 'rejected',
        error: { code: 'DUPLICATE_IN_ROSTER', duplicateOfRow: 2 },
      });
      expect(byRow.get(5)).toMatchObject({
        outcome: 'rejected',
        error: { code: 'PHONE_INVALID', field: 'phone', message: 'Số điện thoại di động Việt Nam không hợp lệ.' },
      });
      expect(byRow.get(6)).toMatchObject({ outcome: 'rejected', error: { code: 'CONTACT_REQUIRED' } });
      expect(byRow.get(7)).toMatchObject({
        outcome: 'rejected',
        error: { code: 'ORG_UNIT_UNKNOWN', field: 'orgUnitCode' },
      });
      // Capacity 4: two more fit, the last two wait.
      expect(byRow.get(8)).toMatchObject({ outcome: 'added', account: 'invited' });
      expect(byRow.get(9)).toMatchObject({ outcome: 'added' });
      expect(byRow.get(10)).toMatchObject({ outcome: 'waitlisted' });
      expect(res.body.summary).toEqual({ added: 4, waitlisted: 1, alreadyMember: 0, rejected: 4, invited: 4 });
      // The invited people got an account with their name in NFC and an invitation.
      const [hoa] = await t.app
        .get(DataSource)
        .query(`SELECT full_name, phone, password_hash, org_unit_id FROM app_user WHERE id = $1`, [
          byRow.get(2)?.userId,
        ]);
      expect(hoa).toEqual({
        full_name: 'Nguyễn Thị Hoa'.normalize('NFC'),
        phone: '+84912345678',
        password_hash: null,
        org_unit_id: commune.id,
      });
      await waitFor(() => t.app.get(DevMessageOutbox).messages.some((m) => m.to === '+84912345678'));
      // Active members are enrolled in the cohort's course (source cohort); the waitlisted are not.
      const enrolled = await t.app
        .get(DataSource)
        .query(`SELECT user_id, source, source_ref FROM enrollment WHERE source_ref = $1`, [id]);
      expect(enrolled).toHaveLength(4);
      expect(enrolled.every((e: { source: string }) => e.source === 'cohort')).toBe(true);
      expect(enrolled.map((e: { user_id: string }) => e.user_id)).not.toContain(byRow.get(10)?.userId);

      // The same roster again: nobody is added twice, nobody new is created.
      const again = await trainer.agent
        .post(`/v1/cohorts/${id}/members`)
        .set('Content-Type', 'text/csv')
        .send(csv)
        .expect(200);
      expect(again.body.summary).toMatchObject({ added: 0, waitlisted: 0, alreadyMember: 5, invited: 0 });
    });

    it('re-invites someone whose invitation died when they are sent again; keeps row order on the waitlist', async () => {
      const id = await cohort(trainer, { capacity: 1 });
      const first = await trainer.agent
        .post(`/v1/cohorts/${id}/members`)
        .send({
          members: [
            { fullName: 'Ngô Văn Một', phone: '0971 000 001' },
            { fullName: 'Ngô Văn Hai', phone: '0971 000 002' },
            { fullName: 'Ngô Văn Ba', phone: '0971 000 003' },
            { fullName: 'Ngô Văn Bốn', phone: '0971 000 004' },
          ],
        })
        .expect(200);
      const ids = first.body.rows.map((r: { userId: string }) => r.userId);
      expect(first.body.rows.map((r: { outcome: string }) => r.outcome)).toEqual([
        'added',
        'waitlisted',
        'waitlisted',
        'waitlisted',
      ]);
      const ds = t.app.get(DataSource);
      // The first invitation dies (five wrong codes, say): adding the person again sends a new one.
      await ds.query(`UPDATE account_invitation SET revoked_at = now() WHERE user_id = $1`, [ids[0]]);
      await trainer.agent
        .post(`/v1/cohorts/${id}/members`)
        .send({ members: [{ fullName: 'Ngô Văn Một', phone: '0971 000 001' }] })
        .expect(200);
      const [{ open }] = await ds.query(
        `SELECT count(*)::int AS open FROM account_invitation WHERE user_id = $1 AND revoked_at IS NULL`,
        [ids[0]],
      );
      expect(open).toBe(1);
      // Freeing the one place promotes the waitlist in row order.
      await trainer.agent.delete(`/v1/cohorts/${id}/members/${ids[0]}`).expect(204);
      const active = (await trainer.agent.get(`/v1/cohorts/${id}/members?status=active`)).body;
      expect(active.map((m: { userId: string }) => m.userId)).toEqual([ids[1]]);
    });

    it('refuses a CSV that is not UTF-8 or has no name column, and a JSON roster with unknown keys', async () => {
      const id = await cohort(trainer);
      const latin1 = Buffer.from('Họ và tên;Số điện thoại\nNguyễn Văn An;0912345678\n', 'latin1');
      const notUtf8 = await trainer.agent
        .post(`/v1/cohorts/${id}/members`)
        .set('Content-Type', 'text/csv')
        .send(latin1.toString('utf8'))
        .expect(422);
      expect(notUtf8.body).toMatchObject({ code: 'CSV_NOT_UTF8', errors: [{ field: 'file' }] });
      const noName = await trainer.agent
        .post(`/v1/cohorts/${id}/members`)
        .set('Content-Type', 'text/csv')
        .send('Số điện thoại,Email\n0912345678,a@b.vn\n')
        .expect(422);
      expect(noName.body).toMatchObject({ code: 'CSV_MISSING_COLUMNS' });
      const extra = await trainer.agent.post(`/v1/cohorts/${id}/members`).send({ members: [], people: [] }).expect(400);
      expect(extra.body.errors[0].field).toBe('people');
      const members = await trainer.agent.get(`/v1/cohorts/${id}/members`).expect(200);
      expect(members.body).toEqual([]);
    });

    it('takes a multipart upload (field "file")', async () => {
      const id = await cohort(trainer);
      const res = await trainer.agent
        .post(`/v1/cohorts/${id}/members`)
        .attach('file', Buffer.from('Họ và tên,Email\nLý Thị Mai,mai.ly@example.vn\n', 'utf8'), 'danh-sach.csv')
        .expect(200);
      expect(res.body.summary).toMatchObject({ added: 1, invited: 1 });
    });

    it('keeps capacity under concurrent self-joins; the waitlist moves up when someone leaves', async () => {
      const created = await trainer.agent
        .post('/v1/cohorts')
        .send({
          title: 'Lớp mở — tự đăng ký',
          courseSlugs: [CITIZEN_COURSE],
          kind: 'citizen',
          mode: 'online',
          startsOn: today(),
          endsOn: daysFromToday(20),
          capacity: 5,
          selfJoin: true,
        })
        .expect(201);
      const code: string = created.body.joinCode;
      expect(code).toMatch(/^[A-Z2-9]{8}$/);
      const people = await learners(12);
      const joins = await Promise.all(
        people.map((p) =>
          p.agent.post('/v1/cohorts/join').send({ code: `${code.slice(0, 4)}-${code.slice(4).toLowerCase()}` }),
        ),
      );
      expect(joins.map((j) => j.status)).toEqual(Array(12).fill(200));
      const statuses = joins.map((j) => j.body.status);
      expect(statuses.filter((s) => s === 'active')).toHaveLength(5);
      expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(7);
      // Joining again keeps the same place.
      const first = people[statuses.indexOf('active')];
      expect((await first.agent.post('/v1/cohorts/join').send({ code }).expect(200)).body.status).toBe('active');

      const waitlist = (await trainer.agent.get(`/v1/cohorts/${created.body.id}/members?status=waitlisted`).expect(200))
        .body as Array<{ userId: string }>;
      expect(waitlist).toHaveLength(7);
      await trainer.agent.delete(`/v1/cohorts/${created.body.id}/members/${first.user.id}`).expect(204);
      const after = (await trainer.agent.get(`/v1/cohorts/${created.body.id}`).expect(200)).body;
      expect(after.members).toMatchObject({ active: 5, waitlisted: 6 });
      const promoted = (await trainer.agent.get(`/v1/cohorts/${created.body.id}/members?status=active`).expect(200))
        .body;
      expect(promoted.map((m: { userId: string }) => m.userId)).toContain(waitlist[0].userId);
      const [enrollment] = await t.app
        .get(DataSource)
        .query(`SELECT source FROM enrollment WHERE user_id = $1 AND source_ref = $2`, [
          waitlist[0].userId,
          created.body.id,
        ]);
      expect(enrollment).toEqual({ source: 'cohort' });

      // More room: the waitlist moves up; less room than active members is refused.
      await trainer.agent.patch(`/v1/cohorts/${created.body.id}`).send({ capacity: 8 }).expect(200);
      expect((await trainer.agent.get(`/v1/cohorts/${created.body.id}`)).body.members).toMatchObject({
        active: 8,
        waitlisted: 3,
      });
      const tooSmall = await trainer.agent.patch(`/v1/cohorts/${created.body.id}`).send({ capacity: 2 }).expect(409);
      expect(tooSmall.body).toMatchObject({ code: 'CAPACITY_BELOW_MEMBERS', errors: [{ field: 'capacity' }] });

      const wrong = await people[0].agent.post('/v1/cohorts/join').send({ code: 'ZZZZZZZZ' }).expect(404);
      expect(wrong.body).toMatchObject({ code: 'JOIN_CODE_INVALID', errors: [{ field: 'code' }] });
    });

    it('transfers a member to another cohort the trainer runs', async () => {
      const a = await cohort(trainer);
      const b = await cohort(trainer, { title: 'Lớp chiều' });
      const [p] = await learners(1);
      await addMembers(trainer, a, [p]);
      const moved = await trainer.agent
        .post(`/v1/cohorts/${a}/members/${p.user.id}/transfer`)
        .send({ toCohortId: b })
        .expect(200);
      expect(moved.body).toEqual({ cohortId: b, status: 'active' });
      const inA = (await trainer.agent.get(`/v1/cohorts/${a}/members`)).body;
      expect(inA).toMatchObject([{ userId: p.user.id, status: 'transferred', transferredTo: b }]);
      const inB = (await trainer.agent.get(`/v1/cohorts/${b}/members`)).body;
      expect(inB).toMatchObject([{ userId: p.user.id, status: 'active', source: 'transfer' }]);
      const other = await qualifiedTrainer('core', commune);
      const foreign = await cohort(other);
      await trainer.agent
        .post(`/v1/cohorts/${b}/members/${p.user.id}/transfer`)
        .send({ toCohortId: foreign })
        .expect(404);
      await trainer.agent.post(`/v1/cohorts/${b}/members/${p.user.id}/transfer`).send({ toCohortId: b }).expect(422);
      // Sending cohort A's roster again does not bring the transferred person back into A.
      const again = await addMembers(trainer, a, [p]);
      expect(again.rows[0]).toMatchObject({ outcome: 'already_member', memberStatus: 'transferred' });
      expect((await trainer.agent.get(`/v1/cohorts/${b}/members`)).body).toMatchObject([{ status: 'active' }]);
    });
  });

  describe('sessions and attendance', () => {
    it('records a batch idempotently, after the fact; minutes count for the learner and a worker’s weekly hour', async () => {
      const id = await cohort(trainer);
      const people = await learners(3);
      await addMembers(trainer, id, people);
      const startsAt = new Date(Date.now() - 3 * DAY);
      const session = await trainer.agent
        .post(`/v1/cohorts/${id}/sessions`)
        .send({ startsAt: startsAt.toISOString(), durationMinutes: 90, title: 'Buổi 1: cài VNeID' })
        .expect(201);
      expect(session.body.location).toBe('Nhà văn hóa xóm Đồng Tâm');
      const batch = {
        records: [
          { userId: people[0].user.id, status: 'present' },
          { userId: people[1].user.id, status: 'late' },
          { userId: people[2].user.id, status: 'absent' },
        ],
      };
      const url = `/v1/cohorts/${id}/sessions/${session.body.id}/attendance`;
      const first = await trainer.agent.put(url).send(batch).expect(200);
      expect(first.body).toEqual({ sessionId: session.body.id, recorded: 3, present: 1, late: 1, absent: 1 });
      const ds = t.app.get(DataSource);
      const snapshot = () =>
        ds.query(
          `SELECT user_id, status, minutes, local_date::text, recorded_at FROM cohort_attendance
                   WHERE session_id = $1 ORDER BY user_id`,
          [session.body.id],
        );
      const before = await snapshot();
      await trainer.agent.put(url).send(batch).expect(200);
      expect(await snapshot()).toEqual(before);
      const minutes = Object.fromEntries(
        before.map((r: { user_id: string; minutes: number }) => [r.user_id, r.minutes]),
      );
      expect(minutes).toEqual({ [people[0].user.id]: 90, [people[1].user.id]: 45, [people[2].user.id]: 0 });
      // Attendance makes a planned cohort run.
      expect((await trainer.agent.get(`/v1/cohorts/${id}`)).body.status).toBe('running');

      const day = localDate(startsAt);
      expect(await t.app.get(AttendanceMinutesService).minutesFor([people[0].user.id], day, day)).toEqual([
        { userId: people[0].user.id, localDate: day, minutes: 90 },
      ]);
      const weekly = await t.app.get(WorkerExtraMinutesRegistry).minutesFor([people[1].user.id], day, day);
      expect(weekly).toContainEqual({ userId: people[1].user.id, localDate: day, minutes: 45 });

      const view = (await trainer.agent.get(url).expect(200)).body;
      expect(view.map((a: { status: string }) => a.status).sort()).toEqual(['absent', 'late', 'present']);
    });

    it('refuses the whole batch for a non-member, too many minutes or a session not yet held — nothing written', async () => {
      const id = await cohort(trainer);
      const [member] = await learners(1);
      const [stranger] = await learners(1);
      await addMembers(trainer, id, [member]);
      const past = await trainer.agent
        .post(`/v1/cohorts/${id}/sessions`)
        .send({ startsAt: new Date(Date.now() - DAY).toISOString(), durationMinutes: 60 })
        .expect(201);
      const url = `/v1/cohorts/${id}/sessions/${past.body.id}/attendance`;
      const bad = await trainer.agent
        .put(url)
        .send({
          records: [
            { userId: member.user.id, status: 'present', minutes: 61 },
            { userId: stranger.user.id, status: 'present' },
          ],
        })
        .expect(422);
      expect(bad.body).toMatchObject({ code: 'ATTENDANCE_INVALID', errors: [{ field: 'records.0.minutes' }] });
      expect(bad.body.invalidRecords).toEqual([
        { pointer: 'records.0.minutes', problem: 'minutes_exceed_session' },
        { pointer: 'records.1.userId', problem: 'not_a_member' },
      ]);
      const absentWithMinutes = await trainer.agent
        .put(url)
        .send({ records: [{ userId: member.user.id, status: 'absent', minutes: 10 }] })
        .expect(422);
      expect(absentWithMinutes.body.errors[0].field).toBe('records.0.minutes');
      const badStatus = await trainer.agent
        .put(url)
        .send({ records: [{ userId: member.user.id, status: 'sick' }] })
        .expect(400);
      expect(JSON.stringify(badStatus.body)).toContain('records.0.status');
      const rows = await t.app
        .get(DataSource)
        .query(`SELECT 1 FROM cohort_attendance WHERE session_id = $1`, [past.body.id]);
      expect(rows).toHaveLength(0);

      const future = await trainer.agent
        .post(`/v1/cohorts/${id}/sessions`)
        .send({ startsAt: new Date(Date.now() + 2 * DAY).toISOString(), durationMinutes: 60 })
        .expect(201);
      const early = await trainer.agent
        .put(`/v1/cohorts/${id}/sessions/${future.body.id}/attendance`)
        .send({ records: [{ userId: member.user.id, status: 'present' }] })
        .expect(422);
      expect(early.body.code).toBe('SESSION_IN_FUTURE');
      const outside = await trainer.agent
        .post(`/v1/cohorts/${id}/sessions`)
        .send({ startsAt: new Date(Date.now() + 60 * DAY).toISOString(), durationMinutes: 60 })
        .expect(422);
      expect(outside.body).toMatchObject({ code: 'SESSION_OUTSIDE_COHORT', errors: [{ field: 'startsAt' }] });
      await trainer.agent
        .put(`/v1/cohorts/${id}/sessions/${randomUUID()}/attendance`)
        .send({
          records: [{ userId: member.user.id, status: 'present' }],
        })
        .expect(404);
    });
  });

  describe('late joiners', () => {
    it('counts attendance from when a member got their place (sessions before it only if they attended)', async () => {
      const id = await cohort(trainer);
      const [early, late] = await learners(2);
      await addMembers(trainer, id, [early]);
      const s1 = await trainer.agent
        .post(`/v1/cohorts/${id}/sessions`)
        .send({ startsAt: new Date(Date.now() - 2 * DAY).toISOString(), durationMinutes: 60 })
        .expect(201);
      await trainer.agent
        .put(`/v1/cohorts/${id}/sessions/${s1.body.id}/attendance`)
        .send({ records: [{ userId: early.user.id, status: 'present' }] })
        .expect(200);
      await addMembers(trainer, id, [late]);
      const report = (await trainer.agent.get(`/v1/cohorts/${id}/report`).expect(200)).body;
      const of = (u: Session) => report.members.find((m: { userId: string }) => m.userId === u.user.id).attendance;
      expect(of(early)).toMatchObject({ sessionsHeld: 1, sessionsAttended: 1, percent: 100 });
      expect(of(late)).toMatchObject({ sessionsHeld: 0, percent: null });
    });
  });

  describe('reports', () => {
    it('reports attendance, lessons, quiz scores and completion per member — JSON and CSV with a BOM', async () => {
      const id = await cohort(trainer);
      const people = await learners(2);
      await addMembers(trainer, id, people);
      const session = await trainer.agent
        .post(`/v1/cohorts/${id}/sessions`)
        .send({ startsAt: new Date(Date.now() - 2 * 3600_000).toISOString(), durationMinutes: 60 })
        .expect(201);
      await trainer.agent
        .put(`/v1/cohorts/${id}/sessions/${session.body.id}/attendance`)
        .send({
          records: [
            { userId: people[0].user.id, status: 'present' },
            { userId: people[1].user.id, status: 'absent' },
          ],
        })
        .expect(200);
      await completeCourse(t, people[0], CITIZEN_COURSE);

      const report = (await trainer.agent.get(`/v1/cohorts/${id}/report`).expect(200)).body;
      const done = report.members.find((m: { userId: string }) => m.userId === people[0].user.id);
      expect(done).toMatchObject({
        attendance: { sessionsHeld: 1, sessionsAttended: 1, percent: 100, minutes: 60 },
        coursesCompleted: true,
        progressPercent: 100,
        courses: [
          {
            courseSlug: CITIZEN_COURSE,
            lessonsCompleted: 1,
            lessonsTotal: 1,
            completed: true,
            quizzes: [{ quizId: `kiem-tra-${CITIZEN_COURSE}`, bestScore: 100, passed: true, attempts: 1 }],
          },
        ],
      });
      const absent = report.members.find((m: { userId: string }) => m.userId === people[1].user.id);
      expect(absent).toMatchObject({ attendance: { percent: 0 }, coursesCompleted: false, progressPercent: 0 });

      const csv = await trainer.agent
        .get(`/v1/cohorts/${id}/report`)
        .set('Accept', 'text/csv')
        .buffer(true)
        .expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      const text = csv.text;
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const lines = text.slice(1).trim().split('\r\n');
      expect(lines[0]).toBe(
        'STT,Họ và tên,Mã người học,Trạng thái,Số buổi đã học,Số buổi đã dự,Tỷ lệ chuyên cần (%),Số phút dự lớp,Bài học đã hoàn thành,Tổng số bài học,Điểm kiểm tra trung bình (%),Hoàn thành khóa học,Ngày hoàn thành,Thực tập,Kết quả',
      );
      const row = lines.find((l) => l.includes(people[0].user.id)) as string;
      const [dd, mm, yyyy] = [today().slice(8, 10), today().slice(5, 7), today().slice(0, 4)];
      expect(row).toContain(`,Đang học,1,1,100,60,1,1,100,Có,${dd}/${mm}/${yyyy},,`);
      const en = await trainer.agent
        .get(`/v1/cohorts/${id}/report?delimiter=semicolon`)
        .set('Accept', 'text/csv')
        .set('Accept-Language', 'en')
        .buffer(true)
        .expect(200);
      expect(en.text.slice(1).split('\r\n')[0].startsWith('No.;Full name;Learner id;Status')).toBe(true);
    });

    it('shows a member their own record, and the trainer a dashboard with members at risk', async () => {
      const id = await cohort(trainer, { startsOn: daysFromToday(-20), endsOn: daysFromToday(2) });
      const [p] = await learners(1);
      await addMembers(trainer, id, [p]);
      for (const daysAgo of [3, 2]) {
        const s = await trainer.agent
          .post(`/v1/cohorts/${id}/sessions`)
          .send({ startsAt: new Date(Date.now() - daysAgo * DAY).toISOString(), durationMinutes: 60 })
          .expect(201);
        await trainer.agent
          .put(`/v1/cohorts/${id}/sessions/${s.body.id}/attendance`)
          .send({ records: [{ userId: p.user.id, status: 'absent' }] })
          .expect(200);
      }
      await trainer.agent
        .post(`/v1/cohorts/${id}/sessions`)
        .send({ startsAt: new Date(Date.now() + DAY).toISOString(), durationMinutes: 45 })
        .expect(201);
      const mine = (await p.agent.get('/v1/me/cohorts').expect(200)).body;
      expect(mine).toMatchObject([
        { cohort: { id }, me: { userId: p.user.id, attendance: { sessionsHeld: 2, percent: 0 } } },
      ]);
      const asMember = (await p.agent.get(`/v1/cohorts/${id}`).expect(200)).body;
      expect(asMember).toMatchObject({ myRole: 'member', joinCode: null });
      await p.agent.get(`/v1/cohorts/${id}/members`).expect(403);
      await p.agent.get(`/v1/cohorts/${id}/report`).expect(403);

      const dash = (await trainer.agent.get('/v1/trainers/me/dashboard').expect(200)).body;
      expect(dash.cohorts.map((c: { id: string }) => c.id)).toContain(id);
      expect(dash.upcomingSessions.some((s: { cohortId: string }) => s.cohortId === id)).toBe(true);
      expect(dash.atRisk).toContainEqual(
        expect.objectContaining({ cohortId: id, userId: p.user.id, reasons: ['low_attendance', 'behind_schedule'] }),
      );
    });
  });

  describe('authorization', () => {
    it('lets only the cohort’s own trainers and admins over it in; others get 404, members and assistants 403', async () => {
      const id = await cohort(trainer);
      const [member, assistantUser] = await learners(2);
      await addMembers(trainer, id, [member]);
      await trainer.agent
        .put(`/v1/cohorts/${id}/staff`)
        .send({ coTrainerIds: [], assistantIds: [assistantUser.user.id] })
        .expect(200);
      const session = await trainer.agent
        .post(`/v1/cohorts/${id}/sessions`)
        .send({ startsAt: new Date(Date.now() - 3600_000).toISOString(), durationMinutes: 30 })
        .expect(201);
      const otherTrainer = await qualifiedTrainer('core', otherCommune);
      const foreignAdmin = await createSession(t, { roles: [Role.OrgAdmin], orgUnit: otherCommune });
      const localAdmin = await createSession(t, { roles: [Role.OrgAdmin], orgUnit: commune });
      const attendance = { records: [{ userId: member.user.id, status: 'present' }] };
      const routes: Array<[string, string, object?]> = [
        ['get', `/v1/cohorts/${id}`],
        ['patch', `/v1/cohorts/${id}`, { title: 'Đổi tên lớp' }],
        ['put', `/v1/cohorts/${id}/staff`, { coTrainerIds: [], assistantIds: [assistantUser.user.id] }],
        ['post', `/v1/cohorts/${id}/members`, { members: [{ fullName: 'Người Mới', email: 'moi@example.vn' }] }],
        ['get', `/v1/cohorts/${id}/members`],
        ['delete', `/v1/cohorts/${id}/members/${member.user.id}`],
        ['post', `/v1/cohorts/${id}/members/${member.user.id}/transfer`, { toCohortId: id }],
        ['post', `/v1/cohorts/${id}/members/${member.user.id}/practicum`, { decision: 'approved' }],
        ['post', `/v1/cohorts/${id}/sessions`, { startsAt: new Date().toISOString(), durationMinutes: 30 }],
        ['get', `/v1/cohorts/${id}/sessions`],
        ['put', `/v1/cohorts/${id}/sessions/${session.body.id}/attendance`, attendance],
        ['get', `/v1/cohorts/${id}/sessions/${session.body.id}/attendance`],
        ['get', `/v1/cohorts/${id}/report`],
        ['post', `/v1/cohorts/${id}/start`],
        ['post', `/v1/cohorts/${id}/finish`],
        ['post', `/v1/cohorts/${id}/archive`],
      ];
      const call = (s: Session, [method, url, body]: [string, string, object?]) =>
        (s.agent as unknown as Record<string, (u: string) => { send: (b?: object) => Promise<{ status: number }> }>)
          [method](url)
          .send(body);
      for (const route of routes) {
        expect([route[1], (await call(otherTrainer, route)).status]).toEqual([route[1], 404]);
        expect([route[1], (await call(foreignAdmin, route)).status]).toEqual([route[1], 404]);
        const asMember = (await call(member, route)).status;
        expect([route[0], route[1], asMember]).toEqual([
          route[0],
          route[1],
          route[1] === `/v1/cohorts/${id}` && route[0] === 'get' ? 200 : 403,
        ]);
      }
      // Assistants record attendance and read; they do not change the roster or the cohort.
      const assistant = { s: assistantUser };
      expect((await call(assistant.s, routes[10])).status).toBe(200);
      expect((await call(assistant.s, routes[12])).status).toBe(200);
      expect((await call(assistant.s, routes[3])).status).toBe(403);
      expect((await call(assistant.s, routes[14])).status).toBe(403);
      // An admin over the commune may do what the lead does.
      expect((await call(localAdmin, routes[0])).status).toBe(200);
      expect((await call(localAdmin, routes[12])).status).toBe(200);
      // The trainer's list holds their cohort; the other trainer's does not.
      const mine = (await trainer.agent.get('/v1/cohorts?limit=100').expect(200)).body.items.map(
        (c: { id: string }) => c.id,
      );
      expect(mine).toContain(id);
      const theirs = (await otherTrainer.agent.get('/v1/cohorts?limit=100').expect(200)).body.items;
      expect(theirs.map((c: { id: string }) => c.id)).not.toContain(id);
      // Trainer routes: a stranger cannot read someone's trainer profile or cascade, nor the KPI.
      await otherTrainer.agent.get(`/v1/trainers/${trainer.user.id}`).expect(404);
      await otherTrainer.agent.get(`/v1/trainers/${trainer.user.id}/cascade`).expect(404);
      await otherTrainer.agent.get('/v1/trainers/totals').expect(403);
      await localAdmin.agent.get(`/v1/trainers/${trainer.user.id}`).expect(200);
      await foreignAdmin.agent.get(`/v1/trainers/${trainer.user.id}`).expect(404);
      await localAdmin.agent.post(`/v1/trainers/${member.user.id}/qualifications`).send({ level: 'core' }).expect(403);
      await trainer.agent.post(`/v1/trainers/${member.user.id}/qualifications`).send({ level: 'master' }).expect(403);
    });
  });
});
