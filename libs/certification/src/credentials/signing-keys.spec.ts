import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { SigningKeyRing } from './signing-keys';
import { OB3_CONTEXTS, type OpenBadgeCredential, signCredential } from './vc-jwt';
import { verifyCredential } from './verify';

const ISSUER = 'https://hocso.vn/issuer';
const root = mkdtempSync(join(tmpdir(), 'hocso-keys-'));
let n = 0;
const freshDir = () => join(root, `d${++n}`, 'keys');

afterAll(() => rm(root, { recursive: true, force: true }));

function credential(id: string): OpenBadgeCredential {
  return {
    '@context': OB3_CONTEXTS,
    id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: ISSUER, type: ['Profile'], name: 'Hocso' },
    validFrom: '2025-01-01T00:00:00Z',
    name: 'Kỹ năng số cơ bản',
    credentialSubject: {
      id: 'did:example:learner',
      type: ['AchievementSubject'],
      achievement: { id: 'https://hocso.vn/a/1', type: ['Achievement'], name: 'Kỹ năng số' },
    },
  };
}

const deps = (ring: SigningKeyRing) => ({ jwks: ring.jwks(), issuerId: ISSUER, statusBit: async () => false });

describe('SigningKeyRing.load', () => {
  it('throws without keys when create is false', async () => {
    const dir = freshDir();
    await expect(SigningKeyRing.load(dir, { create: false })).rejects.toThrow(`no credential signing key in ${dir}`);
  });

  it('creates one RSA-3072 key with mode 0600 and reloads it', async () => {
    const dir = freshDir();
    const ring = await SigningKeyRing.load(dir, { create: true });
    const { kid } = ring.active;
    expect(kid).toMatch(/^k-\d{8}-[0-9a-f]{6}$/);
    expect(ring.active.alg).toBe('RS256');
    expect((await stat(join(dir, `${kid}.private.pem`))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const pem = await readFile(join(dir, `${kid}.private.pem`), 'utf8');
    expect(pem).toContain('-----BEGIN PRIVATE KEY-----');
    const meta = JSON.parse(await readFile(join(dir, `${kid}.json`), 'utf8'));
    expect(meta.createdAt).toBe(ring.active.createdAt);

    const jwks = ring.jwks();
    expect(jwks.keys).toHaveLength(1);
    expect(Object.keys(jwks.keys[0]).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(jwks.keys[0]).toMatchObject({ kid, alg: 'RS256', use: 'sig', kty: 'RSA' });
    expect(Buffer.from(jwks.keys[0].n!, 'base64url').length * 8).toBe(3072);

    const again = await SigningKeyRing.load(dir, { create: false });
    expect(again.active.kid).toBe(kid);
    expect(again.jwks()).toEqual(jwks);
  });

  it('concurrent first starts on one empty directory end with a single key', async () => {
    const dir = freshDir();
    const rings = await Promise.all(Array.from({ length: 4 }, () => SigningKeyRing.load(dir, { create: true })));
    const kids = new Set(rings.map((r) => r.active.kid));
    expect(kids.size).toBe(1);
    const files = await readdir(dir);
    expect(files.filter((f) => f.endsWith('.private.pem'))).toHaveLength(1);
    expect(files.sort()).toEqual([`${[...kids][0]}.json`, `${[...kids][0]}.private.pem`]);
  });

  it('takes over a stale claim left by a crashed process', async () => {
    const dir = freshDir();
    await SigningKeyRing.load(dir, { create: true }).then(async (r) => {
      // simulate: keys wiped, but a crashed creator left its claim behind
      await rm(join(dir, `${r.active.kid}.private.pem`));
    });
    const claim = join(dir, '.first-key.claim');
    await writeFile(claim, 'k-dead');
    const old = new Date(Date.now() - 120_000);
    await utimes(claim, old, old);
    const ring = await SigningKeyRing.load(dir, { create: true });
    expect(ring.jwks().keys).toHaveLength(1);
  });
});

describe('rotation', () => {
  it('keeps the old kid verifiable and signs new credentials with the new kid', async () => {
    const dir = freshDir();
    const first = await SigningKeyRing.load(dir, { create: true });
    const oldKid = first.active.kid;
    const oldJwt = await signCredential(credential('urn:uuid:old'), first.active);

    const rotated = await SigningKeyRing.rotate(dir);
    expect(rotated.active.kid).not.toBe(oldKid);
    const reloaded = await SigningKeyRing.load(dir, { create: false });
    expect(reloaded.active.kid).toBe(rotated.active.kid);
    expect(
      reloaded
        .jwks()
        .keys.map((k) => k.kid)
        .sort(),
    ).toEqual([oldKid, rotated.active.kid].sort());
    expect(reloaded.byKid(oldKid)?.kid).toBe(oldKid);

    const newJwt = await signCredential(credential('urn:uuid:new'), reloaded.active);
    const header = JSON.parse(Buffer.from(newJwt.split('.')[0], 'base64url').toString());
    expect(header.kid).toBe(rotated.active.kid);

    for (const [jwt, id] of [
      [oldJwt, 'urn:uuid:old'],
      [newJwt, 'urn:uuid:new'],
    ]) {
      const result = await verifyCredential(jwt, deps(reloaded));
      expect(result.status).toBe('active');
      expect(result.verified).toBe(true);
      // and with nothing but jose
      const { payload } = await jwtVerify(jwt, createLocalJWKSet(reloaded.jwks()), { issuer: ISSUER });
      expect(payload.jti).toBe(id);
    }
    // the old ring alone does not know the new key
    expect((await verifyCredential(newJwt, deps(first))).verified).toBe(false);
  });

  it('activeKid selects a key and must exist', async () => {
    const dir = freshDir();
    const first = await SigningKeyRing.load(dir, { create: true });
    await SigningKeyRing.rotate(dir);
    const pinned = await SigningKeyRing.load(dir, { create: false, activeKid: first.active.kid });
    expect(pinned.active.kid).toBe(first.active.kid);
    await expect(SigningKeyRing.load(dir, { create: true, activeKid: 'k-nope' })).rejects.toThrow(/k-nope/);
  });
});

describe('SigningKeyRing.fromPems', () => {
  let pem: string;
  beforeAll(async () => {
    pem = await SigningKeyRing.generatePem();
  });

  it('uses activeKid, else the newest', async () => {
    const pem2 = await SigningKeyRing.generatePem();
    const keys = [
      { kid: 'a', pem, createdAt: '2025-01-01T00:00:00Z' },
      { kid: 'b', pem: pem2, createdAt: '2025-06-01T00:00:00Z' },
    ];
    expect((await SigningKeyRing.fromPems(keys)).active.kid).toBe('b');
    expect((await SigningKeyRing.fromPems(keys, 'a')).active.kid).toBe('a');
    await expect(SigningKeyRing.fromPems(keys, 'c')).rejects.toThrow(/c not found/);
  });

  it('rejects duplicate kids, PKCS#1, short RSA and non-RSA keys', async () => {
    await expect(
      SigningKeyRing.fromPems([
        { kid: 'a', pem },
        { kid: 'a', pem },
      ]),
    ).rejects.toThrow(/duplicate/);
    const pkcs1 = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    }).privateKey;
    await expect(SigningKeyRing.fromPems([{ kid: 'p1', pem: pkcs1 }])).rejects.toThrow(/PKCS#8/);
    const short = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    }).privateKey;
    await expect(SigningKeyRing.fromPems([{ kid: 's', pem: short }])).rejects.toThrow(/2048/);
    const ec = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    }).privateKey;
    await expect(SigningKeyRing.fromPems([{ kid: 'e', pem: ec }])).rejects.toThrow(/RSA/);
    await expect(SigningKeyRing.fromPems([{ kid: '../x', pem }])).rejects.toThrow(/invalid signing key id/);
  });
});
