import { randomUUID } from 'node:crypto';
import { Role } from '@hocso/common';
import { IdempotencyKeyEntity } from '@hocso/database';
import { RefreshTokenEntity } from '@hocso/identity';
import { JobName, QueueName, QueueService } from '@hocso/queue';
import { createTestApp, describeWithServices, Factories, type TestApp, waitForJob } from '@hocso/testing';
import { DataSource } from 'typeorm';

async function seedExpiredRows(t: TestApp) {
  const ds = t.app.get(DataSource);
  const user = await new Factories(t).user({ roles: [Role.Learner] });
  const past = new Date(Date.now() - 60_000);
  const future = new Date(Date.now() + 3600_000);
  await ds.getRepository(RefreshTokenEntity).insert([
    { userId: user.id, familyId: randomUUID(), tokenHash: randomUUID(), expiresAt: past },
    { userId: user.id, familyId: randomUUID(), tokenHash: randomUUID(), expiresAt: future },
  ]);
  const idem = { method: 'POST', path: '/x', requestHash: 'h', state: 'completed' as const };
  await ds.getRepository(IdempotencyKeyEntity).insert([
    { ...idem, scope: 's', key: randomUUID(), expiresAt: past },
    { ...idem, scope: 's', key: randomUUID(), expiresAt: past },
    { ...idem, scope: 's', key: randomUUID(), expiresAt: future },
  ]);
  // Invitations: revoked 40 days ago (purged), revoked yesterday and a live one (both kept).
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
  await ds.query(
    `INSERT INTO account_invitation (user_id, channel, expires_at, revoked_at) VALUES
       ($1, 'email', $2, $2), ($1, 'email', $3, $4), ($1, 'sms', $3, NULL)`,
    [user.id, daysAgo(40), future, daysAgo(1)],
  );
  return { userId: user.id };
}

export async function roundTrip(t: TestApp) {
  const { userId } = await seedExpiredRows(t);
  const queues = t.app.get(QueueService);
  const job = await queues.add(JobName.PurgeExpired, {}, { jobId: `purge-${randomUUID()}` });
  const result = await waitForJob<{ idempotencyKeys: number; refreshTokens: number }>(
    queues.queue(QueueName.Maintenance),
    job.id as string,
  );
  expect(result).toMatchObject({
    idempotencyKeys: 2,
    refreshTokens: 1,
    invitations: 1,
    ltiStates: 0,
    progressEvents: 0,
    xapiStatements: 0,
  });
  const ds = t.app.get(DataSource);
  expect(await ds.getRepository(RefreshTokenEntity).countBy({ userId })).toBe(1);
  expect(await ds.getRepository(IdempotencyKeyEntity).countBy({ scope: 's' })).toBe(1);
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM account_invitation WHERE user_id = $1`, [userId]);
  expect(n).toBe(2);
}

describeWithServices('BullMQ on Redis: a job round trip through the worker', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ worker: true });
  });
  afterAll(() => t.close());

  it('uses Redis', () => {
    expect(t.app.get(QueueService).backendKind).toBe('redis');
  });

  it('purge-expired deletes expired rows and only those', () => roundTrip(t));

  it('readiness reports the queue', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body.checks.queue).toMatchObject({ backend: 'redis', ok: true });
    expect(res.body.checks.database.ok).toBe(true);
  });

  it('a repeating purge is scheduled hourly, in Vietnam time', async () => {
    const schedulers = await t.app.get(QueueService).queue(QueueName.Maintenance).getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toContainEqual([
      'purge-expired-hourly',
      '7 * * * *',
      'Asia/Ho_Chi_Minh',
    ]);
  });
});

describeWithServices('BullMQ on PostgreSQL (no REDIS_URL): the same round trip', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ worker: true, mode: 'postgres-queue' });
  });
  afterAll(() => t.close());

  it('uses the PostgreSQL backend', () => {
    expect(t.app.get(QueueService).backendKind).toBe('postgres');
  });

  it('purge-expired deletes expired rows and only those', () => roundTrip(t));
});
