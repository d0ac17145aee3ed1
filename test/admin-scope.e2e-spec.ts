import { Role } from '@hocso/common';
import { OrgUnitEntity, OrgUnitKind } from '@hocso/identity';
import { createSession, createTestApp, Factories, type Session, type TestApp } from '@hocso/testing';

/** Admins act only inside their own org-unit subtree, and grant only roles they may grant. */
describe('roles and subtree guards', () => {
  let t: TestApp;
  let f: Factories;
  let province: OrgUnitEntity;
  let communeA: OrgUnitEntity;
  let communeB: OrgUnitEntity;
  let provinceAdmin: Session;
  let adminA: Session;
  let learner: Session;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factories(t);
    province = await f.province();
    communeA = await f.commune(0);
    communeB = await f.commune(1);
    provinceAdmin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: province });
    adminA = await createSession(t, { roles: [Role.OrgAdmin], orgUnit: communeA });
    learner = await createSession(t, { roles: [Role.Learner], orgUnit: communeA });
  });
  afterAll(() => t.close());

  const newUser = (orgUnitId: string, roles: Role[] = [Role.Official]) => ({
    email: `u${Math.random().toString(36).slice(2, 10)}@thainguyen.gov.vn`,
    password: 'Cán bộ xã 2026',
    fullName: 'Đặng Thị Hoa',
    orgUnitId,
    roles,
  });

  it('the seeded province has 92 commune-level units under it', async () => {
    const all: Array<{ kind: string; parentId: string | null }> = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = cursor ? { limit: 50, cursor } : { limit: 50 };
      const page: { items: typeof all; nextCursor: string | null } = (
        await t.http().get('/v1/org-units').query(query).expect(200)
      ).body;
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const communes = all.filter((u) => u.kind === 'ward' || u.kind === 'commune');
    expect(communes).toHaveLength(92);
    expect(communes.filter((u) => u.kind === 'ward')).toHaveLength(15);
    expect(new Set(communes.map((u) => u.parentId))).toEqual(new Set([province.id]));
  });

  it('a learner gets 403 on every admin route', async () => {
    await learner.agent.get('/v1/users').expect(403);
    await learner.agent.post('/v1/users').send(newUser(communeA.id)).expect(403);
    await learner.agent.get('/v1/api-keys').expect(403);
    await learner.agent
      .post('/v1/org-units')
      .send({ parentId: communeA.id, kind: 'school', code: 'X1', name: 'Trường' })
      .expect(403);
  });

  it('an org admin creates users in their own commune', async () => {
    const res = await adminA.agent.post('/v1/users').send(newUser(communeA.id)).expect(201);
    expect(res.body.roles).toEqual([Role.Official]);
    expect(res.body.orgUnitId).toBe(communeA.id);
  });

  it('… and inside units below it', async () => {
    const school = await f.orgUnit(communeA, OrgUnitKind.School);
    await adminA.agent
      .post('/v1/users')
      .send(newUser(school.id, [Role.Trainer]))
      .expect(201);
  });

  it('… but not in another commune (403, naming orgUnitId)', async () => {
    const res = await adminA.agent.post('/v1/users').send(newUser(communeB.id)).expect(403);
    expect(res.body.code).toBe('OUT_OF_SCOPE');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'orgUnitId' })]);
  });

  it('… and cannot grant province_admin', async () => {
    const res = await adminA.agent
      .post('/v1/users')
      .send(newUser(communeA.id, [Role.ProvinceAdmin]))
      .expect(403);
    expect(res.body.code).toBe('ROLE_NOT_GRANTABLE');
  });

  it('an org admin sees only their subtree’s users; other users look missing (404)', async () => {
    const inB = await provinceAdmin.agent.post('/v1/users').send(newUser(communeB.id)).expect(201);
    const list = await adminA.agent.get('/v1/users').query({ limit: 100 }).expect(200);
    const ids = list.body.items.map((u: { id: string }) => u.id);
    expect(ids).not.toContain(inB.body.id);
    expect(ids).toContain(learner.user.id);
    await adminA.agent.get(`/v1/users/${inB.body.id}`).expect(404);
    await adminA.agent
      .patch(`/v1/users/${inB.body.id}/roles`)
      .send({ roles: [Role.Trainer] })
      .expect(404);
    // The province admin reaches every commune.
    await provinceAdmin.agent.get(`/v1/users/${inB.body.id}`).expect(200);
  });

  it('role changes keep roles the admin may not touch', async () => {
    const holder = await f.user({ roles: [Role.ProvinceAdmin, Role.Learner], orgUnit: communeA });
    const res = await adminA.agent
      .patch(`/v1/users/${holder.id}/roles`)
      .send({ roles: [Role.Trainer] })
      .expect(200);
    expect(res.body.roles.sort()).toEqual([Role.ProvinceAdmin, Role.Trainer].sort());
  });

  it('new roles take effect on the next request (roles are read per request, not from the token)', async () => {
    const u = await createSession(t, { roles: [Role.Learner], orgUnit: communeA });
    await u.agent.get('/v1/users').expect(403);
    await adminA.agent
      .patch(`/v1/users/${u.user.id}/roles`)
      .send({ roles: [Role.OrgAdmin] })
      .expect(200);
    await u.agent.get('/v1/users').expect(200);
  });

  it('org units: admins create kinds that fit the tree, in their subtree only', async () => {
    const park = await provinceAdmin.agent
      .post('/v1/org-units')
      .send({ parentId: province.id, kind: 'industrial_park', code: 'KCN-YB', name: 'KCN Yên Bình' })
      .expect(201);
    await provinceAdmin.agent
      .post('/v1/org-units')
      .send({ parentId: park.body.id, kind: 'enterprise', code: '4600123456', name: 'Công ty TNHH Điện tử Yên Bình' })
      .expect(201);
    const wrongParent = await provinceAdmin.agent
      .post('/v1/org-units')
      .send({ parentId: communeA.id, kind: 'industrial_park', code: 'KCN-X', name: 'Sai chỗ' })
      .expect(422);
    expect(wrongParent.body.code).toBe('ORG_UNIT_PARENT_INVALID');
    const dup = await provinceAdmin.agent
      .post('/v1/org-units')
      .send({ parentId: province.id, kind: 'industrial_park', code: 'KCN-YB', name: 'Trùng mã' })
      .expect(409);
    expect(dup.body.code).toBe('ORG_UNIT_CODE_TAKEN');
    await adminA.agent
      .post('/v1/org-units')
      .send({ parentId: communeB.id, kind: 'school', code: 'TH-B', name: 'Trường B' })
      .expect(403);
  });

  it('enterprises are not listed publicly, but admins of their subtree see them', async () => {
    const anonymous = await t.http().get('/v1/org-units').query({ kind: 'enterprise' }).expect(200);
    expect(anonymous.body.items).toHaveLength(0);
    const admin = await provinceAdmin.agent.get('/v1/org-units').query({ kind: 'enterprise' }).expect(200);
    expect(admin.body.items.map((u: { code: string }) => u.code)).toContain('4600123456');
  });
});
