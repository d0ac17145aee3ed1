import { randomUUID } from 'node:crypto';
import { Role } from '@hocso/common';
import { ApiKeyEntity, type OrgUnitEntity, OrgUnitKind } from '@hocso/identity';
import { createSession, createTestApp, Factories, type Session, type TestApp } from '@hocso/testing';
import { DataSource } from 'typeorm';

describe('API keys for enterprises and integrators', () => {
  let t: TestApp;
  let admin: Session;
  let enterprise: OrgUnitEntity;
  let integrator: OrgUnitEntity;

  beforeAll(async () => {
    t = await createTestApp();
    const f = new Factories(t);
    const province = await f.province();
    const park = await f.orgUnit(province, OrgUnitKind.IndustrialPark, 'KCN Sông Công II');
    enterprise = await f.orgUnit(park, OrgUnitKind.Enterprise, 'Công ty May Sông Công');
    integrator = await f.orgUnit(province, OrgUnitKind.Integrator, 'Cổng học tập Đại học Thái Nguyên');
    admin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: province });
  });
  afterAll(() => t.close());

  const create = (body: object, key = randomUUID()) =>
    admin.agent.post('/v1/api-keys').set('Idempotency-Key', key).send(body);

  it('creates a key: the secret is shown once and stored only as a hash', async () => {
    const res = await create({
      name: 'Hệ thống nhân sự',
      orgUnitId: enterprise.id,
      scopes: ['training-reports:write'],
    }).expect(201);
    expect(res.body.key).toMatch(/^hk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(res.body.prefix).toBe(res.body.key.slice(0, 15));
    const row = await t.app
      .get(DataSource)
      .getRepository(ApiKeyEntity)
      .createQueryBuilder('k')
      .addSelect('k.secretHash')
      .where('k.id = :id', { id: res.body.id })
      .getOneOrFail();
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(res.body.key.slice(16));
    const list = await admin.agent.get('/v1/api-keys').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(res.body.key.slice(16));
  });

  it('authenticates with X-Api-Key and tells the key its unit and scopes', async () => {
    const { body } = await create({
      name: 'ERP',
      orgUnitId: enterprise.id,
      scopes: ['workers:write', 'compliance:read'],
    }).expect(201);
    const self = await t.http().get('/v1/api-keys/self').set('X-Api-Key', body.key).expect(200);
    expect(self.body).toEqual({
      apiKeyId: body.id,
      orgUnitId: enterprise.id,
      scopes: ['workers:write', 'compliance:read'],
    });
  });

  it('refuses scopes that do not fit the unit (an enterprise cannot read xAPI)', async () => {
    const res = await create({ name: 'x', orgUnitId: enterprise.id, scopes: ['xapi:read'] }).expect(403);
    expect(res.body.code).toBe('SCOPE_NOT_ALLOWED');
    await create({ name: 'LMS', orgUnitId: integrator.id, scopes: ['content:read', 'xapi:read'] }).expect(201);
  });

  it('a wrong, malformed or forged key → 401; a Bearer token on a key-only route → 403', async () => {
    const { body } = await create({ name: 'tmp', orgUnitId: enterprise.id, scopes: ['compliance:read'] }).expect(201);
    const forged = `${body.key.slice(0, 16)}${'A'.repeat(43)}`;
    for (const key of [forged, 'hk_nope', 'x'.repeat(300)]) {
      const res = await t.http().get('/v1/api-keys/self').set('X-Api-Key', key).expect(401);
      expect(res.body.code).toBe('API_KEY_INVALID');
    }
    await t.http().get('/v1/api-keys/self').expect(401);
    await admin.agent.get('/v1/api-keys/self').expect(403);
  });

  it('an API key cannot call user routes', async () => {
    const { body } = await create({ name: 'k', orgUnitId: enterprise.id, scopes: ['compliance:read'] }).expect(201);
    await t.http().get('/v1/me').set('X-Api-Key', body.key).expect(401);
    await t.http().get('/v1/users').set('X-Api-Key', body.key).expect(401);
  });

  it('revoking stops the key at once', async () => {
    const { body } = await create({ name: 'to revoke', orgUnitId: enterprise.id, scopes: ['compliance:read'] }).expect(
      201,
    );
    await t.http().get('/v1/api-keys/self').set('X-Api-Key', body.key).expect(200);
    const revoked = await admin.agent.delete(`/v1/api-keys/${body.id}`).expect(200);
    expect(revoked.body.revokedAt).toBeTruthy();
    await t.http().get('/v1/api-keys/self').set('X-Api-Key', body.key).expect(401);
  });

  it('an expired key fails', async () => {
    const { body } = await create({
      name: 'short-lived',
      orgUnitId: enterprise.id,
      scopes: ['compliance:read'],
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    }).expect(201);
    await t.http().get('/v1/api-keys/self').set('X-Api-Key', body.key).expect(200);
    await t.app
      .get(DataSource)
      .getRepository(ApiKeyEntity)
      .update(body.id, { expiresAt: new Date(Date.now() - 1000) });
    await t.http().get('/v1/api-keys/self').set('X-Api-Key', body.key).expect(401);
  });

  it('an org admin of a commune cannot make or revoke keys for the park’s enterprise', async () => {
    const f = new Factories(t);
    const communeAdmin = await createSession(t, { roles: [Role.OrgAdmin], orgUnit: await f.commune(3) });
    const res = await communeAdmin.agent
      .post('/v1/api-keys')
      .set('Idempotency-Key', randomUUID())
      .send({ name: 'x', orgUnitId: enterprise.id, scopes: ['compliance:read'] })
      .expect(403);
    expect(res.body.code).toBe('OUT_OF_SCOPE');
    const { body } = await create({ name: 'k2', orgUnitId: enterprise.id, scopes: ['compliance:read'] }).expect(201);
    await communeAdmin.agent.delete(`/v1/api-keys/${body.id}`).expect(404);
    const list = await communeAdmin.agent.get('/v1/api-keys').expect(200);
    expect(list.body.items).toHaveLength(0);
  });
});
