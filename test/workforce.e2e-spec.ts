import { randomUUID } from 'node:crypto';
import { Role } from '@hocso/common';
import { OrgUnitKind } from '@hocso/identity';
import { createSession, createTestApp, describeWithServices, Factories, type TestApp } from '@hocso/testing';
import { DataSource } from 'typeorm';
import { createOrg, type Org, pinToday, putWorkers, report, taxCode, waitForReport } from './fixtures/workforce-setup';

/**
 * Issue 5, the enterprise's journey: park and enterprise, roster, reports as JSON and as the
 * Excel CSV people really export, every rejection reason, idempotent resends, limits, tenant
 * isolation, and weeks in Vietnam time (23:30 UTC, New Year).
 */
describeWithServices('workforce: parks, enterprises, rosters and training reports', () => {
  let t: TestApp;
  let A: Org;
  let B: Org;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    ds = t.app.get(DataSource);
    pinToday(t, '2026-01-14'); // Wednesday of 2026-W03; the default window reaches back to 2025-11-17
    A = await createOrg(t);
    B = await createOrg(t, A.admin);
  });
  afterAll(() => t.close());

  const five = ['NV001', 'NV002', 'NV003', 'NV004', 'NV005'].map((workerCode) => ({ workerCode }));
  const sum = async (enterpriseId: string) =>
    (
      await ds.query(
        `SELECT count(*)::int AS n, coalesce(sum(minutes), 0)::int AS m FROM training_session WHERE enterprise_id = $1`,
        [enterpriseId],
      )
    )[0] as { n: number; m: number };

  describe('parks and enterprises', () => {
    it('tax codes are 10 digits or 10-3, unique; the park admin may register only in their park', async () => {
      const bad = await A.admin.agent
        .post('/v1/enterprises')
        .send({ name: 'X', taxCode: '46012345', industrialParkId: A.parkId, ownership: 'domestic' })
        .expect(400);
      expect(bad.body.errors[0].field).toBe('taxCode');
      const branch = taxCode() + '-001';
      const ok = await A.admin.agent
        .post('/v1/enterprises')
        .send({
          name: 'Chi nhánh',
          taxCode: branch,
          industrialParkId: A.parkId,
          ownership: 'domestic',
          headcountBand: '50-199',
        })
        .expect(201);
      expect(ok.body).toMatchObject({ taxCode: branch, industrialParkId: A.parkId, headcountBand: '50-199' });
      const dup = await A.admin.agent
        .post('/v1/enterprises')
        .send({ name: 'Y', taxCode: branch, industrialParkId: A.parkId, ownership: 'fdi' })
        .expect(409);
      expect(dup.body.code).toBe('TAX_CODE_TAKEN');

      const f = new Factories(t);
      const otherPark = await A.admin.agent
        .post('/v1/industrial-parks')
        .send({ name: 'KCN Khác', code: `KCN-${randomUUID().slice(0, 8)}` });
      const parkUnit = await ds.query(`SELECT * FROM org_unit WHERE id = $1`, [otherPark.body.id]);
      const parkAdmin = await createSession(t, { roles: [Role.OrgAdmin], orgUnit: parkUnit[0] });
      const refused = await parkAdmin.agent
        .post('/v1/enterprises')
        .send({ name: 'Z', taxCode: taxCode(), industrialParkId: A.parkId, ownership: 'fdi' })
        .expect(403);
      expect(refused.body.code).toBe('OUT_OF_SCOPE');
      await parkAdmin.agent
        .post('/v1/enterprises')
        .send({ name: 'Z', taxCode: taxCode(), industrialParkId: otherPark.body.id, ownership: 'fdi' })
        .expect(201);
      const learner = await createSession(t, { roles: [Role.Learner], orgUnit: await f.commune(0) });
      await learner.agent.post('/v1/industrial-parks').send({ name: 'KCN', code: 'KCN-LEARNER' }).expect(403);
    });

    it('a park can name its commune; an unknown commune is refused', async () => {
      const commune = await new Factories(t).commune(3);
      const res = await A.admin.agent
        .post('/v1/industrial-parks')
        .send({ name: 'KCN Điềm Thụy', code: `KCN-DT-${randomUUID().slice(0, 6)}`, communeCode: commune.code })
        .expect(201);
      expect(res.body.communeCode).toBe(commune.code);
      const bad = await A.admin.agent
        .post('/v1/industrial-parks')
        .send({ name: 'KCN', code: `KCN-${randomUUID().slice(0, 6)}`, communeCode: 'NOPE' })
        .expect(422);
      expect(bad.body.code).toBe('COMMUNE_NOT_FOUND');
    });
  });

  describe('roster', () => {
    it('bulk upsert by worker code (case-insensitive), counts what changed, pages with a cursor', async () => {
      const org = await createOrg(t, A.admin, A.parkId);
      const first = await putWorkers(org, [
        { workerCode: 'nv001', displayName: '  Nguyễn  Văn An ' },
        { workerCode: 'NV002', activeFrom: '2025-06-01' },
        { workerCode: 'NV003', activeTo: '2026-12-31' },
      ]);
      expect(first.body).toEqual({ created: 3, updated: 0, unchanged: 0 });
      const again = await putWorkers(org, [
        { workerCode: 'NV001', displayName: 'Nguyễn Văn An' },
        { workerCode: 'NV002', activeFrom: '2025-07-01' },
        { workerCode: 'NV003', activeTo: '2026-12-31' },
      ]);
      expect(again.body).toEqual({ created: 0, updated: 1, unchanged: 2 });
      const dup = await org
        .api()
        .put(`/v1/enterprises/${org.enterpriseId}/workers`)
        .send({ workers: [{ workerCode: 'NV9' }, { workerCode: 'nv9' }] })
        .expect(400);
      expect(dup.body).toMatchObject({ code: 'DUPLICATE_WORKER_CODE', errors: [{ field: 'workers.1.workerCode' }] });
      await org
        .api()
        .put(`/v1/enterprises/${org.enterpriseId}/workers`)
        .send({ workers: [{ workerCode: 'NV9', activeFrom: '2026-02-01', activeTo: '2026-01-01' }] })
        .expect(400);
      const page1 = await org.api().get(`/v1/enterprises/${org.enterpriseId}/workers?limit=2`).expect(200);
      expect(page1.body.items.map((w: { workerCode: string }) => w.workerCode)).toEqual(['NV001', 'NV002']);
      expect(page1.body.items[0]).toMatchObject({ displayName: 'Nguyễn Văn An', linked: false });
      const page2 = await org
        .api()
        .get(`/v1/enterprises/${org.enterpriseId}/workers?limit=2&cursor=${page1.body.nextCursor}`)
        .expect(200);
      expect(page2.body.items.map((w: { workerCode: string }) => w.workerCode)).toEqual(['NV003']);
      expect(page2.body.nextCursor).toBeNull();
      // No national ID is stored: the roster has no such column at all.
      const cols = await ds.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'worker'`);
      expect(cols.map((c: { column_name: string }) => c.column_name).join(',')).not.toMatch(/cccd|national|id_number/);
    });
  });

  describe('reports', () => {
    it('JSON: 202 with the report id, processed by the worker, compliance of the week; 23:30 UTC is the next local day', async () => {
      const org = await createOrg(t, A.admin, A.parkId);
      await putWorkers(org, five);
      const res = await org
        .api()
        .post(`/v1/enterprises/${org.enterpriseId}/training-reports`)
        .set('Idempotency-Key', randomUUID())
        .send({
          sessions: [
            { workerCode: 'NV001', date: '2026-01-05', minutes: 60, topic: 'An toàn thông tin' },
            { workerCode: 'NV002', date: '06/01/2026', minutes: 30, topic: 'Dịch vụ công trực tuyến' },
            { workerCode: 'NV002', date: '06/01/2026', minutes: 30, topic: 'VNeID' },
            { workerCode: 'NV003', date: '2026-01-07', minutes: 45, topic: 'AI cơ bản', courseSlug: 'ai-co-ban' },
            // Sunday 23:30 UTC = Monday 06:30 in Vietnam: W02, not W01.
            {
              workerCode: 'NV004',
              date: '2026-01-04T23:30:00Z',
              minutes: 60,
              topic: 'Thanh toán số',
              trainer: 'Trần Bình',
            },
          ],
        })
        .expect(202);
      expect(res.body).toMatchObject({
        enterpriseId: org.enterpriseId,
        status: 'received',
        format: 'json',
        totalRows: 5,
      });
      await waitForReport(t, res.body.id);
      const done = await org.api().get(`/v1/training-reports/${res.body.id}`).expect(200);
      expect(done.body).toMatchObject({ status: 'done', acceptedRows: 5, rejectedRows: 0, weeks: ['2026-W02'] });
      expect(done.body.errors).toEqual({ items: [], nextCursor: null });
      const [nv4] = await ds.query(
        `SELECT to_char(s.local_date, 'YYYY-MM-DD') AS d FROM training_session s JOIN worker w ON w.id = s.worker_id
         WHERE w.enterprise_id = $1 AND w.worker_code = 'NV004'`,
        [org.enterpriseId],
      );
      expect(nv4.d).toBe('2026-01-05');

      const c = await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance?week=2026-W02`).expect(200);
      expect(c.body).toMatchObject({
        isoWeek: '2026-W02',
        weekStart: '2026-01-05',
        weekEnd: '2026-01-11',
        label: 'Tuần 02/2026 (05/01–11/01/2026)',
        activeWorkers: 5,
        coveredWorkers: 3,
        coverage: 0.6,
        compliant: false,
        rule: 'worker_coverage',
        threshold: 0.8,
        workerRuleMet: false,
        sessionRuleMet: true,
        longestSessionMinutes: 60,
        upToDate: true,
        weekStatus: { status: 'open' },
      });
      expect(c.body.shortWorkers.items).toEqual([
        { workerCode: 'NV005', displayName: null, minutes: 0, reportedMinutes: 0, extraMinutes: 0 },
        { workerCode: 'NV003', displayName: null, minutes: 45, reportedMinutes: 45, extraMinutes: 0 },
      ]);
      // W01 saw none of it.
      const w1 = await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance?week=2026-W01`).expect(200);
      expect(w1.body).toMatchObject({ activeWorkers: 5, coveredWorkers: 0 });
    });

    it('Excel CSV: BOM, semicolons, Vietnamese headers, dd/MM/yyyy, CRLF, quoted fields with commas', async () => {
      const org = await createOrg(t, A.admin, A.parkId);
      await putWorkers(org, five);
      const csv =
        '\ufeffSTT;Mã NV;Họ và tên;Ngày;Số phút;Nội dung;Giảng viên\r\n' +
        '1;NV001;"Nguyễn Văn An";05/01/2026;60;"An toàn thông tin, bảo mật cơ bản";"Trần Thị Bình"\r\n' +
        '2;nv002;"Lê Thị Cúc";6/1/2026;90;"Dịch vụ công ""trực tuyến"", phần 1";\r\n' +
        ';;;;;;\r\n' +
        '3;NV003;"Phạm Văn Dũng";07/01/2026;60;"Ví điện tử; thanh toán";\r\n';
      const res = await org
        .api()
        .post(`/v1/enterprises/${org.enterpriseId}/training-reports`)
        .set('Idempotency-Key', randomUUID())
        .set('Content-Type', 'text/csv; charset=utf-8')
        .send(csv)
        .expect(202);
      expect(res.body).toMatchObject({ format: 'csv', totalRows: 3 });
      await waitForReport(t, res.body.id);
      const done = await org.api().get(`/v1/training-reports/${res.body.id}`).expect(200);
      expect(done.body).toMatchObject({ status: 'done', acceptedRows: 3, rejectedRows: 0 });
      const topics = await ds.query(`SELECT topic FROM training_session WHERE enterprise_id = $1 ORDER BY topic`, [
        org.enterpriseId,
      ]);
      expect(topics.map((r: { topic: string }) => r.topic)).toEqual([
        'An toàn thông tin, bảo mật cơ bản',
        'Dịch vụ công "trực tuyến", phần 1',
        'Ví điện tử; thanh toán',
      ]);
      const c = await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance?week=2026-W02`).expect(200);
      expect(c.body).toMatchObject({ activeWorkers: 5, coveredWorkers: 3, coverage: 0.6 });
    });

    it('multipart upload of a comma-separated CSV with English headers', async () => {
      const org = await createOrg(t, A.admin, A.parkId);
      await putWorkers(org, five);
      const csv =
        'Worker code,Date,Minutes,Topic,External ref\nNV001,2026-01-12,60,"Email, calendar",S-1\nNV002,2026-01-12,61,Email,S-1\n';
      const res = await org
        .api()
        .post(`/v1/enterprises/${org.enterpriseId}/training-reports`)
        .set('Idempotency-Key', randomUUID())
        .attach('file', Buffer.from(csv), { filename: 'tuan-03.csv', contentType: 'text/csv' })
        .expect(202);
      await waitForReport(t, res.body.id);
      const done = await org.api().get(`/v1/training-reports/${res.body.id}`).expect(200);
      expect(done.body).toMatchObject({ status: 'done', acceptedRows: 2, weeks: ['2026-W03'] });
    });

    it('every rejection reason is kept with row number, field and a message in the caller’s language', async () => {
      const org = await createOrg(t, A.admin, A.parkId);
      await putWorkers(org, [
        { workerCode: 'NV001' },
        { workerCode: 'OLD', activeTo: '2025-12-31' },
        { workerCode: 'NEW', activeFrom: '2026-01-10' },
      ]);
      const ok = { workerCode: 'NV001', date: '2026-01-08', minutes: 60, topic: 'Hợp lệ' };
      const body = await report(t, org, [
        ok, // 1
        { ...ok, workerCode: 'NV404' }, // 2 unknown
        { ...ok, workerCode: 'OLD' }, // 3 inactive (left)
        { ...ok, workerCode: 'NEW' }, // 4 inactive (not yet)
        { ...ok, minutes: 0 }, // 5
        { ...ok, minutes: 601 }, // 6
        { ...ok, minutes: 'sáu mươi' }, // 7
        { ...ok, date: '2026-01-15' }, // 8 future (today is the 14th)
        { ...ok, date: '2025-11-16' }, // 9 older than the 8-week window
        { ...ok, date: '32/01/2026' }, // 10 malformed
        { ...ok }, // 11 duplicate of row 1
        { ...ok, topic: '' }, // 12
        { workerCode: 'NV001', date: '2026-01-08', topic: 'Thiếu phút' }, // 13
        'not an object', // 14
        { ...ok, date: '2026-01-09', courseSlug: 'Khóa Học' }, // 15
        { ...ok, date: '2026-01-09', topic: 'Khác', externalRef: 'x'.repeat(101) }, // 16
      ]);
      expect(body).toMatchObject({ status: 'done', totalRows: 16, acceptedRows: 1, rejectedRows: 15 });
      const got = body.errors.items.map((e: { row: number; field: string; code: string }) => [e.row, e.field, e.code]);
      expect(got).toEqual([
        [2, 'workerCode', 'UNKNOWN_WORKER'],
        [3, 'workerCode', 'INACTIVE_WORKER'],
        [4, 'workerCode', 'INACTIVE_WORKER'],
        [5, 'minutes', 'MINUTES_OUT_OF_RANGE'],
        [6, 'minutes', 'MINUTES_OUT_OF_RANGE'],
        [7, 'minutes', 'MINUTES_INVALID'],
        [8, 'date', 'DATE_IN_FUTURE'],
        [9, 'date', 'DATE_TOO_OLD'],
        [10, 'date', 'DATE_INVALID'],
        [11, '(row)', 'DUPLICATE_ROW'],
        [12, 'topic', 'TOPIC_REQUIRED'],
        [13, 'minutes', 'MINUTES_REQUIRED'],
        [14, '(row)', 'ROW_NOT_AN_OBJECT'],
        [15, 'courseSlug', 'COURSE_SLUG_INVALID'],
        [16, 'externalRef', 'TEXT_TOO_LONG'],
      ]);
      expect(body.errors.items[0]).toMatchObject({
        value: 'NV404',
        message: 'Mã nhân viên không có trong danh sách người lao động của doanh nghiệp.',
      });
      const en = await org
        .api()
        .get(`/v1/training-reports/${body.id}?limit=5`)
        .set('Accept-Language', 'en')
        .expect(200);
      expect(en.body.errors.items[0].message).toBe("The worker code is not on the enterprise's roster.");
      expect(en.body.errors.items).toHaveLength(5);
      const next = await org
        .api()
        .get(`/v1/training-reports/${body.id}?limit=5&cursor=${en.body.errors.nextCursor}`)
        .expect(200);
      expect(next.body.errors.items[0]).toMatchObject({ row: 7, code: 'MINUTES_INVALID' });
      expect(await sum(org.enterpriseId)).toEqual({ n: 1, m: 60 });
    });

    it('CSV rows: extra cells are malformed; spreadsheet row numbers (header = 1) survive blank rows', async () => {
      const org = await createOrg(t, A.admin, A.parkId);
      await putWorkers(org, five);
      const csv =
        'Mã NV;Ngày;Số phút;Nội dung\r\nNV001;05/01/2026;60;A\r\n;;;\r\nNV002;05/01/2026;60;B;extra\r\nNV003;05/01/2026;abc;C\r\n';
      const res = await org
        .api()
        .post(`/v1/enterprises/${org.enterpriseId}/training-reports`)
        .set('Idempotency-Key', randomUUID())
        .set('Content-Type', 'text/csv')
        .send(csv)
        .expect(202);
      await waitForReport(t, res.body.id);
      const body = (await org.api().get(`/v1/training-reports/${res.body.id}`).expect(200)).body;
      expect(body).toMatchObject({ acceptedRows: 1, rejectedRows: 2 });
      expect(body.errors.items.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
        [4, 'MALFORMED_ROW'],
        [5, 'MINUTES_INVALID'],
      ]);
    });

    it('idempotent resend: same key + body → the same report; other body → 422; a new key never doubles minutes', async () => {
      const org = await createOrg(t, A.admin, A.parkId);
      await putWorkers(org, five);
      const sessions = [
        { workerCode: 'NV001', date: '2026-01-05', minutes: 60, topic: 'A' },
        { workerCode: 'NV002', date: '2026-01-05', minutes: 40, topic: 'B', externalRef: 'REF-1' },
      ];
      const key = randomUUID();
      const url = `/v1/enterprises/${org.enterpriseId}/training-reports`;
      const first = await org.api().post(url).set('Idempotency-Key', key).send({ sessions }).expect(202);
      const replay = await org.api().post(url).set('Idempotency-Key', key).send({ sessions }).expect(202);
      expect(replay.body.id).toBe(first.body.id);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      const other = await org
        .api()
        .post(url)
        .set('Idempotency-Key', key)
        .send({ sessions: [sessions[0]] })
        .expect(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const csvOther = await org.api().post(url).set('Idempotency-Key', key).set('Content-Type', 'text/csv').send('x');
      expect(csvOther.status).toBe(422);
      const noKey = await org.api().post(url).send({ sessions }).expect(400);
      expect(noKey.body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
      await waitForReport(t, first.body.id);
      expect(await sum(org.enterpriseId)).toEqual({ n: 2, m: 100 });
      expect(
        (
          await ds.query(`SELECT count(*)::int AS n FROM training_report WHERE enterprise_id = $1`, [org.enterpriseId])
        )[0].n,
      ).toBe(1);

      // The same report sent again under a new key: stored again, upserted, nothing doubled.
      const again = await report(t, org, sessions);
      expect(again).toMatchObject({ status: 'done', acceptedRows: 2 });
      expect(await sum(org.enterpriseId)).toEqual({ n: 2, m: 100 });
      // A correction (same natural key, new minutes) replaces the old value; accents and case in the topic don't matter.
      await report(t, org, [
        { workerCode: 'NV002', date: '2026-01-05', minutes: 60, topic: 'B (sửa)', externalRef: 'REF-1' },
        { workerCode: 'nv001', date: '05/01/2026', minutes: 60, topic: 'a' },
      ]);
      expect(await sum(org.enterpriseId)).toEqual({ n: 2, m: 120 });
      const c = await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance?week=2026-W02`).expect(200);
      expect(c.body.coveredWorkers).toBe(2);
    });

    it('limits: more than 100,000 rows or 20 MB → 413 problem+json; bad shapes and types → 4xx', async () => {
      const url = `/v1/enterprises/${A.enterpriseId}/training-reports`;
      const rows = await A.api()
        .post(url)
        .set('Idempotency-Key', randomUUID())
        .send({ sessions: new Array(100_001).fill({}) })
        .expect(413);
      expect(rows.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(rows.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', errors: [{ field: 'sessions' }] });
      const header = 'Mã NV;Ngày;Số phút;Nội dung\n';
      const csvRows = await A.api()
        .post(url)
        .set('Idempotency-Key', randomUUID())
        .set('Content-Type', 'text/csv')
        .send(header + 'NV1;05/01/2026;1;x\n'.repeat(100_001))
        .expect(413);
      expect(csvRows.body.code).toBe('PAYLOAD_TOO_LARGE');
      const big = header + `NV1;05/01/2026;1;${'x'.repeat(1000)}\n`.repeat(21_000);
      const bytes = await A.api()
        .post(url)
        .set('Idempotency-Key', randomUUID())
        .set('Content-Type', 'text/csv')
        .send(big);
      expect(bytes.status).toBe(413);
      expect(bytes.body.code).toBe('PAYLOAD_TOO_LARGE');
      const upload = await A.api()
        .post(url)
        .set('Idempotency-Key', randomUUID())
        .attach('file', Buffer.from(big), { filename: 'big.csv', contentType: 'text/csv' });
      expect(upload.status).toBe(413);
      expect(upload.headers['content-type']).toMatch(/^application\/problem\+json/);

      const missing = await A.api()
        .post(url)
        .set('Idempotency-Key', randomUUID())
        .set('Content-Type', 'text/csv')
        .send('Mã NV;Ngày\nNV1;05/01/2026\n')
        .expect(422);
      expect(missing.body).toMatchObject({ code: 'CSV_MISSING_COLUMNS', missingColumns: ['minutes', 'topic'] });
      const shape = await A.api().post(url).set('Idempotency-Key', randomUUID()).send({ rows: [] }).expect(400);
      expect(shape.body.code).toBe('REPORT_MALFORMED');
      await A.api().post(url).set('Idempotency-Key', randomUUID()).send({ sessions: [] }).expect(400);
      await A.api()
        .post(url)
        .set('Idempotency-Key', randomUUID())
        .set('Content-Type', 'text/plain')
        .send('hello')
        .expect(415);
      // Other routes keep refusing CSV and multipart bodies.
      await A.admin.agent.post('/v1/enterprises').set('Content-Type', 'text/csv').send('a,b').expect(415);
      await t.http().post('/v1/auth/login').attach('file', Buffer.from('x'), 'x.csv').expect(415);
      expect(
        (await ds.query(`SELECT count(*)::int AS n FROM training_report WHERE enterprise_id = $1`, [A.enterpriseId]))[0]
          .n,
      ).toBe(0);
    });
  });

  describe('tenant isolation', () => {
    it('enterprise A (key or manager) can neither read nor write B; scopes are enforced', async () => {
      await putWorkers(B, five);
      const bReport = await report(t, B, [{ workerCode: 'NV001', date: '2026-01-05', minutes: 60, topic: 'B' }]);
      const b = B.enterpriseId;
      const asA = A.api;
      const notFound = async (res: { status: number; body: { code: string } }) => {
        expect(res.status).toBe(404);
        expect(['ENTERPRISE_NOT_FOUND', 'REPORT_NOT_FOUND']).toContain(res.body.code);
      };
      await notFound(await asA().get(`/v1/enterprises/${b}`));
      await notFound(
        await asA()
          .post(`/v1/enterprises/${b}/training-reports`)
          .set('Idempotency-Key', randomUUID())
          .send({ sessions: [{ workerCode: 'NV001', date: '2026-01-05', minutes: 600, topic: 'x' }] }),
      );
      await notFound(
        await asA()
          .put(`/v1/enterprises/${b}/workers`)
          .send({ workers: [{ workerCode: 'EVIL' }] }),
      );
      await notFound(await asA().get(`/v1/enterprises/${b}/workers`));
      await notFound(await asA().get(`/v1/enterprises/${b}/training-reports`));
      await notFound(await asA().get(`/v1/training-reports/${bReport.id}`));
      await notFound(await asA().get(`/v1/enterprises/${b}/compliance?week=2026-W02`));
      await notFound(await asA().get(`/v1/enterprises/${b}/compliance.csv?week=2026-W02`));
      await notFound(await asA().post(`/v1/enterprises/${b}/workers/NV001/invitations`));
      await notFound(await asA().put(`/v1/enterprises/${b}/webhook`).send({ url: 'https://example.vn/h' }));

      const unitA = (await ds.query(`SELECT * FROM org_unit WHERE id = $1`, [A.enterpriseId]))[0];
      const manager = await createSession(t, { roles: [Role.EnterpriseManager], orgUnit: unitA });
      await manager.agent.get(`/v1/enterprises/${A.enterpriseId}/compliance?week=2026-W02`).expect(200);
      await notFound(await manager.agent.get(`/v1/enterprises/${b}/compliance?week=2026-W02`));
      await notFound(await manager.agent.get(`/v1/training-reports/${bReport.id}`));
      // A manager of A is no admin: no API keys, no park view.
      await manager.agent
        .post(`/v1/enterprises/${A.enterpriseId}/api-keys`)
        .set('Idempotency-Key', randomUUID())
        .send({ name: 'x' })
        .expect(403);
      await manager.agent.get(`/v1/industrial-parks/${A.parkId}/compliance`).expect(403);
      const learner = await createSession(t, { roles: [Role.Learner], orgUnit: unitA });
      await learner.agent.get(`/v1/enterprises/${A.enterpriseId}/compliance`).expect(403);

      // A key with compliance:read only cannot write; the enterprise key cannot read the park.
      const readOnly = await A.admin.agent
        .post(`/v1/enterprises/${A.enterpriseId}/api-keys`)
        .set('Idempotency-Key', randomUUID())
        .send({ name: 'BI', scopes: ['compliance:read'] })
        .expect(201);
      const ro = () => t.http().set('X-Api-Key', readOnly.body.key);
      await ro().get(`/v1/enterprises/${A.enterpriseId}/compliance?week=2026-W02`).expect(200);
      const denied = await ro()
        .post(`/v1/enterprises/${A.enterpriseId}/training-reports`)
        .set('Idempotency-Key', randomUUID())
        .send({ sessions: [{}] })
        .expect(403);
      expect(denied.body.code).toBe('SCOPE_NOT_ALLOWED');
      const parkView = await A.api().get(`/v1/industrial-parks/${A.parkId}/compliance`);
      expect(parkView.status).toBe(404);
      // Nothing of A's attempts reached B.
      expect(await sum(b)).toEqual({ n: 1, m: 60 });
    });

    it("a park's admin and a park key see their park only", async () => {
      const other = await createOrg(t, A.admin);
      const parkUnit = (await ds.query(`SELECT * FROM org_unit WHERE id = $1`, [other.parkId]))[0];
      const parkAdmin = await createSession(t, { roles: [Role.OrgAdmin], orgUnit: parkUnit });
      await parkAdmin.agent.get(`/v1/industrial-parks/${other.parkId}/compliance?week=2026-W02`).expect(200);
      await parkAdmin.agent.get(`/v1/enterprises/${other.enterpriseId}/compliance?week=2026-W02`).expect(200);
      expect((await parkAdmin.agent.get(`/v1/industrial-parks/${A.parkId}/compliance?week=2026-W02`)).status).toBe(404);
      expect((await parkAdmin.agent.get(`/v1/enterprises/${A.enterpriseId}/compliance?week=2026-W02`)).status).toBe(
        404,
      );
      const province = await parkAdmin.agent.get('/v1/workforce/compliance?week=2026-W02').expect(200);
      expect(province.body.parks.map((p: { industrialParkId: string }) => p.industrialParkId)).toEqual([other.parkId]);
      const keys = await A.admin.agent
        .post('/v1/api-keys')
        .set('Idempotency-Key', randomUUID())
        .send({ name: 'Ban quản lý', orgUnitId: other.parkId, scopes: ['compliance:read'] })
        .expect(201);
      const parkKey = () => t.http().set('X-Api-Key', keys.body.key);
      await parkKey().get(`/v1/industrial-parks/${other.parkId}/compliance`).expect(200);
      await parkKey().get(`/v1/enterprises/${other.enterpriseId}/compliance`).expect(200);
      expect((await parkKey().get(`/v1/enterprises/${A.enterpriseId}/compliance`)).status).toBe(404);
      expect(
        (
          await parkKey()
            .put(`/v1/enterprises/${other.enterpriseId}/workers`)
            .send({ workers: [{ workerCode: 'X' }] })
        ).status,
      ).toBe(403);
    });
  });

  describe('weeks in Vietnam time', () => {
    it('a week across New Year: ISO 2025-W52 / 2026-W01, Sunday and Monday apart, never locale weeks', async () => {
      const restore = pinToday(t, '2026-01-07');
      try {
        const org = await createOrg(t, A.admin, A.parkId);
        await putWorkers(org, [{ workerCode: 'X' }, { workerCode: 'Y' }, { workerCode: 'Z' }]);
        const body = await report(t, org, [
          { workerCode: 'X', date: '28/12/2025', minutes: 30, topic: 'A' }, // Sunday: 2025-W52
          { workerCode: 'X', date: '29/12/2025', minutes: 30, topic: 'A' }, // Monday: 2026-W01
          { workerCode: 'Y', date: '2025-12-31', minutes: 30, topic: 'A' }, // Wednesday, still 2025: 2026-W01
          { workerCode: 'Y', date: '2026-01-04', minutes: 30, topic: 'A' }, // Sunday: 2026-W01
          { workerCode: 'Z', date: '2026-01-04T17:30:00Z', minutes: 60, topic: 'A' }, // Monday 00:30 local: 2026-W02
        ]);
        expect(body.weeks).toEqual(['2025-W52', '2026-W01', '2026-W02']);
        const w52 = await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance?week=2025-W52`).expect(200);
        expect(w52.body).toMatchObject({ weekStart: '2025-12-22', weekEnd: '2025-12-28', coveredWorkers: 0 });
        expect(w52.body.shortWorkers.items.find((w: { workerCode: string }) => w.workerCode === 'X').minutes).toBe(30);
        const w01 = await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance?week=2026-W01`).expect(200);
        expect(w01.body).toMatchObject({ weekStart: '2025-12-29', weekEnd: '2026-01-04', coveredWorkers: 1 });
        expect(
          w01.body.shortWorkers.items.map((w: { workerCode: string; minutes: number }) => [w.workerCode, w.minutes]),
        ).toEqual([
          ['Z', 0],
          ['X', 30],
        ]);
        const w02 = await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance?week=2026-W02`).expect(200);
        expect(w02.body.coveredWorkers).toBe(1);
        // PostgreSQL's own ISO week agrees with ours for every stored session date.
        const rows = await ds.query(
          `SELECT DISTINCT to_char(local_date, 'IYYY-"W"IW') AS w FROM training_session WHERE enterprise_id = $1 ORDER BY w`,
          [org.enterpriseId],
        );
        expect(rows.map((r: { w: string }) => r.w)).toEqual(body.weeks);
        const bad = await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance?week=2025-W53`).expect(400);
        expect(bad.body.code).toBe('WEEK_INVALID');
        await org.api().get(`/v1/enterprises/${org.enterpriseId}/compliance?week=2026-W53`).expect(200);
      } finally {
        restore.mockReturnValue(new Date('2026-01-14T05:00:00Z'));
      }
    });
  });

  it('the org unit of an enterprise is a real enterprise unit under its park', async () => {
    const [u] = await ds.query(`SELECT kind, parent_id FROM org_unit WHERE id = $1`, [A.enterpriseId]);
    expect(u).toEqual({ kind: OrgUnitKind.Enterprise, parent_id: A.parkId });
  });
});
