import { createHash } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { SigningKeyRing } from './signing-keys';
import {
  decodeCredentialJwt,
  hashedEmailIdentifier,
  OB3_CONTEXTS,
  type OpenBadgeCredential,
  signCredential,
  signJwtCredential,
} from './vc-jwt';

const ISSUER = 'https://hocso.vn/issuer';
let ring: SigningKeyRing;

beforeAll(async () => {
  ring = await SigningKeyRing.fromPems([{ kid: 'k-20250101-abcdef', pem: await SigningKeyRing.generatePem() }]);
});

const credential = (over: Partial<OpenBadgeCredential> = {}): OpenBadgeCredential => ({
  '@context': OB3_CONTEXTS,
  id: 'urn:uuid:3f1c2a9e-0000-4000-8000-000000000001',
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: { id: ISSUER, type: ['Profile'], name: 'Hocso — Học Số', url: 'https://hocso.vn' },
  validFrom: '2025-01-15T03:04:05.678Z',
  validUntil: '2027-01-15T03:04:05Z',
  name: 'Kỹ năng số cơ bản',
  credentialSubject: {
    id: 'did:example:learner-1',
    type: ['AchievementSubject'],
    identifier: [hashedEmailIdentifier('an@example.vn', 'muoi')],
    achievement: {
      id: 'https://hocso.vn/achievements/ky-nang-so',
      type: ['Achievement'],
      name: 'Kỹ năng số cơ bản',
      description: 'Hoàn thành khóa học kỹ năng số cơ bản',
      criteria: { narrative: 'Đạt bài kiểm tra cuối khóa' },
    },
  },
  credentialStatus: {
    id: 'https://hocso.vn/v1/credentials/status/1#42',
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: '42',
    statusListCredential: 'https://hocso.vn/v1/credentials/status/1',
  },
  ...over,
});

describe('signCredential', () => {
  it('produces an OB 3.0 VC-JWT that plain jose verifies', async () => {
    const cred = credential();
    const jwt = await signCredential({ ...cred, proof: { type: 'x' } } as OpenBadgeCredential, ring.active);
    expect(jwt.split('.')).toHaveLength(3);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', kid: 'k-20250101-abcdef', typ: 'JWT' });

    const { payload } = await jwtVerify(jwt, createLocalJWKSet(ring.jwks()), {
      issuer: ISSUER,
      subject: 'did:example:learner-1',
      algorithms: ['RS256'],
      currentDate: new Date('2026-01-01T00:00:00Z'),
    });
    expect(payload.jti).toBe(cred.id);
    expect(payload.nbf).toBe(Math.floor(Date.parse(cred.validFrom) / 1000));
    expect(payload.exp).toBe(Date.parse(cred.validUntil!) / 1000);
    expect(typeof payload.iat).toBe('number');
    expect(payload.vc).toEqual(cred); // no proof member
  });

  it('omits sub and exp when the credential has no subject id / validUntil', async () => {
    const cred = credential({ validUntil: undefined });
    delete cred.validUntil;
    delete cred.credentialSubject.id;
    const { payload } = decodeCredentialJwt(await signCredential(cred, ring.active))!;
    expect(payload.sub).toBeUndefined();
    expect(payload.exp).toBeUndefined();
  });

  it('can put a dereferenceable kid URL in the header', async () => {
    const jwt = await signCredential(credential(), ring.active, {
      kid: 'https://hocso.vn/v1/credentials/keys/k-20250101-abcdef',
    });
    expect(decodeProtectedHeader(jwt).kid).toBe('https://hocso.vn/v1/credentials/keys/k-20250101-abcdef');
  });

  it('rejects credentials without id, issuer or a valid validFrom', async () => {
    await expect(signCredential(credential({ id: '' }), ring.active)).rejects.toThrow(/id/);
    await expect(signCredential(credential({ validFrom: 'hôm qua' }), ring.active)).rejects.toThrow(/validFrom/);
  });

  it('signJwtCredential sets exactly the given claims', async () => {
    const jwt = await signJwtCredential({ a: 1, proof: {} }, ring.active, { iss: 'x', jti: 'y', nbf: 100, exp: 200 });
    const { payload } = decodeCredentialJwt(jwt)!;
    expect(payload).toMatchObject({ iss: 'x', jti: 'y', nbf: 100, exp: 200, vc: { a: 1 } });
    expect(payload.sub).toBeUndefined();
  });
});

describe('decodeCredentialJwt', () => {
  it('returns null on garbage', () => {
    for (const bad of ['', 'abc', 'a.b', 'a.b.c', '..', 'e30.e30.!!', 'eyJ.eyJ.x', '[].{}.x', 'WzFd.e30.', 123]) {
      expect(decodeCredentialJwt(bad as string)).toBeNull();
    }
    expect(decodeCredentialJwt('e30.e30.')).toEqual({ header: {}, payload: {} });
  });
});

describe('hashedEmailIdentifier', () => {
  it('is sha256$ + hex(sha256(email + salt)) of the normalised email', () => {
    const id = hashedEmailIdentifier('  An@Example.VN ', 'salt123');
    const hex = createHash('sha256')
      .update('an@example.vn' + 'salt123')
      .digest('hex');
    expect(id).toEqual({
      type: 'IdentityObject',
      identityHash: `sha256$${hex}`,
      identityType: 'emailAddress',
      hashed: true,
      salt: 'salt123',
    });
  });
});
