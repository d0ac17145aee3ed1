import { Role } from '@hocso/common';
import { createTestApp, describeWithServices, Factories, TEST_PASSWORD, type TestApp } from '@hocso/testing';

/** Login brakes (ASVS 6.3.1) — on Redis, shared by every api process. */
describeWithServices('login throttling per account and per IP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_ATTEMPTS_PER_IP: '12', LOGIN_WINDOW_SECONDS: '2' },
    });
  });
  afterAll(() => t.close());

  const login = (identifier: string, password: string, ip = '203.0.113.7') =>
    t.http().post('/v1/auth/login').set('X-Forwarded-For', ip).send({ identifier, password });

  it('runs on the Redis-backed limiter when REDIS_URL is set', () => {
    expect(t.config.redis.url).toBeTruthy();
  });

  it('after N failures for one account → 429 with Retry-After, even with the right password; released after the window', async () => {
    const user = await new Factories(t).user({ roles: [Role.Learner], email: 'victim@example.vn' });
    for (let i = 0; i < 3; i++) expect((await login(user.email as string, 'sai mật khẩu')).status).toBe(401);
    const blocked = await login(user.email as string, TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Not a permanent lock-out: after the window the owner signs in.
    await new Promise((r) => setTimeout(r, 2100));
    expect((await login(user.email as string, TEST_PASSWORD)).status).toBe(200);
  });

  it('a success resets the account’s failure count', async () => {
    const user = await new Factories(t).user({ roles: [Role.Learner] });
    await login(user.email as string, 'sai').expect(401);
    await login(user.email as string, 'sai').expect(401);
    await login(user.email as string, TEST_PASSWORD).expect(200);
    await login(user.email as string, 'sai').expect(401);
    await login(user.email as string, 'sai').expect(401);
    await login(user.email as string, TEST_PASSWORD).expect(200);
  });

  it('spraying many accounts from one IP is stopped per IP (unknown accounts included)', async () => {
    await new Promise((r) => setTimeout(r, 2100));
    const responses = [];
    for (let i = 0; i < 14; i++) responses.push(await login(`spray${i}@example.vn`, 'password123'));
    const statuses = responses.map((r) => r.status);
    expect(statuses.slice(0, 12).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(12)).toEqual([429, 429]);
    // The per-IP 429 tells the client when to come back too (SC3), within the window.
    for (const blocked of responses.slice(12)) {
      expect(blocked.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(blocked.body.code).toBe('TOO_MANY_ATTEMPTS');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(2);
    }
  });

  it('X-Forwarded-For from an untrusted hop does not reset the IP counter', async () => {
    await new Promise((r) => setTimeout(r, 2100));
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++)
      statuses.push((await login(`xff${i}@example.vn`, 'password123', `198.51.100.${i}`)).status);
    expect(statuses.slice(12)).toEqual([429, 429]);
  });
});
