import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningKey } from './signing-keys';

/**
 * Open Badges 3.0 credentials secured as VC-JWT (1EdTech `ob_v3p0/integrity.md`, "JSON Web Token
 * Proof Format"): a compact JWS whose JOSE header is exactly {alg, kid, typ} and whose payload holds
 * iss = issuer.id, jti = id, sub = credentialSubject.id, nbf = validFrom, exp = validUntil, iat and
 * `vc` = the credential (without any `proof` member).
 */

export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const OB3_CONTEXTS: string[] = Object.freeze([VC_V2_CONTEXT, OB3_CONTEXT]) as string[];

/**
 * `typ` of the JOSE header. OB 3.0 integrity.md: "If present, MUST be set to "JWT"" (VC-JOSE-COSE for
 * VCDM 2.0 uses `vc+jwt`, but with the credential as the payload, not in a `vc` claim).
 */
export const VC_JWT_TYP = 'JWT';

export interface BitstringStatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: 'revocation';
  statusListIndex: string;
  statusListCredential: string;
}

export interface IdentityObject {
  type: 'IdentityObject';
  identityHash: string;
  identityType: string;
  hashed: boolean;
  salt?: string;
}

export interface OpenBadgeCredential {
  '@context': string[];
  id: string;
  type: string[];
  issuer: { id: string; type: string[]; name: string; url?: string };
  validFrom: string;
  validUntil?: string;
  name: string;
  credentialSubject: {
    id?: string;
    type: string[];
    identifier?: IdentityObject[];
    achievement: Record<string, unknown>;
  };
  credentialStatus?: BitstringStatusListEntry | BitstringStatusListEntry[];
}

/** Extra signing options: `kid` overrides the header kid, e.g. with a URL that dereferences to the JWK. */
export interface SignOptions {
  kid?: string;
}

/** ISO date-time → NumericDate (whole seconds, rounded down); throws on an unparsable date. */
export function toNumericDate(iso: string, field: string): number {
  const ms = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`credential ${field} is not a date-time: ${iso}`);
  return Math.floor(ms / 1000);
}

/** Signs any credential JSON as a VC-JWT with the given registered claims (status lists use this). */
export async function signJwtCredential(
  vc: Record<string, unknown>,
  key: SigningKey,
  claims: { iss: string; jti: string; sub?: string; nbf: number; exp?: number },
  options: SignOptions = {},
): Promise<string> {
  if (key.alg !== 'RS256') throw new Error(`unsupported signing algorithm ${String(key.alg)}`);
  const { proof: _proof, ...body } = vc;
  const jwt = new SignJWT({ vc: body })
    .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: VC_JWT_TYP })
    .setIssuer(claims.iss)
    .setJti(claims.jti)
    .setNotBefore(claims.nbf)
    .setIssuedAt();
  if (claims.sub !== undefined) jwt.setSubject(claims.sub);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  return jwt.sign(key.privateKey);
}

/** VC-JWT of an OpenBadgeCredential, claims derived from the credential per OB 3.0. */
export async function signCredential(
  credential: OpenBadgeCredential,
  key: SigningKey,
  options: SignOptions = {},
): Promise<string> {
  if (!credential.id) throw new Error('credential id is required');
  if (!credential.issuer?.id) throw new Error('credential issuer.id is required');
  return signJwtCredential(
    credential as unknown as Record<string, unknown>,
    key,
    {
      iss: credential.issuer.id,
      jti: credential.id,
      sub: credential.credentialSubject?.id,
      nbf: toNumericDate(credential.validFrom, 'validFrom'),
      exp: credential.validUntil === undefined ? undefined : toNumericDate(credential.validUntil, 'validUntil'),
    },
    options,
  );
}

/** Upper bound for anything we parse as a VC-JWT (a credential with an embedded image stays far below). */
export const MAX_JWT_LENGTH = 1_000_000;
const B64URL = /^[A-Za-z0-9_-]*$/;

/** One base64url JSON-object segment of a compact JWS, or null. */
export function decodeJwsSegment(segment: string): Record<string, unknown> | null {
  if (segment.length === 0 || !B64URL.test(segment)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Header and payload of a compact JWS, WITHOUT verifying anything; null when it is not one. */
export function decodeCredentialJwt(
  jwt: string,
): { header: Record<string, unknown>; payload: Record<string, unknown> } | null {
  if (typeof jwt !== 'string' || jwt.length > MAX_JWT_LENGTH) return null;
  const parts = jwt.trim().split('.');
  if (parts.length !== 3 || !B64URL.test(parts[2])) return null;
  const header = decodeJwsSegment(parts[0]);
  const payload = decodeJwsSegment(parts[1]);
  return header && payload ? { header, payload } : null;
}

/**
 * Hashed email recipient (OB 3.0 IdentityObject): identityHash = 'sha256$' + hex(sha256(email + salt)).
 * The email is trimmed and lower-cased first so the hash matches however the learner types it.
 */
export function hashedEmailIdentifier(
  email: string,
  salt: string,
): { type: 'IdentityObject'; identityHash: string; identityType: 'emailAddress'; hashed: true; salt: string } {
  const normalized = email.trim().toLowerCase();
  const hex = createHash('sha256')
    .update(normalized + salt, 'utf8')
    .digest('hex');
  return { type: 'IdentityObject', identityHash: `sha256$${hex}`, identityType: 'emailAddress', hashed: true, salt };
}
