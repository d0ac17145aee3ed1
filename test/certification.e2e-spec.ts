import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Bitstring,
  CertificatesService,
  CredentialKeys,
  OB3_CONTEXTS,
  type OpenBadgeCredential,
  signCredential,
} from '@hocso/certification';
import { localDate, Role } from '@hocso/common';
import { CourseImportService } from '@hocso/courses';
import type { OrgUnitEntity } from '@hocso/identity';
import { createSession, createTestApp, Factories, type Session, type TestApp } from '@hocso/testing';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { completeCourse, waitFor } from './cohort-helpers';

const FIXTURE = join(__dirname, 'fixtures/cohort-content');
const COURSE = 'lop-thu-nghiem';
const NAME = 'Nguyễn Thị Ánh Tuyết';

describe('certificates: Open Badges 3.0 credentials, verification, revocation, PDF, sharing', () => {
  let t: TestApp;
  let f: Factories;
  let commune: OrgUnitEntity;
  let provinceAdmin: Session;

  beforeAll(async () => {
    t = await createTestApp({ worker: true, env: { PUBLIC_URL: 'https://hocso.thainguyen.gov.vn' } });
    f = new Factories(t);
    expect((await t.app.get(CourseImportService).importDirectory(FIXTURE)).counts.rejected).toBe(0);
    commune = await f.commune(3);
    provinceAdmin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: await f.province() });
  });
  afterAll(() => t.close());

  async function learner(fullName = NAME): Promise<Session> {
    const s = await createSession(t, { roles: [Role.Learner], orgUnit: commune });
    await t.app.get(DataSource).query(`UPDATE app_user SET full_name = $2 WHERE id = $1`, [s.user.id, fullName]);
    return s;
  }

  /** Enrols, completes the course for real, and waits for the worker to issue the certificate. */
  async function certified(s: Session): Promise<{ id: string; jwt: string; credential: OpenBadgeCredential }> {
    await s.agent.post('/v1/enrollments').send({ courseSlug: COURSE }).expect(201);
    await completeCourse(t, s, COURSE);
    let list: Array<{ id: string }> = [];
    await waitFor(async () => {
      list = (await s.agent.get('/v1/me/certificates').expect(200)).body;
      return list.length > 0;
    });
    const full = (await s.agent.get(`/v1/certificates/${list[0].id}`).expect(200)).body;
    return { id: full.id, jwt: full.jwt, credential: full.credential };
  }

  const verify = (credential: unknown) => t.http().post('/v1/credentials/verify').send({ credential }).expect(200);

  it('a completion yields one OB 3.0 credential that verifies from the published JWKS alone', async () => {
    const s = await learner();
    const { id, jwt, credential } = await certified(s);
    expect(credential).toMatchObject({
      '@context': OB3_CONTEXTS,
      id: `urn:uuid:${id}`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: 'https://hocso.thainguyen.gov.vn/v1/issuer', type: ['Profile'] },
      credentialSubject: {
        type: ['AchievementSubject'],
        achievement: {
          type: ['Achievement'],
          name: 'Lớp học cộng đồng — thử nghiệm',
          criteria: { narrative: expect.any(String) },
        },
      },
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
    });
    expect(credential.credentialSubject.identifier?.[0]).toMatchObject({ identityType: 'emailAddress', hashed: true });
    expect(JSON.stringify(credential)).not.toContain(s.user.email as string);
    expect((credential.credentialSubject.achievement.alignment as Array<{ targetCode: string }>)[0].targetCode).toBe(
      'TT02:1.1',
    );

    // An independent verifier: only the published JWKS and jose.
    const jwks = (await t.http().get('/.well-known/jwks.json').expect(200)).body;
    expect(jwks.keys.every((k: Record<string, unknown>) => !('d' in k) && k.kid && k.alg === 'RS256')).toBe(true);
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks), { algorithms: ['RS256'] });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    // The kid dereferences to the key.
    const kidPath = new URL(protectedHeader.kid as string).pathname;
    expect((await t.http().get(kidPath).expect(200)).body).toMatchObject({ kty: 'RSA', kid: protectedHeader.kid });
    expect(payload).toMatchObject({
      iss: credential.issuer.id,
      jti: credential.id,
      sub: credential.credentialSubject.id,
      nbf: Math.floor(Date.parse(credential.validFrom) / 1000),
    });
    expect((payload.vc as OpenBadgeCredential).credentialSubject.achievement.name).toBe(credential.name);

    const ok = (await verify(jwt)).body;
    expect(ok).toMatchObject({ verified: true, status: 'active' });
    expect(ok.checks.map((c: { check: string }) => c.check)).toEqual([
      'format',
      'signature',
      'issuer',
      'claims',
      'validity',
      'status',
    ]);
    // The JSON (enveloped) form verifies the same way.
    const enveloped = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: 'EnvelopedVerifiableCredential',
      id: `data:application/vc+jwt,${jwt}`,
    };
    expect((await verify(enveloped)).body.verified).toBe(true);
  });

  it('fails verification when one byte changes, and for garbage — never a 500', async () => {
    const { jwt } = await certified(await learner('Trần Văn Bình'));
    const [h, p, sig] = jwt.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    payload.vc.credentialSubject.achievement.name = 'Khóa học khác';
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
    const res = (await verify(forged)).body;
    expect(res.verified).toBe(false);
    expect(res.checks.find((c: { check: string }) => c.check === 'signature')).toMatchObject({ passed: false });
    const flipped = `${jwt.slice(0, -2)}${jwt.endsWith('A') ? 'B' : 'A'}${jwt.slice(-1)}`;
    expect((await verify(flipped)).body.verified).toBe(false);
    expect((await verify('not a credential')).body).toMatchObject({ verified: false, status: 'invalid' });
    expect((await verify({ hello: 'world' })).body.verified).toBe(false);
    const missing = await t.http().post('/v1/credentials/verify').send({}).expect(400);
    expect(missing.body).toMatchObject({ code: 'CREDENTIAL_MISSING', errors: [{ field: 'credential' }] });
  });

  it('revocation flips the status-list bit; verification and the verify page show it at once', async () => {
    const s = await learner('Lê Thị Cúc');
    const { id, jwt, credential } = await certified(s);
    await s.agent.post(`/v1/certificates/${id}/revoke`).send({ reason: 'Tự thu hồi' }).expect(403);
    const revoked = await provinceAdmin.agent
      .post(`/v1/certificates/${id}/revoke`)
      .send({ reason: 'Cấp nhầm người' })
      .expect(200);
    expect(revoked.body.status).toBe('revoked');
    const res = (await verify(jwt)).body;
    expect(res).toMatchObject({ verified: false, status: 'revoked' });
    expect(res.checks.find((c: { check: string }) => c.check === 'status')).toMatchObject({ passed: false });

    // The published list: a signed credential whose bit at the entry's index is set.
    const entry = credential.credentialStatus as { statusListCredential: string; statusListIndex: string };
    const path = new URL(entry.statusListCredential).pathname;
    const listRes = await t.http().get(path).expect(200);
    expect(listRes.headers['content-type']).toMatch(/application\/vc\+jwt/);
    const jwks = (await t.http().get('/.well-known/jwks.json')).body;
    const { payload } = await jwtVerify(listRes.text, createLocalJWKSet(jwks));
    const subject = (payload.vc as { credentialSubject: { type: string; encodedList: string } }).credentialSubject;
    expect(subject.type).toBe('BitstringStatusList');
    const bits = await Bitstring.decode(subject.encodedList);
    expect(bits.bytes.length * 8).toBeGreaterThanOrEqual(131_072);
    expect(bits.get(Number(entry.statusListIndex))).toBe(true);

    const page = await t.http().get(`/verify/${id}`).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Đã bị thu hồi');
    expect(page.text).toContain('Lê Thị Cúc');
    const en = await t.http().get(`/verify/${id}?lang=en`).expect(200);
    expect(en.text).toContain('Revoked');
    await t.http().get('/verify/00000000-0000-0000-0000-000000000000').expect(404);
  });

  it('the status list may be cached for exactly its ttl: Cache-Control max-age × 1000 = credentialSubject.ttl (SC16)', async () => {
    const { credential } = await certified(await learner('Đỗ Văn Bình'));
    const entry = credential.credentialStatus as { statusListCredential: string };
    const listRes = await t.http().get(new URL(entry.statusListCredential).pathname).expect(200);
    const jwks = (await t.http().get('/.well-known/jwks.json')).body;
    const { payload } = await jwtVerify(listRes.text, createLocalJWKSet(jwks));
    const ttl = (payload.vc as { credentialSubject: { ttl?: number } }).credentialSubject.ttl;
    expect(ttl).toEqual(expect.any(Number));
    expect(ttl).toBeGreaterThan(0);
    const maxAge = /(?:^|,)\s*max-age=(\d+)\s*(?:,|$)/.exec(listRes.headers['cache-control'] ?? '');
    expect(maxAge).not.toBeNull();
    // A verifier that honours either one sees a revocation after at most ttl.
    expect(Number(maxAge?.[1]) * 1000).toBe(ttl);
  });

  it('an expired credential verifies as expired', async () => {
    const s = await learner('Phạm Văn Dũng');
    const { credential } = await certified(s);
    const signer = await t.app.get(CredentialKeys).signer();
    const expired: OpenBadgeCredential = {
      ...credential,
      validFrom: '2024-01-01T00:00:00Z',
      validUntil: '2025-01-01T00:00:00Z',
    };
    const res = (await verify(await signCredential(expired, signer.key, signer.options))).body;
    expect(res).toMatchObject({ verified: false, status: 'expired' });
    expect(res.checks.find((c: { check: string }) => c.check === 'validity')).toMatchObject({ passed: false });
  });

  it('prints an A4 PDF whose text layer holds the exact Vietnamese name; the verify page shows it dd/MM/yyyy', async () => {
    const s = await learner();
    const { id } = await certified(s);
    const pdf = await s.agent.get(`/v1/certificates/${id}.pdf`).buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'hocso-pdf-'));
    const file = join(dir, 'c.pdf');
    writeFileSync(file, pdf.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).normalize('NFC');
    expect(text).toContain(NAME.normalize('NFC'));
    expect(text).toContain(id);
    const today = localDate(new Date());
    expect(text).toContain(`${today.slice(8, 10)}/${today.slice(5, 7)}/${today.slice(0, 4)}`);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
    const page = await t.http().get(`/verify/${id}`).expect(200);
    expect(page.text).toContain(NAME);
    expect(page.text).toContain('Hợp lệ');
  });

  it('issues exactly once under duplicate completion events and concurrent jobs', async () => {
    const s = await learner('Đỗ Thị Giang');
    const { id } = await certified(s);
    const ds = t.app.get(DataSource);
    const [e] = await ds.query(`SELECT id FROM enrollment WHERE user_id = $1`, [s.user.id]);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.app.get(CertificatesService).issue({ kind: 'course', enrollmentId: e.id })),
    );
    expect(results.every((r) => r.status === 'exists' && r.certificateId === id)).toBe(true);
    // The completion event delivered again (a redelivery from the outbox).
    await ds.query(`UPDATE learning_event SET published_at = NULL WHERE key = $1`, [e.id]);
    await t.app.get(CertificatesService).issue({ kind: 'course', enrollmentId: e.id });
    const rows = await ds.query(`SELECT id FROM certificate WHERE holder_id = $1`, [s.user.id]);
    expect(rows).toEqual([{ id }]);
  });

  it('a learner cannot read another’s certificate until it is shared; sharing is opt-in and revocable', async () => {
    const owner = await learner('Vũ Thị Hằng');
    const { id } = await certified(owner);
    const other = await learner('Người Khác');
    await other.agent.get(`/v1/certificates/${id}`).expect(404);
    await other.agent.get(`/v1/certificates/${id}.pdf`).expect(404);
    await t.http().get(`/v1/certificates/${id}`).expect(404);
    expect((await owner.agent.get('/v1/me/public-profile').expect(200)).body).toEqual({
      enabled: false,
      handle: null,
      url: null,
    });
    const shared = (await owner.agent.put('/v1/me/public-profile').send({ enabled: true }).expect(200)).body;
    expect(shared.enabled).toBe(true);
    const profile = (await t.http().get(`/v1/public-profiles/${shared.handle}`).expect(200)).body;
    expect(profile).toMatchObject({ fullName: 'Vũ Thị Hằng', certificates: [{ id, status: 'active' }] });
    expect(profile.competencies).toContainEqual(expect.objectContaining({ code: 'TT02:1.1' }));
    expect(profile.certificates[0].jwt).toBeUndefined();
    await other.agent.get(`/v1/certificates/${id}`).expect(200);
    // Sharing shows valid certificates only: a revoked one is hidden again.
    await provinceAdmin.agent.post(`/v1/certificates/${id}/revoke`).send({ reason: 'Thử thu hồi' }).expect(200);
    await other.agent.get(`/v1/certificates/${id}`).expect(404);
    expect((await t.http().get(`/v1/public-profiles/${shared.handle}`).expect(200)).body.certificates).toEqual([]);
    await owner.agent.put('/v1/me/public-profile').send({ enabled: false }).expect(200);
    await t.http().get(`/v1/public-profiles/${shared.handle}`).expect(404);
    await other.agent.get(`/v1/certificates/${id}`).expect(404);
    // A holder with no unit (self-registered, LTI) is the province's: its admins can revoke.
    const unitless = await createSession(t, { roles: [Role.Learner], orgUnit: null });
    const { id: orphan } = await certified(unitless);
    await provinceAdmin.agent.post(`/v1/certificates/${orphan}/revoke`).send({ reason: 'Cấp nhầm' }).expect(200);
  });

  it('a ToT graduate gets a trainer credential valid until their qualification expires', async () => {
    const master = await createSession(t, { roles: [Role.Learner], orgUnit: commune });
    await provinceAdmin.agent
      .post(`/v1/trainers/${master.user.id}/qualifications`)
      .send({ level: 'master' })
      .expect(201);
    const trainee = await learner('Hoàng Văn Khải');
    const tot = (
      await master.agent
        .post('/v1/cohorts')
        .send({
          title: 'ToT đợt 2',
          courseSlugs: [COURSE],
          kind: 'tot',
          mode: 'blended',
          startsOn: localDate(new Date(Date.now() - 5 * 86_400_000)),
          endsOn: localDate(new Date(Date.now() + 5 * 86_400_000)),
          capacity: 10,
        })
        .expect(201)
    ).body;
    await master.agent
      .post(`/v1/cohorts/${tot.id}/members`)
      .send({ members: [{ fullName: 'Hoàng Văn Khải', email: trainee.user.email }] })
      .expect(200);
    await completeCourse(t, trainee, COURSE);
    const done = (await master.agent.post(`/v1/cohorts/${tot.id}/finish`).expect(200)).body;
    expect(done.qualified).toBe(1);
    let certs: Array<{ kind: string; id: string; validUntil: string | null }> = [];
    await waitFor(async () => {
      certs = (await trainee.agent.get('/v1/me/certificates')).body;
      return certs.some((c) => c.kind === 'trainer');
    });
    const trainer = certs.find((c) => c.kind === 'trainer') as { id: string; validUntil: string };
    const full = (await trainee.agent.get(`/v1/certificates/${trainer.id}`).expect(200)).body;
    expect(full.credential.credentialSubject.achievement).toMatchObject({ achievementType: 'License' });
    expect(full.level).toBe('core');
    const years = Number(localDate(new Date()).slice(0, 4)) + 3;
    expect(localDate(new Date(Date.parse(trainer.validUntil) - 1))).toBe(`${years}${localDate(new Date()).slice(4)}`);
    expect((await verify(full.jwt)).body.verified).toBe(true);
    expect(decodeJwt(full.jwt).exp).toBe(Math.floor(Date.parse(trainer.validUntil) / 1000));
    // Revoking the qualification revokes its credential.
    const qualificationId =
      full.credential.id &&
      (await t.app.get(DataSource).query(`SELECT qualification_id FROM certificate WHERE id = $1`, [trainer.id]))[0]
        .qualification_id;
    await provinceAdmin.agent
      .post(`/v1/trainers/${trainee.user.id}/qualifications/${qualificationId}/revoke`)
      .send({ reason: 'Không còn tham gia giảng dạy' })
      .expect(200);
    await waitFor(async () => (await verify(full.jwt)).body.status === 'revoked');
  });

  it('rules: a cohort kind’s minimum attendance stops issuance; only province admins set rules, naming the field', async () => {
    const bad = await provinceAdmin.agent
      .put('/v1/certificate-rules')
      .send({ scope: 'course', key: 'không hợp lệ', enabled: true })
      .expect(400);
    expect(bad.body).toMatchObject({ code: 'RULE_INVALID', errors: [{ field: 'key' }] });
    const someone = await learner('Bùi Văn Long');
    await someone.agent.put('/v1/certificate-rules').send({ scope: 'course', key: COURSE, enabled: true }).expect(403);
    const rule = await provinceAdmin.agent
      .put('/v1/certificate-rules')
      .send({ scope: 'cohort_kind', key: 'citizen', enabled: true, minAttendancePercent: 80 })
      .expect(200);
    expect(rule.body).toMatchObject({ scope: 'cohort_kind', key: 'citizen', minAttendancePercent: 80 });

    const trainer = await createSession(t, { roles: [Role.Learner], orgUnit: commune });
    await provinceAdmin.agent
      .post(`/v1/trainers/${trainer.user.id}/qualifications`)
      .send({ level: 'core' })
      .expect(201);
    const cohort = (
      await trainer.agent
        .post('/v1/cohorts')
        .send({
          title: 'Lớp xóm Bãi Bông',
          courseSlugs: [COURSE],
          kind: 'citizen',
          mode: 'in_person',
          startsOn: localDate(new Date(Date.now() - 5 * 86_400_000)),
          endsOn: localDate(new Date(Date.now() + 5 * 86_400_000)),
          capacity: 10,
        })
        .expect(201)
    ).body;
    await trainer.agent
      .post(`/v1/cohorts/${cohort.id}/members`)
      .send({ members: [{ fullName: 'Bùi Văn Long', email: someone.user.email }] })
      .expect(200);
    const session = await trainer.agent
      .post(`/v1/cohorts/${cohort.id}/sessions`)
      .send({ startsAt: new Date(Date.now() - 2 * 86_400_000).toISOString(), durationMinutes: 60 })
      .expect(201);
    await trainer.agent
      .put(`/v1/cohorts/${cohort.id}/sessions/${session.body.id}/attendance`)
      .send({ records: [{ userId: someone.user.id, status: 'absent' }] })
      .expect(200);
    await completeCourse(t, someone, COURSE);
    const [e] = await t.app
      .get(DataSource)
      .query(`SELECT id, source FROM enrollment WHERE user_id = $1`, [someone.user.id]);
    expect(e.source).toBe('cohort');
    const result = await t.app.get(CertificatesService).issue({ kind: 'course', enrollmentId: e.id });
    expect(result).toEqual({ status: 'not_eligible', certificateId: null, reason: 'attendance_below_minimum' });
    expect((await someone.agent.get('/v1/me/certificates').expect(200)).body).toEqual([]);
  });
});

/** Collects a binary response body (supertest parses only text and JSON by itself). */
function binary(res: unknown, cb: (err: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}
