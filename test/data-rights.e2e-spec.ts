import { Role } from '@hocso/common';
import { ConsentRecordEntity, DataRightsRequestEntity, RefreshTokenEntity, UserEntity } from '@hocso/identity';
import { createSession, createTestApp, Factories, TEST_PASSWORD, type TestApp } from '@hocso/testing';
import { DataSource } from 'typeorm';

/** Law 91/2025/QH15 and Decree 356/2025/NĐ-CP: consent per purpose, export, erasure. */
describe('personal data: consents, export, erasure', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  let phoneSeq = 0;
  async function registerLearner(email: string) {
    const commune = await new Factories(t).commune(2);
    const res = await t
      .http()
      .post('/v1/auth/register')
      .send({
        email,
        phone: `0987 654 32${phoneSeq++}`,
        password: 'Sông Cầu nước chảy lơ thơ',
        fullName: 'Bùi Thị Thu',
        orgUnitId: commune.id,
        birthYear: 1990,
        consents: { learning: true, statistics: true, notifications: false },
      })
      .expect(201);
    return {
      id: res.body.user.id as string,
      token: res.body.tokens.accessToken as string,
      refresh: res.body.tokens.refreshToken as string,
    };
  }

  it('records each purpose separately; nothing not given is assumed; consent can be withdrawn', async () => {
    const u = await registerLearner('thu@example.vn');
    const auth = { Authorization: `Bearer ${u.token}` };
    const list = await t.http().get('/v1/me/consents').set(auth).expect(200);
    const state = Object.fromEntries(
      list.body.map((c: { purpose: string; granted: boolean }) => [c.purpose, c.granted]),
    );
    expect(state).toEqual({ learning: true, statistics: true, notifications: false, share_with_organisation: false });
    const unasked = list.body.find((c: { purpose: string }) => c.purpose === 'share_with_organisation');
    expect(unasked.recordedAt).toBeNull(); // never asked, so never recorded as given
    const withdrawn = await t.http().put('/v1/me/consents/statistics').set(auth).send({ granted: false }).expect(200);
    expect(withdrawn.body.find((c: { purpose: string }) => c.purpose === 'statistics').granted).toBe(false);
    const history = await t.app
      .get(DataSource)
      .getRepository(ConsentRecordEntity)
      .findBy({ userId: u.id, purpose: 'statistics' as never });
    expect(history.map((h) => h.granted).sort()).toEqual([false, true]); // the log keeps both
    const bad = await t.http().put('/v1/me/consents/marketing').set(auth).send({ granted: true }).expect(400);
    expect(bad.body.errors).toContainEqual(expect.objectContaining({ field: 'purpose' }));
  });

  it('exports everything held about the caller, and only the caller', async () => {
    const u = await registerLearner('export@example.vn');
    const other = await createSession(t, { roles: [Role.Learner] });
    const res = await t.http().get('/v1/me/export').set('Authorization', `Bearer ${u.token}`).expect(200);
    expect(res.body.account).toMatchObject({
      id: u.id,
      email: 'export@example.vn',
      phone: expect.stringMatching(/^\+8498765432\d$/),
      fullName: 'Bùi Thị Thu',
      birthYear: 1990,
    });
    expect(res.body.consents.map((c: { purpose: string }) => c.purpose).sort()).toEqual([
      'learning',
      'notifications',
      'statistics',
    ]);
    expect(res.body.sessions.length).toBeGreaterThanOrEqual(1);
    expect(res.body.legalBasis).toContain('91/2025/QH15');
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(other.user.email as string);
    expect(text).not.toMatch(/argon2|passwordHash|tokenHash/);
    const audit = await t.app
      .get(DataSource)
      .getRepository(DataRightsRequestEntity)
      .findBy({ userId: u.id, kind: 'export' });
    expect(audit).toHaveLength(1);
  });

  it('erasure needs the password, then removes personal data and ends every session', async () => {
    const u = await registerLearner('erase@example.vn');
    const auth = { Authorization: `Bearer ${u.token}` };
    // 403, not 401: the session is fine, the confirmation is not (a client must not sign the person out)
    const wrong = await t.http().delete('/v1/me').set(auth).send({ password: 'không đúng' }).expect(403);
    expect(wrong.body.code).toBe('PASSWORD_CONFIRMATION_FAILED');
    expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    // An account with a password cannot skip it with a bare confirmation.
    await t.http().delete('/v1/me').set(auth).send({ confirm: true }).expect(403);
    await t.http().delete('/v1/me').set(auth).send({ password: 'Sông Cầu nước chảy lơ thơ' }).expect(204);

    const ds = t.app.get(DataSource);
    const row = await ds
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: u.id })
      .getOneOrFail();
    expect(row).toMatchObject({
      email: null,
      phone: null,
      passwordHash: null,
      birthYear: null,
      status: 'erased',
      fullName: 'Người dùng đã xóa',
    });
    expect(row.orgUnitId).toBeTruthy(); // kept: the anonymous row still counts in aggregates per commune
    expect(await ds.getRepository(ConsentRecordEntity).countBy({ userId: u.id })).toBe(0);
    expect(await ds.getRepository(RefreshTokenEntity).countBy({ userId: u.id })).toBe(0);
    expect(await ds.getRepository(DataRightsRequestEntity).countBy({ userId: u.id, kind: 'erasure' })).toBe(1);

    // The old access token, refresh token and credentials no longer work; the e-mail is free again.
    await t.http().get('/v1/me').set(auth).expect(401);
    await t.http().post('/v1/auth/refresh').send({ refreshToken: u.refresh }).expect(401);
    await t
      .http()
      .post('/v1/auth/login')
      .send({ identifier: 'erase@example.vn', password: 'Sông Cầu nước chảy lơ thơ' })
      .expect(401);
    await registerLearner('erase@example.vn');
  });

  it('the login factory password works for fixtures (sanity of the harness)', async () => {
    const user = await new Factories(t).user({ roles: [Role.Learner] });
    await t.http().post('/v1/auth/login').send({ identifier: user.email, password: TEST_PASSWORD }).expect(200);
  });
});
