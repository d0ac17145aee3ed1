import { randomUUID } from 'node:crypto';
import { Role } from '@hocso/common';
import { IdempotencyKeyEntity } from '@hocso/database';
import { ApiKeyEntity, type OrgUnitEntity, OrgUnitKind, UserEntity } from '@hocso/identity';
import { createSession, createTestApp, Factories, type Session, type TestApp } from '@hocso/testing';
import { DataSource } from 'typeorm';

describe('Idempotency-Key', () => {
  let t: TestApp;
  let admin: Session;
  let enterprise: OrgUnitEntity;
  let commune: OrgUnitEntity;

  beforeAll(async () => {
    t = await createTestApp();
    const f = new Factories(t);
    const province = await f.province();
    commune = await f.commune(5);
    enterprise = await f.orgUnit(province, OrgUnitKind.Enterprise);
    admin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: province });
  });
  afterAll(() => t.close());

  const keyBody = () => ({ name: 'HRM', orgUnitId: enterprise.id, scopes: ['training-reports:write'] });

  it('same key + same body → the stored first response, once created (Idempotent-Replayed)', async () => {
    const key = randomUUID();
    const first = await admin.agent.post('/v1/api-keys').set('Idempotency-Key', key).send(keyBody()).expect(201);
    // Key order in the body does not matter.
    const { scopes, orgUnitId, name } = keyBody();
    const again = await admin.agent
      .post('/v1/api-keys')
      .set('Idempotency-Key', key)
      .send({ scopes, orgUnitId, name })
      .expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const count = await t.app
      .get(DataSource)
      .getRepository(ApiKeyEntity)
      .countBy({ orgUnitId: enterprise.id, name: 'HRM' });
    expect(count).toBe(1);
  });

  it('concurrent retries of one request create one resource', async () => {
    const key = randomUUID();
    const body = { ...keyBody(), name: 'concurrent' };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => admin.agent.post('/v1/api-keys').set('Idempotency-Key', key).send(body)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses).toContain(201);
    const created = results.filter((r) => r.status === 201).map((r) => r.body.id);
    expect(new Set(created).size).toBe(1);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    const count = await t.app.get(DataSource).getRepository(ApiKeyEntity).countBy({ name: 'concurrent' });
    expect(count).toBe(1);
  });

  it('same key + different body → 422', async () => {
    const key = randomUUID();
    await admin.agent.post('/v1/api-keys').set('Idempotency-Key', key).send(keyBody()).expect(201);
    const res = await admin.agent
      .post('/v1/api-keys')
      .set('Idempotency-Key', key)
      .send({ ...keyBody(), name: 'other' })
      .expect(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('a retry while the first is still in flight → 409 with Retry-After', async () => {
    // Freeze a request mid-flight: run it, then put its row back into the in_progress state the
    // interceptor holds while the handler runs.
    const key = randomUUID();
    await admin.agent.post('/v1/api-keys').set('Idempotency-Key', key).send(keyBody()).expect(201);
    const repo = t.app.get(DataSource).getRepository(IdempotencyKeyEntity);
    await repo.update({ scope: `user:${admin.user.id}`, key }, { state: 'in_progress' });
    const res = await admin.agent.post('/v1/api-keys').set('Idempotency-Key', key).send(keyBody()).expect(409);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    expect(res.headers['retry-after']).toBe('1');
  });

  it('a first attempt that died mid-flight (its lease over) is taken over by the retry, which runs once', async () => {
    // The first attempt's row, left in_progress a minute ago by a process (or database) that died
    // before it could complete or remove it.
    const key = randomUUID();
    const body = keyBody();
    await admin.agent.post('/v1/api-keys').set('Idempotency-Key', key).send(body).expect(201);
    const repo = t.app.get(DataSource).getRepository(IdempotencyKeyEntity);
    const scope = `user:${admin.user.id}`;
    await repo.query(
      `UPDATE idempotency_key SET state = 'in_progress', response_status = NULL, response_body = NULL,
         created_at = now() - interval '1 minute' WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    const retry = await admin.agent.post('/v1/api-keys').set('Idempotency-Key', key).send(body).expect(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await repo.findOneByOrFail({ scope, key })).toMatchObject({ state: 'completed', responseStatus: 201 });
    // From now on the stored answer is replayed.
    const replay = await admin.agent.post('/v1/api-keys').set('Idempotency-Key', key).send(body).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(retry.body);
  });

  it('a missing key where the route requires one → 400 naming the header; an over-long key → 400', async () => {
    const res = await admin.agent.post('/v1/api-keys').send(keyBody()).expect(400);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    await admin.agent.post('/v1/api-keys').set('Idempotency-Key', 'k'.repeat(256)).send(keyBody()).expect(400);
  });

  it('a failed request stores nothing, so the corrected retry may reuse the key', async () => {
    const key = randomUUID();
    await admin.agent
      .post('/v1/api-keys')
      .set('Idempotency-Key', key)
      .send({ ...keyBody(), scopes: ['nope'] })
      .expect(400);
    await admin.agent.post('/v1/api-keys').set('Idempotency-Key', key).send(keyBody()).expect(201);
  });

  it('keys are scoped to the caller: another admin’s identical key runs independently', async () => {
    const key = randomUUID();
    const other = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: await new Factories(t).province() });
    const a = await admin.agent.post('/v1/api-keys').set('Idempotency-Key', key).send(keyBody()).expect(201);
    const b = await other.agent.post('/v1/api-keys').set('Idempotency-Key', key).send(keyBody()).expect(201);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('optional on user creation: with a key, a retried POST /v1/users creates one user', async () => {
    const key = randomUUID();
    const body = {
      email: 'idem@thainguyen.gov.vn',
      password: 'Một lần thôi nhé',
      fullName: 'Vũ Thị Hạnh',
      orgUnitId: commune.id,
      roles: ['official'],
    };
    const first = await admin.agent.post('/v1/users').set('Idempotency-Key', key).send(body).expect(201);
    const second = await admin.agent.post('/v1/users').set('Idempotency-Key', key).send(body).expect(201);
    expect(second.body.id).toBe(first.body.id);
    expect(await t.app.get(DataSource).getRepository(UserEntity).countBy({ email: 'idem@thainguyen.gov.vn' })).toBe(1);
  });

  it('stored responses are kept at least 24 hours', async () => {
    const repo = t.app.get(DataSource).getRepository(IdempotencyKeyEntity);
    const key = randomUUID();
    await admin.agent.post('/v1/api-keys').set('Idempotency-Key', key).send(keyBody()).expect(201);
    const row = await repo.findOneByOrFail({ key });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThanOrEqual(24 * 3600_000 - 5000);
  });
});
