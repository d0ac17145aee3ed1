import { createHmac } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { SigningKeyRing } from './signing-keys';
import { OB3_CONTEXTS, type OpenBadgeCredential, signCredential, signJwtCredential } from './vc-jwt';
import { type VerificationResult, verifyCredential } from './verify';

const ISSUER = 'https://hocso.vn/issuer';
const LIST = 'https://hocso.vn/v1/credentials/status/1';
const NOW = new Date('2026-01-01T00:00:00Z');
let ring: SigningKeyRing;
let foreign: SigningKeyRing;
let revoked: Set<number>;

beforeAll(async () => {
  const [a, b] = await Promise.all([SigningKeyRing.generatePem(), SigningKeyRing.generatePem()]);
  ring = await SigningKeyRing.fromPems([{ kid: 'k-20250101-aaaaaa', pem: a }]);
  foreign = await SigningKeyRing.fromPems([{ kid: 'k-20250101-aaaaaa', pem: b }]); // same kid, other key
});
beforeEach(() => {
  revoked = new Set();
});

const deps = (over: Partial<Parameters<typeof verifyCredential>[1]> = {}) => ({
  jwks: ring.jwks(),
  issuerId: ISSUER,
  statusBit: async (list: string, index: number) => (list === LIST ? revoked.has(index) : null),
  now: NOW,
  ...over,
});

const credential = (over: Partial<OpenBadgeCredential> = {}): OpenBadgeCredential => ({
  '@context': OB3_CONTEXTS,
  id: 'urn:uuid:0b5c7a52-1111-4000-8000-000000000042',
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: { id: ISSUER, type: ['Profile'], name: 'Hocso' },
  validFrom: '2025-06-01T00:00:00Z',
  name: 'Trí tuệ nhân tạo cho mọi người',
  credentialSubject: {
    id: 'did:example:learner-42',
    type: ['AchievementSubject'],
    achievement: { id: 'https://hocso.vn/a/ai', type: ['Achievement'], name: 'AI', criteria: { narrative: 'x' } },
  },
  credentialStatus: {
    id: `${LIST}#42`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: '42',
    statusListCredential: LIST,
  },
  ...over,
});

const check = (r: VerificationResult, name: string) => r.checks.find((c) => c.check === name)!;
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** Replaces one character in the middle of segment `seg` (0 header, 1 payload, 2 signature). */
function flip(jwt: string, seg: number): string {
  const parts = jwt.split('.');
  const s = parts[seg];
  const at = Math.floor(s.length / 2);
  parts[seg] = s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
  return parts.join('.');
}

describe('verifyCredential', () => {
  it('sign → verify: every check passes, status active', async () => {
    const jwt = await signCredential(credential(), ring.active);
    const r = await verifyCredential(jwt, deps());
    expect(r.checks.map((c) => [c.check, c.passed])).toEqual([
      ['format', true],
      ['signature', true],
      ['issuer', true],
      ['claims', true],
      ['validity', true],
      ['status', true],
    ]);
    expect(r).toMatchObject({ verified: true, status: 'active' });
    expect(r.credential?.id).toBe(credential().id);
    for (const c of r.checks) expect(c.message.vi && c.message.en).toBeTruthy();
    // and independently, with only jose
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(ring.jwks()), { issuer: ISSUER, currentDate: NOW });
    expect(payload.jti).toBe(credential().id);
  });

  it('the enveloped JSON form verifies the same as the JWT', async () => {
    const jwt = await signCredential(credential(), ring.active);
    const envelope = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: 'EnvelopedVerifiableCredential',
      id: `data:application/vc+jwt,${jwt}`,
    };
    const direct = await verifyCredential(jwt, deps());
    expect(await verifyCredential(envelope, deps())).toEqual(direct);
    expect(await verifyCredential(JSON.stringify(envelope), deps())).toEqual(direct);
    expect(await verifyCredential(`  ${jwt}\n`, deps())).toEqual(direct);
  });

  it('one changed byte of the payload or the signature fails the signature check', async () => {
    const jwt = await signCredential(credential(), ring.active);
    for (const seg of [1, 2]) {
      const r = await verifyCredential(flip(jwt, seg), deps());
      expect(r.verified).toBe(false);
      expect(r.status).toBe('invalid');
      expect(check(r, 'signature').passed).toBe(false);
    }
    // a payload edit that keeps valid JSON: only the signature check catches it
    const [h, , s] = jwt.split('.');
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
    payload.vc.name = 'Trí tuệ nhân tạo cho mọi ngườI';
    const r = await verifyCredential(`${h}.${b64(payload)}.${s}`, deps());
    expect(r.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(['signature', 'status']);
    expect(r.verified).toBe(false);
  });

  it('rejects alg none and an HS256 token forged with the public key', async () => {
    const jwt = await signCredential(credential(), ring.active);
    const payload = jwt.split('.')[1];
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    const hsHeader = b64({ alg: 'HS256', kid: ring.active.kid, typ: 'JWT' });
    const secret = JSON.stringify(ring.jwks().keys[0]);
    const hs = `${hsHeader}.${payload}.${createHmac('sha256', secret).update(`${hsHeader}.${payload}`).digest('base64url')}`;
    for (const forged of [none, hs]) {
      const r = await verifyCredential(forged, deps());
      expect(r.verified).toBe(false);
      expect(check(r, 'signature').passed).toBe(false);
      expect(check(r, 'signature').message.en).toMatch(/not accepted/);
    }
  });

  it('rejects a key that is not ours even under our kid, and unknown kids', async () => {
    const byForeign = await signCredential(credential(), foreign.active);
    expect(check(await verifyCredential(byForeign, deps()), 'signature').passed).toBe(false);
    const unknownKid = await signCredential(credential(), ring.active, { kid: 'k-other' });
    const r = await verifyCredential(unknownKid, deps());
    expect(check(r, 'signature').message.en).toMatch(/not one of the issuer's keys/);
  });

  it('accepts a kid URL that ends with a trusted kid', async () => {
    const jwt = await signCredential(credential(), ring.active, {
      kid: `https://hocso.vn/v1/credentials/keys/${ring.active.kid}`,
    });
    expect((await verifyCredential(jwt, deps())).verified).toBe(true);
  });

  it('wrong issuer fails the issuer check', async () => {
    const other = credential({ issuer: { id: 'https://evil.example/issuer', type: ['Profile'], name: 'Giả mạo' } });
    const r = await verifyCredential(await signCredential(other, ring.active), deps());
    expect(check(r, 'signature').passed).toBe(true);
    expect(check(r, 'issuer').passed).toBe(false);
    expect(r).toMatchObject({ verified: false, status: 'invalid' });

    // iss claim differing from issuer.id
    const cred = credential();
    const jwt = await signJwtCredential(cred as unknown as Record<string, unknown>, ring.active, {
      iss: 'https://evil.example/issuer',
      jti: cred.id,
      sub: cred.credentialSubject.id,
      nbf: Date.parse(cred.validFrom) / 1000,
    });
    expect(check(await verifyCredential(jwt, deps()), 'issuer').message.en).toMatch(/iss claim/);
  });

  it('claims must match the credential', async () => {
    const cred = credential();
    const jwt = await signJwtCredential(cred as unknown as Record<string, unknown>, ring.active, {
      iss: ISSUER,
      jti: 'urn:uuid:other',
      sub: 'did:example:someone-else',
      nbf: Date.parse(cred.validFrom) / 1000 + 1,
      exp: 2_000_000_000,
    });
    const r = await verifyCredential(jwt, deps());
    expect(check(r, 'claims').passed).toBe(false);
    expect(check(r, 'claims').message.en).toMatch(/jti.*sub.*nbf.*exp/);
    expect(r.status).toBe('invalid');
  });

  it('expired → status expired; not yet valid → not_yet_valid', async () => {
    const jwt = await signCredential(credential({ validUntil: '2025-12-31T23:59:59Z' }), ring.active);
    const r = await verifyCredential(jwt, deps());
    expect(check(r, 'validity').passed).toBe(false);
    expect(check(r, 'claims').passed).toBe(true);
    expect(r).toMatchObject({ verified: false, status: 'expired' });
    const early = await verifyCredential(jwt, deps({ now: new Date('2025-05-31T00:00:00Z') }));
    expect(early.status).toBe('not_yet_valid');
    const inside = await verifyCredential(jwt, deps({ now: new Date('2025-12-31T23:59:58Z') }));
    expect(inside.status).toBe('active');
  });

  it('revoked bit → status revoked', async () => {
    const jwt = await signCredential(credential(), ring.active);
    revoked.add(42);
    const r = await verifyCredential(jwt, deps());
    expect(check(r, 'status')).toMatchObject({ passed: false, message: { en: 'The credential has been revoked.' } });
    expect(r).toMatchObject({ verified: false, status: 'revoked' });
    // revoked wins over expired
    const expired = await verifyCredential(jwt, deps({ now: new Date('2030-01-01T00:00:00Z') }));
    expect(expired.status).toBe('revoked');
  });

  it('unknown or unreadable status list → status check fails, invalid', async () => {
    const jwt = await signCredential(credential(), ring.active);
    const unknown = await verifyCredential(jwt, deps({ statusBit: async () => null }));
    expect(check(unknown, 'status').passed).toBe(false);
    expect(unknown.status).toBe('invalid');
    const broken = await verifyCredential(
      jwt,
      deps({
        statusBit: async () => {
          throw new Error('db down');
        },
      }),
    );
    expect(check(broken, 'status').passed).toBe(false);
    expect(broken.verified).toBe(false);
  });

  it('a bare JSON credential has no proof: signature fails, every check reported', async () => {
    const r = await verifyCredential(credential(), deps());
    expect(r.checks.map((c) => c.check)).toEqual(['format', 'signature', 'issuer', 'claims', 'validity', 'status']);
    expect(check(r, 'format').passed).toBe(true);
    expect(check(r, 'signature').message.en).toMatch(/no signature/);
    expect(r).toMatchObject({ verified: false, status: 'invalid' });
    const withProof = await verifyCredential({ ...credential(), proof: { type: 'DataIntegrityProof' } }, deps());
    expect(check(withProof, 'signature').message.en).toMatch(/Data Integrity/);
  });

  it('a JWT whose vc is not an OB 3.0 credential fails the format check', async () => {
    const jwt = await signJwtCredential(
      { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['X'] },
      ring.active,
      {
        iss: ISSUER,
        jti: 'x',
        nbf: 0,
      },
    );
    const r = await verifyCredential(jwt, deps());
    expect(check(r, 'format').passed).toBe(false);
    expect(check(r, 'signature').passed).toBe(true);
    expect(r).toMatchObject({ verified: false, credential: null, status: 'invalid' });
  });

  it('garbage input → format failed, verified false, no throw', async () => {
    const inputs: unknown[] = [
      undefined,
      null,
      42,
      '',
      'xin chào',
      'a.b.c',
      '..',
      '{not json',
      [],
      {},
      { foo: 1 },
      { type: 'EnvelopedVerifiableCredential', id: 'https://x' },
      'data:application/vc+jwt,abc',
      'x'.repeat(2_000_000),
    ];
    for (const input of inputs) {
      const r = await verifyCredential(input, deps());
      expect(r).toMatchObject({ verified: false, credential: null, status: 'invalid' });
      expect(r.checks).toHaveLength(1);
      expect(r.checks[0]).toMatchObject({ check: 'format', passed: false });
    }
  });
});
