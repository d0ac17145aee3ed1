import { randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { SigningKey } from './signing-keys';
import { type SignOptions, signJwtCredential, toNumericDate, VC_V2_CONTEXT } from './vc-jwt';
import type { OpenBadgeCredential } from './vc-jwt';

/**
 * W3C Bitstring Status List v1.0 (revocation): one bit per credential, GZIP-compressed, then multibase
 * base64url ('u' + base64url without padding). Index 0 is the most significant bit of the first byte.
 */

/** Entries per list: 131,072 bits = 16 KiB, the spec minimum (herd privacy). */
export const STATUS_LIST_SIZE = 131_072;
/** Default `ttl` of a status list credential (ms); the HTTP layer should use it for Cache-Control. */
export const DEFAULT_STATUS_LIST_TTL_MS = 300_000;
/** Refuse to inflate more than this (a hostile or broken list could be a GZIP bomb). */
const MAX_DECODED_BYTES = 16 * 1024 * 1024;
const MAX_ENCODED_LENGTH = 4 * 1024 * 1024;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export class Bitstring {
  readonly length: number;
  private readonly data: Uint8Array;

  constructor(lengthBits?: number, bytes?: Uint8Array) {
    const length = lengthBits ?? (bytes ? bytes.length * 8 : STATUS_LIST_SIZE);
    if (!Number.isSafeInteger(length) || length <= 0) throw new RangeError(`invalid bitstring length ${length}`);
    const byteLength = Math.ceil(length / 8);
    if (bytes && bytes.length !== byteLength) {
      throw new RangeError(`bitstring of ${length} bits needs ${byteLength} bytes, got ${bytes.length}`);
    }
    this.length = length;
    this.data = bytes ? Uint8Array.from(bytes) : new Uint8Array(byteLength);
  }

  private checkIndex(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new RangeError(`status index ${i} outside 0..${this.length - 1}`);
    }
  }

  get(i: number): boolean {
    this.checkIndex(i);
    return (this.data[i >> 3] & (0x80 >> (i & 7))) !== 0;
  }

  set(i: number, v: boolean): void {
    this.checkIndex(i);
    if (v) this.data[i >> 3] |= 0x80 >> (i & 7);
    else this.data[i >> 3] &= ~(0x80 >> (i & 7)) & 0xff;
  }

  /** A copy of the raw bytes (for storage). */
  get bytes(): Uint8Array {
    return Uint8Array.from(this.data);
  }

  /** `encodedList`: GZIP, then multibase base64url ('u' prefix, no padding). */
  async encode(): Promise<string> {
    const compressed = await gzipAsync(this.data);
    return `u${compressed.toString('base64url')}`;
  }

  static async decode(encoded: string): Promise<Bitstring> {
    if (typeof encoded !== 'string' || encoded.length < 2 || encoded.length > MAX_ENCODED_LENGTH) {
      throw new Error('encodedList is not a multibase base64url string');
    }
    if (encoded[0] !== 'u' || !/^[A-Za-z0-9_-]+$/.test(encoded.slice(1))) {
      throw new Error("encodedList must be multibase base64url (prefix 'u')");
    }
    let bytes: Buffer;
    try {
      bytes = await gunzipAsync(Buffer.from(encoded.slice(1), 'base64url'), { maxOutputLength: MAX_DECODED_BYTES });
    } catch (err) {
      throw new Error(`encodedList is not a GZIP-compressed bitstring: ${(err as Error).message}`);
    }
    if (bytes.length === 0) throw new Error('encodedList decodes to an empty bitstring');
    return new Bitstring(bytes.length * 8, bytes);
  }
}

/**
 * A uniformly random free index (crypto RNG), so positions leak nothing about issuance order. After
 * 64 taken draws it scans from a random start, so a full list throws instead of looping forever.
 */
export function randomFreeIndex(isTaken: (i: number) => boolean, size: number = STATUS_LIST_SIZE): number {
  if (!Number.isSafeInteger(size) || size <= 0 || size > 2 ** 47) throw new RangeError(`invalid list size ${size}`);
  for (let attempt = 0; attempt < 64; attempt++) {
    const i = randomInt(size);
    if (!isTaken(i)) return i;
  }
  const start = randomInt(size);
  for (let k = 0; k < size; k++) {
    const i = (start + k) % size;
    if (!isTaken(i)) return i;
  }
  throw new Error(`status list is full (${size} entries)`);
}

export interface StatusListCredentialInput {
  id: string;
  issuer: OpenBadgeCredential['issuer'];
  validFrom: string;
  encodedList: string;
  ttlMs?: number;
}

/** The BitstringStatusListCredential (unsigned) for one revocation list. */
export function statusListCredential(input: StatusListCredentialInput): Record<string, unknown> {
  return {
    '@context': [VC_V2_CONTEXT],
    id: input.id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuer,
    validFrom: input.validFrom,
    credentialSubject: {
      id: `${input.id}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: input.encodedList,
      ttl: input.ttlMs ?? DEFAULT_STATUS_LIST_TTL_MS,
    },
  };
}

/** Builds and signs the status list credential as a VC-JWT (iss, jti = id, sub = `<id>#list`, nbf). */
export async function signStatusListCredential(
  input: StatusListCredentialInput,
  key: SigningKey,
  options: SignOptions = {},
): Promise<string> {
  return signJwtCredential(
    statusListCredential(input),
    key,
    {
      iss: input.issuer.id,
      jti: input.id,
      sub: `${input.id}#list`,
      nbf: toNumericDate(input.validFrom, 'validFrom'),
    },
    options,
  );
}
