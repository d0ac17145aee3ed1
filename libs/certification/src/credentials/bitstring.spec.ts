import { gzipSync } from 'node:zlib';
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  Bitstring,
  DEFAULT_STATUS_LIST_TTL_MS,
  randomFreeIndex,
  STATUS_LIST_SIZE,
  signStatusListCredential,
  statusListCredential,
} from './bitstring';
import { SigningKeyRing } from './signing-keys';

describe('Bitstring', () => {
  it('defaults to 131,072 bits = 16,384 bytes, all clear', () => {
    const bits = new Bitstring();
    expect(STATUS_LIST_SIZE).toBe(131_072);
    expect(bits.length).toBe(131_072);
    expect(bits.bytes.length).toBe(16_384);
    expect(bits.bytes.every((b) => b === 0)).toBe(true);
  });

  it('index 0 is the most significant bit of the first byte', () => {
    const bits = new Bitstring(16);
    bits.set(0, true);
    expect(bits.bytes[0]).toBe(0x80);
    bits.set(7, true);
    bits.set(8, true);
    expect([...bits.bytes]).toEqual([0x81, 0x80]);
    bits.set(0, false);
    expect([...bits.bytes]).toEqual([0x01, 0x80]);
    expect(bits.get(7)).toBe(true);
    expect(bits.get(1)).toBe(false);
    expect(() => bits.get(16)).toThrow(RangeError);
    expect(() => bits.set(-1, true)).toThrow(RangeError);
    expect(() => bits.get(1.5)).toThrow(RangeError);
  });

  it('bytes is a copy; constructor checks the byte length', () => {
    const bits = new Bitstring(8, Uint8Array.of(0x40));
    expect(bits.get(1)).toBe(true);
    bits.bytes[0] = 0xff;
    expect(bits.get(0)).toBe(false);
    expect(() => new Bitstring(16, Uint8Array.of(1))).toThrow(RangeError);
    expect(new Bitstring(undefined, new Uint8Array(4)).length).toBe(32);
  });

  it('encodes as multibase base64url GZIP and round-trips', async () => {
    const bits = new Bitstring();
    const set = [0, 1, 7, 8, 4242, 65_535, 131_071];
    for (const i of set) bits.set(i, true);
    const encoded = await bits.encode();
    expect(encoded[0]).toBe('u');
    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
    expect(encoded.length).toBeLessThan(1000);
    // GZIP magic bytes
    expect([...Buffer.from(encoded.slice(1), 'base64url').subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    const decoded = await Bitstring.decode(encoded);
    expect(decoded.length).toBe(131_072);
    expect(Buffer.from(decoded.bytes).equals(Buffer.from(bits.bytes))).toBe(true);
    for (const i of set) expect(decoded.get(i)).toBe(true);
    expect(decoded.get(2)).toBe(false);
  });

  it('decode rejects other encodings', async () => {
    const gz = gzipSync(Buffer.alloc(16)).toString('base64url');
    await expect(Bitstring.decode(gz)).rejects.toThrow(/prefix 'u'/); // StatusList2021 style, no multibase
    await expect(Bitstring.decode(`z${gz}`)).rejects.toThrow();
    await expect(Bitstring.decode('u!!!')).rejects.toThrow();
    await expect(Bitstring.decode(`u${Buffer.from('not gzip').toString('base64url')}`)).rejects.toThrow(/GZIP/);
    expect((await Bitstring.decode(`u${gz}`)).length).toBe(128);
  });
});

describe('randomFreeIndex', () => {
  it('spreads 1,000 picks without duplicates', () => {
    const taken = new Set<number>();
    for (let k = 0; k < 1000; k++) {
      const i = randomFreeIndex((x) => taken.has(x));
      expect(taken.has(i)).toBe(false);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(i).toBeLessThan(STATUS_LIST_SIZE);
      taken.add(i);
    }
    expect(taken.size).toBe(1000);
    // spread: every eighth of the list gets picks (expected 125 each)
    const buckets = new Array(8).fill(0);
    for (const i of taken) buckets[Math.floor(i / (STATUS_LIST_SIZE / 8))]++;
    for (const b of buckets) expect(b).toBeGreaterThan(60);
  });

  it('fills a small list completely, then throws', () => {
    const taken = new Set<number>();
    for (let k = 0; k < 16; k++) taken.add(randomFreeIndex((x) => taken.has(x), 16));
    expect([...taken].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(() => randomFreeIndex((x) => taken.has(x), 16)).toThrow(/full/);
    expect(() => randomFreeIndex(() => false, 0)).toThrow(RangeError);
  });
});

describe('status list credential', () => {
  it('has the Bitstring Status List shape and signs as a VC-JWT', async () => {
    const ring = await SigningKeyRing.fromPems([{ kid: 'k-test', pem: await SigningKeyRing.generatePem() }]);
    const issuer = { id: 'https://hocso.vn/issuer', type: ['Profile'], name: 'Hocso' };
    const encodedList = await new Bitstring().encode();
    const input = {
      id: 'https://hocso.vn/v1/credentials/status/1',
      issuer,
      validFrom: '2025-03-01T00:00:00Z',
      encodedList,
    };
    const vc = statusListCredential(input);
    expect(vc).toEqual({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: input.id,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer,
      validFrom: input.validFrom,
      credentialSubject: {
        id: `${input.id}#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList,
        ttl: DEFAULT_STATUS_LIST_TTL_MS,
      },
    });
    expect((statusListCredential({ ...input, ttlMs: 60_000 }).credentialSubject as { ttl: number }).ttl).toBe(60_000);

    const jwt = await signStatusListCredential(input, ring.active);
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(ring.jwks()), { issuer: issuer.id });
    expect(protectedHeader).toEqual({ alg: 'RS256', kid: 'k-test', typ: 'JWT' });
    expect(payload).toMatchObject({ jti: input.id, sub: `${input.id}#list`, nbf: Date.parse(input.validFrom) / 1000 });
    expect(payload.vc).toEqual(vc);
  });
});
