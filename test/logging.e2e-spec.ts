import { randomBytes, randomUUID } from 'node:crypto';
import { Role } from '@hocso/common';
import { OrgUnitKind } from '@hocso/identity';
import { createSession, createTestApp, Factories, type Session, TEST_PASSWORD, type TestApp } from '@hocso/testing';

/**
 * SC14 (ASVS 16.3.1, 16.3.2, 16.5.1): sign-ins, failed sign-ins and denied authorizations leave a
 * structured entry saying who, what, when and where; no credential ever reaches the logs. The api
 * runs with its real logger (pino, LOG_LEVEL info) writing into an array instead of stdout.
 */
describe('structured security logs', () => {
  let t: TestApp;
  let admin: Session;
  let learner: Session;
  let apiKey: string;
  const wrongPassword = `sai-mat-khau-${randomBytes(8).toString('hex')}`;
  const entries = (event: string) => t.logs.filter((e) => e.event === event);

  beforeAll(async () => {
    t = await createTestApp({ captureLogs: true });
    const f = new Factories(t);
    const province = await f.province();
    const park = await f.orgUnit(province, OrgUnitKind.IndustrialPark, 'KCN Nhật ký');
    const enterprise = await f.orgUnit(park, OrgUnitKind.Enterprise, 'Công ty Nhật ký');
    admin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: province });
    learner = await createSession(t, { roles: [Role.Learner] });
    const key = await admin.agent
      .post('/v1/api-keys')
      .set('Idempotency-Key', randomUUID())
      .send({ name: 'Nhật ký', orgUnitId: enterprise.id, scopes: ['workers:write'] })
      .expect(201);
    apiKey = key.body.key;
    await t.http().get('/v1/api-keys/self').set('X-Api-Key', apiKey).expect(200);
  });
  afterAll(() => t.close());

  it('a failed sign-in: who (account id), what, when, where (IP and route)', async () => {
    const started = Date.now();
    await t
      .http()
      .post('/v1/auth/login')
      .set('X-Request-Id', 'log-failed-login')
      .send({ identifier: learner.user.email, password: wrongPassword })
      .expect(401);
    const entry = entries('login.failure').find((e) => e.account === learner.user.id);
    expect(entry).toMatchObject({ level: 40, account: learner.user.id, ip: expect.stringMatching(/127\.0\.0\.1/) });
    expect(entry?.time).toEqual(expect.any(Number));
    expect(entry?.time as number).toBeGreaterThanOrEqual(started - 1000);
    expect(entry?.req).toMatchObject({ id: 'log-failed-login', method: 'POST', url: '/v1/auth/login' });
  });

  it('a successful sign-in: who, what, when, where', async () => {
    const started = Date.now();
    const res = await t
      .http()
      .post('/v1/auth/login')
      .set('X-Request-Id', 'log-good-login')
      .send({ identifier: learner.user.email, password: TEST_PASSWORD })
      .expect(200);
    const entry = entries('login.success').find((e) => (e.req as { id?: string })?.id === 'log-good-login');
    expect(entry).toMatchObject({ level: 30, account: learner.user.id, ip: expect.stringMatching(/127\.0\.0\.1/) });
    expect(entry?.time as number).toBeGreaterThanOrEqual(started - 1000);
    expect(entry?.req).toMatchObject({ method: 'POST', url: '/v1/auth/login' });
    // The pair is used below, so the "no secrets" check covers it too.
    await t.http().post('/v1/auth/refresh').send({ refreshToken: res.body.refreshToken }).expect(200);
  });

  it('a denied authorization (403): the actor, the route and the IP', async () => {
    await learner.agent.get('/v1/api-keys').set('X-Request-Id', 'log-denied').expect(403);
    const entry = entries('access.denied').find((e) => e.requestId === 'log-denied');
    expect(entry).toMatchObject({
      level: 40,
      status: 403,
      actor: learner.user.id,
      actorKind: 'user',
      ip: expect.stringMatching(/127\.0\.0\.1/),
      method: 'GET',
      route: '/v1/api-keys',
      time: expect.any(Number),
    });
    // A 401 has no actor yet, but still says where.
    await t.http().get('/v1/api-keys').set('X-Request-Id', 'log-anonymous').expect(401);
    expect(entries('access.denied').find((e) => e.requestId === 'log-anonymous')).toMatchObject({
      status: 401,
      actor: null,
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });
  });

  it('no Bearer token, refresh token, API key or password in any line; credential headers redacted', async () => {
    await admin.agent.post('/v1/auth/logout').send({ refreshToken: admin.refreshToken });
    const secrets = {
      adminAccess: admin.accessToken,
      learnerAccess: learner.accessToken,
      adminRefresh: admin.refreshToken,
      learnerRefresh: learner.refreshToken,
      apiKey,
      apiKeySecret: apiKey.slice(16),
      password: TEST_PASSWORD,
      wrongPassword,
    };
    expect(t.logLines.length).toBeGreaterThan(10);
    for (const [name, secret] of Object.entries(secrets)) {
      const leaks = t.logLines.filter((line) => line.includes(secret));
      expect({ name, leaks }).toEqual({ name, leaks: [] });
    }
    // The request logs (pino-http) keep the header, redacted, so a reader sees one was sent.
    const withBearer = t.logLines.filter((l) => l.includes('"authorization":"[Redacted]"'));
    const withKey = t.logLines.filter((l) => l.includes('"x-api-key":"[Redacted]"'));
    expect(withBearer.length).toBeGreaterThan(0);
    expect(withKey.length).toBeGreaterThan(0);
  });
});
