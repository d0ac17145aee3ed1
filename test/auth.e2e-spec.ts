import { createHmac } from 'node:crypto';
import { UserEntity } from '@hocso/identity';
import { createTestApp, type TestApp } from '@hocso/testing';
import { DataSource } from 'typeorm';

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
function signHs256(header: object, payload: object, secret: string, hash: 'sha256' | 'sha512' = 'sha256'): string {
  const body = `${b64url(header)}.${b64url(payload)}`;
  return `${body}.${createHmac(hash, secret).update(body).digest('base64url')}`;
}

describe('auth: register, login, refresh, reuse detection, logout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const password = 'Đồi chè Tân Cương xanh mướt';
  let registered: { user: { id: string }; tokens: { accessToken: string; refreshToken: string } };

  it('registers with an e-mail: NFC name, lower-cased e-mail, argon2id hash (OWASP parameters), tokens', async () => {
    const res = await t
      .http()
      .post('/v1/auth/register')
      .send({
        email: '  Lan.Tran@Example.VN ',
        password,
        fullName: 'Tra\u0302\u0300n   Thi\u0323 Lan', // decomposed (NFD) input, extra spaces
        phone: '0912.345.678',
        consents: { learning: true, statistics: false },
      })
      .expect(201);
    registered = res.body;
    expect(res.body.user.email).toBe('lan.tran@example.vn');
    expect(res.body.user.fullName).toBe('Trần Thị Lan'.normalize('NFC'));
    expect(res.body.user.phone).toBe('+84912345678');
    expect(res.body.user.phoneDisplay).toBe('0912 345 678');
    expect(res.body.user.roles).toEqual(['learner']);
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash/);
    const row = await t.app
      .get(DataSource)
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: res.body.user.id })
      .getOneOrFail();
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$/);
    expect(row.passwordHash).toContain('m=19456');
    expect(row.passwordHash).toContain('t=2');
    expect(row.passwordHash).toContain('p=1');
    const me = await t.http().get('/v1/me').set('Authorization', `Bearer ${res.body.tokens.accessToken}`).expect(200);
    expect(me.body.id).toBe(res.body.user.id);
  });

  it('logs in with the e-mail and with the phone in any Vietnamese format', async () => {
    for (const identifier of ['LAN.TRAN@example.vn', '0912 345 678', '+84912345678']) {
      const res = await t.http().post('/v1/auth/login').send({ identifier, password }).expect(200);
      expect(res.body.accessToken).toBeTruthy();
      expect(res.body.refreshToken).toBeTruthy();
      expect(res.body.expiresIn).toBe(900);
    }
  });

  it('answers a wrong password and an unknown account identically (401, same code and body shape)', async () => {
    const wrong = await t
      .http()
      .post('/v1/auth/login')
      .send({ identifier: 'lan.tran@example.vn', password: 'sai mật khẩu rồi' });
    const unknown = await t
      .http()
      .post('/v1/auth/login')
      .send({ identifier: 'nobody@example.vn', password: 'sai mật khẩu rồi' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.body.code).toBe('INVALID_CREDENTIALS');
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
  });

  it('rotates refresh tokens; reusing a spent token revokes the whole family', async () => {
    const login = await t
      .http()
      .post('/v1/auth/login')
      .send({ identifier: 'lan.tran@example.vn', password })
      .expect(200);
    const first = login.body.refreshToken;
    const second = (await t.http().post('/v1/auth/refresh').send({ refreshToken: first }).expect(200)).body;
    expect(second.refreshToken).not.toBe(first);
    const third = (await t.http().post('/v1/auth/refresh').send({ refreshToken: second.refreshToken }).expect(200))
      .body;

    // An attacker replays the first (spent) token: detected, family revoked.
    const replay = await t.http().post('/v1/auth/refresh').send({ refreshToken: first }).expect(401);
    expect(replay.body.code).toBe('REFRESH_TOKEN_REUSED');
    // The legitimate latest token is now dead too.
    const after = await t.http().post('/v1/auth/refresh').send({ refreshToken: third.refreshToken }).expect(401);
    expect(after.body.code).toBe('TOKEN_INVALID');
    // Other sessions (other families) are untouched.
    await t.http().post('/v1/auth/refresh').send({ refreshToken: registered.tokens.refreshToken }).expect(200);
  });

  it('logout revokes the session; the refresh token no longer works', async () => {
    const login = await t
      .http()
      .post('/v1/auth/login')
      .send({ identifier: 'lan.tran@example.vn', password })
      .expect(200);
    await t.http().post('/v1/auth/logout').send({ refreshToken: login.body.refreshToken }).expect(204);
    const res = await t.http().post('/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
    expect(res.body.code).toBe('TOKEN_INVALID');
    // Unknown tokens are accepted silently (nothing to reveal).
    await t.http().post('/v1/auth/logout').send({ refreshToken: 'không-có-thật' }).expect(204);
  });

  it('rehashes a legacy (weaker) password hash after a good sign-in', async () => {
    const argon2 = await import('argon2');
    const ds = t.app.get(DataSource);
    const weak = await argon2.hash(password, { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await ds.getRepository(UserEntity).update(registered.user.id, { passwordHash: weak });
    await t.http().post('/v1/auth/login').send({ identifier: 'lan.tran@example.vn', password }).expect(200);
    const row = await ds
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: registered.user.id })
      .getOneOrFail();
    expect(row.passwordHash).not.toBe(weak);
    expect(row.passwordHash).toContain('m=19456');
  });

  describe('access tokens', () => {
    const claims = () => ({
      sub: registered.user.id,
      typ: 'access',
      aud: t.config.jwt.audience,
      iss: t.config.jwt.issuer,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const call = (token: string) => t.http().get('/v1/me').set('Authorization', `Bearer ${token}`);

    it('accepts a correctly signed access token (control)', async () => {
      await call(signHs256({ alg: 'HS256', typ: 'JWT' }, claims(), t.config.jwt.secret)).expect(200);
    });

    it.each([
      ['alg none', () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}.`],
      ['wrong secret', () => signHs256({ alg: 'HS256' }, claims(), 'x'.repeat(40))],
      [
        'expired',
        () =>
          signHs256({ alg: 'HS256' }, { ...claims(), exp: Math.floor(Date.now() / 1000) - 10 }, t.config.jwt.secret),
      ],
      [
        'not yet valid',
        () =>
          signHs256({ alg: 'HS256' }, { ...claims(), nbf: Math.floor(Date.now() / 1000) + 3600 }, t.config.jwt.secret),
      ],
      ['wrong audience', () => signHs256({ alg: 'HS256' }, { ...claims(), aud: 'someone-else' }, t.config.jwt.secret)],
      [
        'wrong issuer',
        () => signHs256({ alg: 'HS256' }, { ...claims(), iss: 'https://evil.example' }, t.config.jwt.secret),
      ],
      ['not an access token', () => signHs256({ alg: 'HS256' }, { ...claims(), typ: 'refresh' }, t.config.jwt.secret)],
      // ASVS 9.1.3: keys come from configuration only — never from the token's own headers.
      [
        'valid claims signed with the key its jwk header carries',
        () => {
          const key = 'attacker-chosen-key-0123456789abcdef0123';
          const jwk = { kty: 'oct', k: Buffer.from(key).toString('base64url') };
          return signHs256({ alg: 'HS256', typ: 'JWT', jwk }, claims(), key);
        },
      ],
      [
        'valid claims signed with a key its jku header points to',
        () => signHs256({ alg: 'HS256', jku: 'https://evil.example/jwks.json', kid: 'k1' }, claims(), 'k'.repeat(40)),
      ],
      // ASVS 9.1.2: an allowlist of algorithms — HS512 is refused even with the right secret.
      [
        'HS512 with the right secret',
        () => signHs256({ alg: 'HS512', typ: 'JWT' }, claims(), t.config.jwt.secret, 'sha512'),
      ],
      ['garbage', () => 'not.a.jwt'],
    ])('rejects %s with 401 problem+json', async (_name, make) => {
      const res = await call(make()).expect(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('TOKEN_INVALID');
    });

    it('asks for credentials when none are sent', async () => {
      const res = await t.http().get('/v1/me').expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });
  });

  describe('password policy (ASVS 6.2)', () => {
    const register = (pw: string, email: string) =>
      t
        .http()
        .post('/v1/auth/register')
        .send({ email, password: pw, fullName: 'Hoàng Văn Nam', consents: { learning: true } });

    it('refuses 7 characters, naming the field', async () => {
      const res = await register('abcdefg', 'p1@example.vn').expect(400);
      expect(res.body.code).toBe('PASSWORD_TOO_SHORT');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    });

    it('refuses a common password, including Vietnamese favourites', async () => {
      expect((await register('password1', 'p2@example.vn').expect(400)).body.code).toBe('PASSWORD_TOO_COMMON');
      expect((await register('matkhau123', 'p3@example.vn').expect(400)).body.code).toBe('PASSWORD_TOO_COMMON');
    });

    it('accepts 8 Vietnamese characters, no composition rule, and 200-character passphrases', async () => {
      await register('đườngđi', 'p4@example.vn').expect(400); // 7 code points
      await register('đườngđix', 'p5@example.vn').expect(201);
      await register('chè '.repeat(50), 'p6@example.vn').expect(201);
    });
  });
});
