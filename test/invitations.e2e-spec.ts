import { randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AccountInvitationEntity,
  AccountInvitationsService,
  ConsentRecordEntity,
  DevMessageOutbox,
  IdentityException,
  type InvitedUserInput,
  type OutboxMessage,
  UserEntity,
} from '@hocso/identity';
import { QueueName, QueueService } from '@hocso/queue';
import { createSession, createTestApp, type TestApp, waitForJob } from '@hocso/testing';
import { Role } from '@hocso/common';
import { DataSource } from 'typeorm';

/** A stand-in SMS gateway: records requests; answers 503 under /fail. */
function fakeSmsGateway() {
  const requests: Array<{ authorization?: string; body: { to?: string; text?: string } }> = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      requests.push({ authorization: req.headers.authorization, body: JSON.parse(data || '{}') });
      res.statusCode = req.url === '/fail' ? 503 : 202;
      res.end();
    });
  });
  let listening: Promise<string> | undefined;
  return {
    requests,
    url: () =>
      (listening ??= new Promise((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      )),
    close: () => new Promise<void>((resolve) => (listening ? server.close(() => resolve()) : resolve())),
  };
}

/**
 * Without PostgreSQL + Redis (the embedded fallback) the worker cannot run inside Jest; there the
 * delivery job's body runs directly, so the rest of the suite still covers PGlite.
 */
const embedded = process.env.HOCSO_TEST_MODE === 'embedded';

/** Accounts created for people added to a roster: no password, a one-time link (e-mail) or code (SMS). */
describe('account invitations', () => {
  let t: TestApp;
  let ds: DataSource;
  let invitations: AccountInvitationsService;
  let outbox: DevMessageOutbox;
  const password = 'Chè Thái Nguyên thơm ngát';
  const consents = { learning: true, statistics: false };

  beforeAll(async () => {
    t = await createTestApp({ worker: !embedded });
    ds = t.app.get(DataSource);
    invitations = t.app.get(AccountInvitationsService);
    outbox = t.app.get(DevMessageOutbox);
  });
  afterAll(() => t.close());

  const randomPhone = () => `+8491${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
  const randomEmail = () => `moi-${randomInt(0, 1e9)}@example.vn`;
  const accept = (body: object) => t.http().post('/v1/auth/invitations/accept').send(body);

  interface Invited {
    user: UserEntity;
    invitationId: string;
    message: OutboxMessage;
    code: string;
    token: string | null;
  }

  /** Creates an invited user in a transaction (as a roster import does), queues and awaits delivery. */
  async function invite(input: Partial<InvitedUserInput>): Promise<Invited> {
    const { user, invitationId } = await ds.transaction((em) =>
      invitations.createInvitedUser(
        em,
        { fullName: 'Đặng Văn Hùng', email: null, phone: null, orgUnitId: null, ...input },
        { createdBy: null, context: 'test' },
      ),
    );
    await invitations.queueDelivery([invitationId]);
    return { user, invitationId, ...(await delivered(invitationId, (input.email ?? input.phone) as string)) };
  }

  /** Waits for the delivery job (queued by queueDelivery) and reads the code and link from the outbox. */
  async function delivered(invitationId: string, to: string) {
    const result = embedded
      ? await invitations.deliver(invitationId)
      : await waitForJob(t.app.get(QueueService).queue(QueueName.Notifications), invitationId);
    expect(result).toEqual({ status: 'logged', channel: expect.any(String) });
    const message = outbox.last(to);
    if (!message) throw new Error(`no message to ${to}`);
    const code = message.text.match(/\b([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})\b/)?.[1];
    if (!code) throw new Error(`no code in ${message.text}`);
    const token = message.text.match(/\/kich-hoat\?token=([A-Za-z0-9_-]+)/)?.[1] ?? null;
    return { message, code, token };
  }

  const row = (id: string) =>
    ds
      .getRepository(AccountInvitationEntity)
      .createQueryBuilder('i')
      .addSelect(['i.tokenHash', 'i.codeHash'])
      .where('i.id = :id', { id })
      .getOneOrFail();

  it('creates an active learner without a password and e-mails a link and a code (only hashes stored)', async () => {
    const email = randomEmail();
    const inv = await invite({ email, phone: randomPhone(), fullName: 'Nguye\u0302\u0303n Thi\u0323 Hoa' });
    expect(inv.user.roles).toEqual(['learner']);
    expect(inv.user.status).toBe('active');
    expect(inv.user.fullName).toBe('Nguyễn Thị Hoa'.normalize('NFC'));
    const stored = await ds
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: inv.user.id })
      .getOneOrFail();
    expect(stored.passwordHash).toBeNull();

    expect(inv.message.channel).toBe('email');
    expect(inv.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url
    expect(inv.message.text).toContain(`${t.config.http.publicUrl}/kich-hoat?token=${inv.token}`);
    expect(inv.message.text).toContain('Xin chào Nguyễn Thị Hoa');
    const r = await row(inv.invitationId);
    expect(inv.message.text).toMatch(/hiệu lực đến ngày \d{2}\/\d{2}\/\d{4}/);
    const days = (r.expiresAt.getTime() - r.createdAt.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(t.config.invitations.ttlDays, 1);
    expect(r).toMatchObject({ channel: 'email', delivery: 'logged', context: 'test', failedAttempts: 0 });
    expect(r.deliveredAt).toBeInstanceOf(Date);
    expect(r.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(r)).not.toContain(inv.token);
    expect(JSON.stringify(r)).not.toContain(inv.code);
  });

  it('an invited user (no password) cannot sign in before accepting', async () => {
    const email = randomEmail();
    await invite({ email });
    for (const pw of [password, '', 'x'.repeat(8)]) {
      const res = await t
        .http()
        .post('/v1/auth/login')
        .send({ identifier: email, password: pw || 'anything' });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('INVALID_CREDENTIALS');
    }
  });

  it('accepts by token: password set, consents recorded, signed in; the token cannot be reused', async () => {
    const email = randomEmail();
    const inv = await invite({ email });
    const res = await accept({ token: inv.token, password, consents }).expect(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
      user: expect.objectContaining({ id: inv.user.id, email, roles: ['learner'] }),
    });
    await t.http().get('/v1/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);

    const r = await row(inv.invitationId);
    expect(r.acceptedAt).toBeInstanceOf(Date);
    expect(r.tokenHash).toBeNull();
    expect(r.codeHash).toBeNull();
    const recorded = await ds.getRepository(ConsentRecordEntity).findBy({ userId: inv.user.id });
    expect(recorded.map((c) => [c.purpose, c.granted]).sort()).toEqual([
      ['learning', true],
      ['statistics', false],
    ]);
    const latest = await invitations.latestDelivery([inv.user.id]);
    expect(latest.get(inv.user.id)).toMatchObject({
      channel: 'email',
      delivery: 'logged',
      acceptedAt: expect.any(Date),
    });

    const again = await accept({ token: inv.token, password: 'Một mật khẩu khác hẳn', consents }).expect(422);
    expect(again.body.code).toBe('INVITATION_INVALID');
    expect(again.headers['content-type']).toContain('application/problem+json');
    // the code that came with it is spent too
    await accept({ identifier: email, code: inv.code, password, consents }).expect(422);

    // and the account now signs in with the password it chose
    const login = await t.http().post('/v1/auth/login').send({ identifier: email, password }).expect(200);
    expect(login.body.accessToken).toBeTruthy();
  });

  it('accepts by phone and code (SMS): any case, dash optional, phone in any Vietnamese format', async () => {
    const phone = randomPhone();
    const inv = await invite({ phone });
    expect(inv.message.channel).toBe('sms');
    expect(inv.message.to).toBe(phone);
    expect(inv.token).toBeNull(); // no link by SMS
    expect(inv.message.text).toContain('mã kích hoạt');
    expect((await row(inv.invitationId)).tokenHash).toBeNull();
    const national = `0${phone.slice(3, 6)} ${phone.slice(6, 9)} ${phone.slice(9)}`;
    const res = await accept({
      identifier: national,
      code: ` ${inv.code.replace('-', '').toLowerCase()} `,
      password,
      consents: { learning: true },
    }).expect(200);
    expect(res.body.user).toMatchObject({ id: inv.user.id, phone });
    await t.http().post('/v1/auth/login').send({ identifier: phone, password }).expect(200);
  });

  it('sends in English to users whose locale is en', async () => {
    const inv = await invite({ phone: randomPhone(), locale: 'en' });
    expect(inv.message.text).toMatch(
      /^Hocso: your account activation code is [A-Z0-9]{4}-[A-Z0-9]{4} \(valid until \d{2}\/\d{2}\/\d{4}\)/,
    );
  });

  it('five wrong codes kill the invitation; the right code is refused afterwards', async () => {
    const phone = randomPhone();
    const inv = await invite({ phone });
    const wrong = inv.code === 'AAAA-AAAA' ? 'BBBB-BBBB' : 'AAAA-AAAA';
    for (let i = 0; i < 5; i++) {
      const res = await accept({ identifier: phone, code: wrong, password, consents }).expect(422);
      expect(res.body.code).toBe('INVITATION_INVALID');
    }
    const r = await row(inv.invitationId);
    expect(r.failedAttempts).toBe(5);
    expect(r.revokedAt).toBeInstanceOf(Date);
    const late = await accept({ identifier: phone, code: inv.code, password, consents }).expect(422);
    expect(late.body.code).toBe('INVITATION_INVALID');
  });

  it('answers an unknown account exactly like a wrong code', async () => {
    const inv = await invite({ phone: randomPhone() });
    const wrongCode = await accept({ identifier: inv.user.phone, code: 'ZZZZ-ZZZZ', password, consents });
    const unknown = await accept({ identifier: randomPhone(), code: inv.code, password, consents });
    const notAPhone = await accept({ identifier: 'khong-phai-so', code: inv.code, password, consents });
    const badToken = await accept({ token: 'x'.repeat(43), password, consents });
    for (const res of [wrongCode, unknown, notAPhone, badToken]) {
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('INVITATION_INVALID');
      expect(res.body.detail).toBe(wrongCode.body.detail);
    }
  });

  it('refuses an expired invitation (token and code)', async () => {
    const email = randomEmail();
    const inv = await invite({ email });
    await ds.query(`UPDATE account_invitation SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
      inv.invitationId,
    ]);
    expect((await accept({ token: inv.token, password, consents }).expect(422)).body.code).toBe('INVITATION_INVALID');
    await accept({ identifier: email, code: inv.code, password, consents }).expect(422);
    // the delivery job skips it too
    expect(await invitations.deliver(inv.invitationId)).toEqual({ status: 'skipped', channel: 'email' });
  });

  it('requires consent to learning records, naming consents.learning (the invitation stays usable)', async () => {
    const inv = await invite({ email: randomEmail() });
    const refused = await accept({ token: inv.token, password, consents: { learning: false } }).expect(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.code).toBe('CONSENT_REQUIRED');
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'consents.learning' })]);
    const missing = await accept({ token: inv.token, password, consents: {} }).expect(400);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.body.errors).toContainEqual(expect.objectContaining({ field: 'consents.learning' }));
    await accept({ token: inv.token, password, consents }).expect(200);
  });

  it('refuses a weak password naming the field (the invitation stays usable)', async () => {
    const inv = await invite({ email: randomEmail() });
    const short = await accept({ token: inv.token, password: 'abcdefg', consents }).expect(400);
    expect(short.body.code).toBe('PASSWORD_TOO_SHORT');
    expect(short.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    const common = await accept({ token: inv.token, password: 'matkhau123', consents }).expect(400);
    expect(common.body.code).toBe('PASSWORD_TOO_COMMON');
    expect(common.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    await accept({ token: inv.token, password, consents }).expect(200);
  });

  it('takes either a token or identifier + code, not both, not neither', async () => {
    const both = await accept({ token: 'abc', identifier: '0912345678', code: 'AAAA-AAAA', password, consents });
    expect(both.status).toBe(400);
    expect(both.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'identifier' }),
        expect.objectContaining({ field: 'code' }),
      ]),
    );
    const neither = await accept({ password, consents }).expect(400);
    expect(neither.body.errors).toContainEqual(expect.objectContaining({ field: 'token' }));
    const half = await accept({ identifier: '0912345678', password, consents }).expect(400);
    expect(half.body.errors).toContainEqual(expect.objectContaining({ field: 'code' }));
  });

  it('re-invites: older invitations are revoked, the new one works; nothing to do once a password is set', async () => {
    const email = randomEmail();
    const first = await invite({ email });
    const secondId = await ds.transaction((em) =>
      invitations.reinvite(em, first.user.id, { createdBy: null, context: 'test:again' }),
    );
    expect(secondId).toEqual(expect.any(String));
    expect((await row(first.invitationId)).revokedAt).toBeInstanceOf(Date);
    await invitations.queueDelivery([secondId as string]);
    const second = await delivered(secondId as string, email);
    expect(second.code).not.toBe(first.code);
    await accept({ token: first.token, password, consents }).expect(422);
    await accept({ identifier: email, code: second.code, password, consents }).expect(200);
    expect(
      await ds.transaction((em) => invitations.reinvite(em, first.user.id, { createdBy: null, context: 'test' })),
    ).toBeNull();
  });

  it('maps a taken e-mail or phone to IDENTITY_TAKEN and leaves the caller transaction usable', async () => {
    const email = randomEmail();
    await invite({ email });
    await ds.transaction(async (em) => {
      const err = await invitations
        .createInvitedUser(
          em,
          { fullName: 'Trùng Lặp', email, phone: null, orgUnitId: null },
          { createdBy: null, context: 'test' },
        )
        .catch((e) => e);
      expect(err).toBeInstanceOf(IdentityException);
      expect(err).toMatchObject({ code: 'IDENTITY_TAKEN', options: { field: 'email' } });
      // the roster import goes on in the same transaction
      const other = await invitations.createInvitedUser(
        em,
        { fullName: 'Người Khác', email: randomEmail(), phone: null, orgUnitId: null },
        { createdBy: null, context: 'test' },
      );
      expect(other.invitationId).toEqual(expect.any(String));
    });
  });

  describe('transports', () => {
    const sms = fakeSmsGateway();
    afterEach(() => {
      t.config.sms.gatewayUrl = undefined;
      t.config.sms.token = undefined;
      t.config.env = 'test';
    });
    afterAll(() => sms.close());

    const created = (phone: string) =>
      ds.transaction((em) =>
        invitations.createInvitedUser(
          em,
          { fullName: 'Hà Văn Tú', email: null, phone, orgUnitId: null },
          { createdBy: null, context: 'test' },
        ),
      );

    it('POSTs {to, text} to the SMS gateway with the bearer token; the code sent works', async () => {
      t.config.sms.gatewayUrl = await sms.url();
      t.config.sms.token = 'gateway-secret';
      const phone = randomPhone();
      const { invitationId } = await created(phone);
      const before = outbox.messages.length;
      expect(await invitations.deliver(invitationId)).toEqual({ status: 'sent', channel: 'sms' });
      expect(outbox.messages.length).toBe(before);
      const req = sms.requests.at(-1);
      expect(req?.authorization).toBe('Bearer gateway-secret');
      expect(req?.body.to).toBe(phone);
      const code = String(req?.body.text).match(/[2-9A-Z]{4}-[2-9A-Z]{4}/)?.[0];
      expect((await row(invitationId)).delivery).toBe('sent');
      // a second run of the job does not mint (and send) another code
      expect(await invitations.deliver(invitationId)).toEqual({ status: 'skipped', channel: 'sms' });
      await accept({ identifier: phone, code, password, consents }).expect(200);
    });

    it('a gateway failure marks the row failed and throws (the job is retried)', async () => {
      t.config.sms.gatewayUrl = `${await sms.url()}/fail`;
      const { invitationId } = await created(randomPhone());
      await expect(invitations.deliver(invitationId)).rejects.toThrow(/sms delivery failed \(HTTP_503\)/);
      expect((await row(invitationId)).delivery).toBe('failed');
    });

    it('in production, with no transport, nothing is sent, kept or minted', async () => {
      t.config.env = 'production';
      const phone = randomPhone();
      const { invitationId } = await created(phone);
      const before = outbox.messages.length;
      expect(await invitations.deliver(invitationId)).toEqual({ status: 'not_sent', channel: 'sms' });
      expect(outbox.messages.length).toBe(before);
      const r = await row(invitationId);
      expect(r).toMatchObject({ delivery: 'not_sent', tokenHash: null, codeHash: null, deliveredAt: null });
      expect(() => outbox.add({ channel: 'sms', to: phone, text: 'x' })).toThrow();
    });
  });

  it('exports invitations without secrets and erases them with the account', async () => {
    const email = randomEmail();
    const admin = await createSession(t, { roles: [Role.ProvinceAdmin] });
    const { user, invitationId } = await ds.transaction((em) =>
      invitations.createInvitedUser(
        em,
        { fullName: 'Lý Thị Mai', email, phone: null, orgUnitId: null },
        { createdBy: admin.user.id, context: 'test' },
      ),
    );
    await invitations.queueDelivery([invitationId]);
    const { token } = await delivered(invitationId, email);
    const res = await accept({ token, password, consents }).expect(200);
    const auth = { Authorization: `Bearer ${res.body.accessToken}` };
    const doc = (await t.http().get('/v1/me/export').set(auth).expect(200)).body;
    expect(doc.invitations).toEqual([
      expect.objectContaining({ channel: 'email', delivery: 'logged', acceptedAt: expect.any(String) }),
    ]);
    expect(JSON.stringify(doc.invitations)).not.toMatch(/hash|createdBy/i);
    await t.http().delete('/v1/me').set(auth).send({ password }).expect(204);
    expect(await ds.getRepository(AccountInvitationEntity).countBy({ userId: user.id })).toBe(0);
  });
});
