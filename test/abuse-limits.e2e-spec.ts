import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Role } from '@hocso/common';
import {
  createSession,
  createTestApp,
  describeWithServices,
  Factories,
  type Session,
  type TestApp,
} from '@hocso/testing';
import { Redis } from 'ioredis';
import type request from 'supertest';
import { DataSource } from 'typeorm';
import { ABUSE_POLICY } from '../apps/api/src/http/abuse-policy';
import { RouteIndex } from '../apps/api/src/http/route-index';
import { createOrg, type Org } from './fixtures/workforce-setup';

/**
 * Issue 11 item 6, RELIABILITY SC3/SC8/SC11: the abuse policy with production-like (small) budgets
 * on Redis — the N+1-th request is 429 problem+json with Retry-After, counters are per IP, account
 * and API key (one tenant's burst does not throttle another), bodies over a route's cap are 413,
 * CSV over the row limit is refused naming it with nothing stored, and slow requests are cut off.
 */

interface Problem {
  code: string;
  status: number;
  detail: string;
  limit?: string;
  per?: string;
  limitBytes?: number;
  errors?: Array<{ field: string; message: string }>;
}

const problemOf = (res: request.Response): Problem => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.body as Problem;
};

const expectThrottled = (res: request.Response, limit: string, per: string) => {
  expect(res.status).toBe(429);
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(problemOf(res)).toMatchObject({ status: 429, code: 'RATE_LIMITED', limit, per });
};

describeWithServices('abuse limits: rate limits, body caps, CSV limits', () => {
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        // The requests come "through a proxy" on loopback: X-Forwarded-For names the client.
        TRUST_PROXY: '127.0.0.1/8,::1/128',
        CORS_ORIGINS: 'https://hocso.example.vn',
        RATE_LIMIT_MULTIPLIER: '1',
        RATE_LIMIT_REGISTER_PER_IP: '3/600',
        RATE_LIMIT_PROGRESS_PER_ACCOUNT: '3/600',
        RATE_LIMIT_PROGRESS_PER_IP: '8/600',
        RATE_LIMIT_REPORTS_PER_KEY: '2/600',
        RATE_LIMIT_REPORTS_PER_IP: '100/600',
        RATE_LIMIT_ENROL_PER_ACCOUNT: '2/600',
        RATE_LIMIT_COHORT_JOIN_PER_ACCOUNT: '2/600',
        RATE_LIMIT_ATTENDANCE_PER_ACCOUNT: '2/600',
        CONTENT_API_RATE_PER_MINUTE: '2',
        CONTENT_API_ANON_RATE_PER_MINUTE: '2',
        RATE_LIMIT_VERIFY_PER_IP: '2/600',
        RATE_LIMIT_PUBLIC_PAGES_PER_IP: '3/600',
      },
    });
    ds = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('every route of the policy table exists (a renamed route cannot silently lose its limits)', () => {
    const routes = new Set(t.app.get(RouteIndex).list());
    expect(ABUSE_POLICY.map((p) => p.route).filter((r) => !routes.has(r))).toEqual([]);
  });

  describe('per IP: registration', () => {
    const register = (ip: string, spoofed?: string) =>
      t
        .http()
        .post('/v1/auth/register')
        .set('X-Forwarded-For', spoofed ? `${spoofed}, ${ip}` : ip)
        .send({
          email: `r-${randomUUID()}@example.vn`,
          password: 'Mật khẩu đủ dài 2026',
          fullName: 'Nguyễn Văn Đăng Ký',
          consents: { learning: true },
        });

    it('the 4th sign-up from one IP → 429; the client’s own X-Forwarded-For entries do not reset it; another IP is unaffected', async () => {
      for (let i = 0; i < 3; i++) expect((await register('203.0.113.10', `10.0.0.${i}`)).status).toBe(201);
      expectThrottled(await register('203.0.113.10', '10.0.0.99'), 'registerPerIp', 'ip');
      expectThrottled(await register('203.0.113.10'), 'registerPerIp', 'ip');
      // Nothing was created by the refused requests.
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM app_user WHERE email LIKE 'r-%@example.vn'`);
      expect(n).toBe(3);
      expect((await register('203.0.113.11')).status).toBe(201);
    });

    it('counters live in Redis (every api process shares them)', async () => {
      const redis = new Redis(t.config.redis.url as string);
      try {
        const keys = await redis.keys(`${t.config.redis.prefix}:abuse:registerPerIp:*`);
        expect(keys).toEqual(expect.arrayContaining([`${t.config.redis.prefix}:abuse:registerPerIp:203.0.113.10`]));
      } finally {
        redis.disconnect();
      }
    });

    it('IPv6 clients are counted per /64 (rotating addresses inside one subscriber prefix does not help)', async () => {
      for (let i = 1; i <= 3; i++) expect((await register(`2001:db8:1:2::${i}`)).status).toBe(201);
      expectThrottled(await register('2001:db8:1:2:ffff::9'), 'registerPerIp', 'ip');
      expect((await register('2001:db8:1:3::1')).status).toBe(201);
    });
  });

  describe('per account and per IP: progress events', () => {
    const batch = () => ({
      events: [
        {
          eventId: randomUUID(),
          type: 'heartbeat',
          courseSlug: 'khong-co',
          lessonId: randomUUID(),
          occurredAt: new Date().toISOString(),
          seconds: 30,
        },
      ],
    });
    const send = (s: Session, ip: string) =>
      s.agent.post('/v1/progress-events').set('X-Forwarded-For', ip).send(batch());

    it('a learner’s 4th batch → 429 per account; another learner on the same IP goes on', async () => {
      const a = await createSession(t, { roles: [Role.Learner] });
      const b = await createSession(t, { roles: [Role.Learner] });
      for (let i = 0; i < 3; i++) expect((await send(a, '198.51.100.1')).status).toBe(200);
      // From a page on an allowed origin: the browser may read the 429 and its Retry-After.
      const limited = await send(a, '198.51.100.1').set('Origin', 'https://hocso.example.vn');
      expectThrottled(limited, 'progressPerAccount', 'account');
      expect(limited.headers['access-control-allow-origin']).toBe('https://hocso.example.vn');
      expect(limited.headers['access-control-expose-headers']).toContain('Retry-After');
      // A different IP does not give the account a new budget.
      expectThrottled(await send(a, '198.51.100.2'), 'progressPerAccount', 'account');
      expect((await send(b, '198.51.100.1')).status).toBe(200);
    });

    it('many learners behind one IP share that IP’s budget: the 9th batch → 429 per IP; other IPs unaffected', async () => {
      const learners = await Promise.all([0, 1, 2, 3, 4].map(() => createSession(t, { roles: [Role.Learner] })));
      const statuses: number[] = [];
      for (const s of learners.slice(0, 4))
        for (let i = 0; i < 2; i++) statuses.push((await send(s, '198.51.100.50')).status);
      expect(statuses).toEqual(Array(8).fill(200));
      const limited = await send(learners[4], '198.51.100.50').set('Origin', 'https://hocso.example.vn');
      expectThrottled(limited, 'progressPerIp', 'ip');
      expect(limited.headers['access-control-allow-origin']).toBe('https://hocso.example.vn');
      expect((await send(learners[4], '198.51.100.51')).status).toBe(200);
    });
  });

  describe('per API key: training reports', () => {
    let A: Org;
    let B: Org;
    beforeAll(async () => {
      A = await createOrg(t);
      B = await createOrg(t, A.admin);
    });
    const submit = (org: Org) =>
      org
        .api()
        .post(`/v1/enterprises/${org.enterpriseId}/training-reports`)
        .set('X-Forwarded-For', '192.0.2.7') // one HR provider sending for both enterprises
        .set('Idempotency-Key', randomUUID())
        .send({ sessions: [{ workerCode: 'NV001', date: '2026-01-05', minutes: 60, topic: 'An toàn thông tin' }] });
    const stored = async (org: Org) =>
      (await ds.query(`SELECT count(*)::int AS n FROM training_report WHERE enterprise_id = $1`, [org.enterpriseId]))[0]
        .n as number;

    it('the 3rd report of a key → 429 naming apiKey, nothing stored; the other enterprise’s key is unaffected', async () => {
      expect((await submit(A)).status).toBe(202);
      expect((await submit(A)).status).toBe(202);
      expectThrottled(await submit(A), 'reportsPerKey', 'apiKey');
      expect(await stored(A)).toBe(2);
      expect((await submit(B)).status).toBe(202);
      expect(await stored(B)).toBe(1);
    });

    it('a manager uploading on the web counts against their own account, not the spent key', async () => {
      const res = await A.admin.agent
        .post(`/v1/enterprises/${A.enterpriseId}/training-reports`)
        .set('X-Forwarded-For', '192.0.2.7')
        .set('Idempotency-Key', randomUUID())
        .send({ sessions: [{ workerCode: 'NV001', date: '2026-01-05', minutes: 60, topic: 'An toàn' }] });
      expect(res.status).toBe(202);
      expect(await stored(A)).toBe(3);
    });
  });

  describe('per account: enrolments, cohort join codes, attendance saves', () => {
    const cases: Array<[string, (s: Session) => request.Test]> = [
      ['enrolPerAccount', (s) => s.agent.post('/v1/enrollments').send({ courseSlug: 'khong-co-khoa-nay' })],
      ['cohortJoinPerAccount', (s) => s.agent.post('/v1/cohorts/join').send({ code: 'SAI-MA-1' })],
      [
        'attendancePerAccount',
        (s) =>
          s.agent
            .put(`/v1/cohorts/${randomUUID()}/sessions/${randomUUID()}/attendance`)
            .send({ records: [{ userId: randomUUID(), status: 'present' }] }),
      ],
    ];
    it.each(cases)(
      '%s: the 3rd call → 429 (whatever the first two answered); another account goes on',
      async (limit, call) => {
        const a = await createSession(t, { roles: [Role.Learner, Role.Trainer] });
        const b = await createSession(t, { roles: [Role.Learner, Role.Trainer] });
        for (let i = 0; i < 2; i++) expect((await call(a)).status).not.toBe(429);
        expectThrottled(await call(a), limit, 'account');
        expect((await call(b)).status).not.toBe(429);
      },
    );
  });

  describe('content API: per integrator key, per IP without one', () => {
    let keys: string[];
    beforeAll(async () => {
      const admin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: await new Factories(t).province() });
      keys = [];
      for (const name of ['Cổng xã A', 'Cổng xã B']) {
        const created = await admin.agent
          .post('/v1/integrators')
          .send({ name, contactEmail: 'cntt@example.vn', allowedOrigins: ['https://a.example.vn'] })
          .expect(201);
        const key = await admin.agent
          .post(`/v1/integrators/${created.body.id}/api-keys`)
          .set('Idempotency-Key', randomUUID())
          .send({ name: 'Máy chủ', scopes: ['content:read'] })
          .expect(201);
        keys.push(key.body.key);
      }
    });
    const read = (ip: string, key?: string) => {
      const r = t.http().get('/v1/content/materials').set('X-Forwarded-For', ip);
      return key ? r.set('X-Api-Key', key) : r;
    };

    it('one integrator’s burst does not throttle another; anonymous callers are counted per IP', async () => {
      for (let i = 0; i < 2; i++) expect((await read('192.0.2.20', keys[0])).status).toBe(200);
      const limited = await read('192.0.2.21', keys[0]);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(problemOf(limited).code).toBe('RATE_LIMITED');
      expect((await read('192.0.2.20', keys[1])).status).toBe(200);

      for (let i = 0; i < 2; i++) expect((await read('192.0.2.30')).status).toBe(200);
      expect((await read('192.0.2.30')).status).toBe(429);
      expect((await read('192.0.2.31')).status).toBe(200);
    });
  });

  describe('per IP: anonymous verification and public pages (SC11)', () => {
    it('the 3rd credential verification from one IP → 429 per IP (whatever the first two answered); another IP goes on', async () => {
      const verify = (ip: string) =>
        t.http().post('/v1/credentials/verify').set('X-Forwarded-For', ip).send({ credential: 'not.a.jwt' });
      for (const _ of [1, 2]) expect((await verify('198.51.100.21')).status).toBeLessThan(429);
      expectThrottled(await verify('198.51.100.21'), 'verifyPerIp', 'ip');
      expect((await verify('198.51.100.22')).status).toBeLessThan(429);
    });

    it('walking certificate ids or profile handles: the 4th public page from one IP → 429; the budget is shared', async () => {
      const ip = '198.51.100.31';
      const page = (path: string, from = ip) => t.http().get(path).set('X-Forwarded-For', from);
      expect((await page(`/verify/${randomUUID()}`)).status).toBe(404);
      expect((await page(`/verify/${randomUUID()}`)).status).toBe(404);
      expect((await page('/v1/public-profiles/nguoi-khong-co')).status).toBe(404);
      expectThrottled(await page('/v1/public-profiles/nguoi-khong-co'), 'publicPagesPerIp', 'ip');
      expectThrottled(await page(`/verify/${randomUUID()}`), 'publicPagesPerIp', 'ip');
      expect((await page(`/verify/${randomUUID()}`, '198.51.100.32')).status).toBe(404);
    });

    it('a verification body over 64 KB → 413 naming the cap', async () => {
      const res = await t
        .http()
        .post('/v1/credentials/verify')
        .set('X-Forwarded-For', '198.51.100.41')
        .send({ credential: 'x'.repeat(70 * 1024) });
      expect(res.status).toBe(413);
      expect(problemOf(res).limitBytes).toBe(64 * 1024);
    });
  });

  describe('pagination maximum (SC11)', () => {
    it.each([
      ['/v1/courses', 'anonymous'],
      ['/v1/users', 'admin'],
      ['/v1/api-keys', 'admin'],
    ])('%s?limit=101 → 400 naming limit; 100 is served (%s)', async (path, who) => {
      const province = await new Factories(t).province();
      const agent =
        who === 'admin' ? (await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: province })).agent : t.http();
      const res = await agent.get(`${path}?limit=101`).set('X-Forwarded-For', '198.51.100.51');
      expect(res.status).toBe(400);
      expect(problemOf(res).errors).toContainEqual(expect.objectContaining({ field: 'limit' }));
      const ok = await agent.get(`${path}?limit=100`).set('X-Forwarded-For', '198.51.100.51');
      expect(ok.status).toBe(200);
    });
  });

  describe('body caps (413 problem+json naming the cap)', () => {
    it('a sign-in body over 16 KB → 413 before anything else runs', async () => {
      const res = await t
        .http()
        .post('/v1/auth/login')
        .send({ identifier: 'a@example.vn', password: 'x'.repeat(20_000) });
      expect(res.status).toBe(413);
      expect(problemOf(res)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limitBytes: 16 * 1024 });
    });

    it('a report announcing more than 20 MB is refused from its Content-Length, without reading the body', async () => {
      const org = await createOrg(t);
      const head =
        `POST /v1/enterprises/${org.enterpriseId}/training-reports HTTP/1.1\r\nHost: localhost\r\n` +
        `X-Api-Key: ${org.key}\r\nIdempotency-Key: ${randomUUID()}\r\nContent-Type: text/csv\r\n` +
        `Content-Length: ${30 * 1024 * 1024}\r\n\r\n`;
      const answer = await rawExchange(t, head, []);
      expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer.text).toContain('"code":"PAYLOAD_TOO_LARGE"');
      expect(answer.text).toContain(`"limitBytes":${20 * 1024 * 1024}`);
      expect(answer.closed).toBe(true); // not left open to drain 30 MB
    });
  });

  describe('CSV row limit', () => {
    it('a report CSV of 100,001 rows → 413 naming the file; nothing stored', async () => {
      const org = await createOrg(t);
      const rows = ['Mã NV;Ngày;Số phút;Nội dung'];
      for (let i = 0; i <= 100_000; i++) rows.push(`NV${i};05/01/2026;30;An toàn`);
      const res = await org
        .api()
        .post(`/v1/enterprises/${org.enterpriseId}/training-reports`)
        .set('Idempotency-Key', randomUUID())
        .set('Content-Type', 'text/csv')
        .send(rows.join('\r\n'));
      expect(res.status).toBe(413);
      const problem = problemOf(res);
      expect(problem.code).toBe('PAYLOAD_TOO_LARGE');
      expect(problem.errors?.[0].field).toBe('file');
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM training_report WHERE enterprise_id = $1`, [
        org.enterpriseId,
      ]);
      expect(n).toBe(0);
    });

    it('a roster CSV of 2,001 people → 400 ROSTER_TOO_LARGE ("at most 2,000"), refused before any lookup', async () => {
      const trainer = await createSession(t, { roles: [Role.Trainer] });
      const rows = ['Họ và tên;Email'];
      for (let i = 0; i <= 2000; i++) rows.push(`Người ${i};n${i}@example.vn`);
      const before = (await ds.query(`SELECT count(*)::int AS n FROM app_user`))[0].n as number;
      const res = await trainer.agent
        .post(`/v1/cohorts/${randomUUID()}/members`)
        .set('Content-Type', 'text/csv')
        .send(rows.join('\r\n'));
      expect(res.status).toBe(400);
      const problem = problemOf(res);
      expect(problem.code).toBe('ROSTER_TOO_LARGE');
      expect(problem.detail).toContain('2.000');
      expect(problem.errors?.[0].field).toBe('file');
      expect((await ds.query(`SELECT count(*)::int AS n FROM app_user`))[0].n).toBe(before);
    });

    it('a roster upload over 2 MB → 413 naming the 2 MB cap', async () => {
      const trainer = await createSession(t, { roles: [Role.Trainer] });
      const res = await trainer.agent
        .post(`/v1/cohorts/${randomUUID()}/members`)
        .attach('file', Buffer.alloc(2 * 1024 * 1024 + 200 * 1024, 'a'), {
          filename: 'ds.csv',
          contentType: 'text/csv',
        });
      expect(res.status).toBe(413);
      expect(problemOf(res)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limitBytes: 2 * 1024 * 1024 });
    });
  });
});

describeWithServices('abuse limits: slow requests are cut off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { HTTP_HEADERS_TIMEOUT_SECONDS: '1', HTTP_REQUEST_TIMEOUT_SECONDS: '2' } });
  });
  afterAll(() => t.close());

  it('headers trickled a line at a time (slowloris) → 408 problem+json and the connection closed', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `X-Slow-${i}: a\r\n`);
    const answer = await rawExchange(t, 'POST /v1/auth/login HTTP/1.1\r\nHost: localhost\r\n', lines);
    expect(answer.closed).toBe(true);
    expect(answer.linesSent).toBeLessThan(lines.length); // cut off, not waited for
    expect(answer.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer.text).toContain('application/problem+json');
    expect(answer.text).toContain('"code":"REQUEST_TIMEOUT"');
  });

  it('a body trickled a byte at a time → 408 and the connection closed; normal requests still served', async () => {
    const head =
      'POST /v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n';
    const answer = await rawExchange(t, head, Array(60).fill(' '));
    expect(answer.closed).toBe(true);
    expect(answer.linesSent).toBeLessThan(60);
    expect(answer.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer.text).toContain('"code":"REQUEST_TIMEOUT"');
    await t.http().get('/health/live').expect(200);
  });

  it('a connection that sends nothing at all is closed too', async () => {
    const answer = await rawExchange(t, '', Array(60).fill(''));
    expect(answer.closed).toBe(true);
    expect(answer.linesSent).toBeLessThan(60);
  });
});

/**
 * Opens a raw TCP connection to the app, writes `head`, then one chunk of `drip` every 200 ms until
 * the server answers and closes (or the chunks run out, ~12 s). Returns what came back.
 */
async function rawExchange(
  t: TestApp,
  head: string,
  drip: string[],
): Promise<{ text: string; closed: boolean; linesSent: number }> {
  const server = t.app.getHttpServer();
  if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  const socket: Socket = connect(port, '127.0.0.1');
  let text = '';
  let closed = false;
  let linesSent = 0;
  socket.on('data', (d) => {
    text += d.toString('utf8');
  });
  socket.on('error', () => undefined);
  const ended = new Promise<void>((r) => socket.on('close', () => r()));
  socket.on('close', () => {
    closed = true;
  });
  await new Promise<void>((r) => socket.on('connect', () => r()));
  if (head) socket.write(head);
  for (const chunk of drip) {
    await Promise.race([ended, new Promise((r) => setTimeout(r, 200))]);
    if (closed) break;
    if (chunk) socket.write(chunk);
    linesSent++;
  }
  if (!closed) await Promise.race([ended, new Promise((r) => setTimeout(r, 3000))]);
  if (!closed) socket.destroy();
  return { text, closed, linesSent };
}
