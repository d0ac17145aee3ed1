import { type CryptoKey, compactVerify, importJWK, type JWK, type KeyObject } from 'jose';
import {
  decodeCredentialJwt,
  decodeJwsSegment,
  MAX_JWT_LENGTH,
  type OpenBadgeCredential,
  VC_V2_CONTEXT,
} from './vc-jwt';

/**
 * Verification of an Open Badges 3.0 credential issued by us (what POST /v1/credentials/verify runs):
 * format → signature → issuer → claims → validity → status, every check reported (unless the input
 * cannot be read at all), messages in Vietnamese and English. Never throws on bad input.
 */

export type CheckName = 'format' | 'signature' | 'issuer' | 'claims' | 'validity' | 'status';

export interface VerificationCheck {
  check: CheckName;
  passed: boolean;
  message: { vi: string; en: string };
}

export interface VerificationResult {
  verified: boolean;
  credential: OpenBadgeCredential | null;
  checks: VerificationCheck[];
  status: 'active' | 'revoked' | 'expired' | 'not_yet_valid' | 'invalid';
}

export interface VerifyDeps {
  /** Trusted issuer keys (ours), e.g. `ring.jwks()`. */
  jwks: { keys: JWK[] };
  /** Our issuer id (URL); a credential from any other issuer fails the 'issuer' check. */
  issuerId: string;
  /** The bit at `index` of the list at `statusListCredential`; null = list unknown (→ 'status' fails). */
  statusBit: (statusListCredential: string, index: number) => Promise<boolean | null>;
  now?: Date;
}

/** Asymmetric algorithms only: never 'none', never HS* (a public key must not become an HMAC secret). */
export const ACCEPTED_ALGS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
const ACCEPTED_TYP = new Set(['JWT', 'vc+jwt', 'application/vc+jwt']);
const ENVELOPE_PREFIX = 'data:application/vc+jwt,';
const OB3_CONTEXT_PATTERN = /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-3\.0\.\d+)?\.json$/;
const OB3_TYPES = ['OpenBadgeCredential', 'AchievementCredential'];

type Msg = { vi: string; en: string };
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const fmtDate = (ms: number) => new Date(ms).toISOString();
const show = (v: unknown) => (typeof v === 'string' ? `"${v.length > 80 ? `${v.slice(0, 80)}…` : v}"` : String(v));

type Parsed =
  | { kind: 'jwt'; jwt: string; header: Obj; payload: Obj | null; vc: Obj | null }
  | { kind: 'bare'; vc: Obj }
  | { kind: 'unreadable'; message: Msg };

const UNREADABLE: Msg = {
  vi: 'Không đọc được: dữ liệu không phải chứng chỉ Open Badges 3.0 (VC-JWT, EnvelopedVerifiableCredential hoặc JSON).',
  en: 'Unreadable: the input is not an Open Badges 3.0 credential (VC-JWT, EnvelopedVerifiableCredential or JSON).',
};

function parseJwt(jwt: string): Parsed {
  const token = jwt.trim();
  if (token.length > MAX_JWT_LENGTH) {
    return {
      kind: 'unreadable',
      message: { vi: 'Dữ liệu quá lớn để là một chứng chỉ.', en: 'The input is too large to be a credential.' },
    };
  }
  const parts = token.split('.');
  if (parts.length !== 3) return { kind: 'unreadable', message: UNREADABLE };
  // the header must be readable for a signature check; a broken payload still gets one
  const header = decodeJwsSegment(parts[0]);
  if (!header || !/^[A-Za-z0-9_-]*$/.test(parts[2])) return { kind: 'unreadable', message: UNREADABLE };
  const payload = decodeCredentialJwt(token)?.payload ?? null;
  const vc = payload && isObj(payload.vc) ? payload.vc : null;
  return { kind: 'jwt', jwt: token, header, payload, vc };
}

function parseInput(input: unknown, depth = 0): Parsed {
  if (typeof input === 'string') {
    const s = input.trim();
    if (s.startsWith(ENVELOPE_PREFIX)) return parseJwt(s.slice(ENVELOPE_PREFIX.length));
    if (s.startsWith('{') && depth === 0 && s.length <= MAX_JWT_LENGTH) {
      try {
        return parseInput(JSON.parse(s), depth + 1);
      } catch {
        return { kind: 'unreadable', message: UNREADABLE };
      }
    }
    return parseJwt(s);
  }
  if (!isObj(input)) return { kind: 'unreadable', message: UNREADABLE };
  const types = asArray(input.type);
  if (types.includes('EnvelopedVerifiableCredential')) {
    const id = str(input.id);
    if (!id?.startsWith(ENVELOPE_PREFIX)) {
      return {
        kind: 'unreadable',
        message: {
          vi: `EnvelopedVerifiableCredential phải có id dạng "${ENVELOPE_PREFIX}<JWT>".`,
          en: `An EnvelopedVerifiableCredential needs an id of the form "${ENVELOPE_PREFIX}<JWT>".`,
        },
      };
    }
    return parseJwt(id.slice(ENVELOPE_PREFIX.length));
  }
  if (input['@context'] === undefined && input.type === undefined) return { kind: 'unreadable', message: UNREADABLE };
  return { kind: 'bare', vc: input };
}

function issuerIdOf(vc: Obj | null): string | undefined {
  if (!vc) return undefined;
  return typeof vc.issuer === 'string' ? vc.issuer : isObj(vc.issuer) ? str(vc.issuer.id) : undefined;
}

function formatProblems(vc: Obj | null, kind: 'jwt' | 'bare'): Msg[] {
  if (!vc) {
    return [
      {
        vi: 'JWT không có claim "vc" chứa chứng chỉ.',
        en: 'The JWT has no "vc" claim holding the credential.',
      },
    ];
  }
  const problems: Msg[] = [];
  const contexts = asArray(vc['@context']);
  if (contexts[0] !== VC_V2_CONTEXT || !contexts.some((c) => typeof c === 'string' && OB3_CONTEXT_PATTERN.test(c))) {
    problems.push({
      vi: '@context phải gồm ngữ cảnh VC 2.0 (đứng đầu) và ngữ cảnh Open Badges 3.0.',
      en: '@context must contain the VC 2.0 context (first) and the Open Badges 3.0 context.',
    });
  }
  const types = asArray(vc.type);
  if (!types.includes('VerifiableCredential') || !types.some((t) => OB3_TYPES.includes(t as string))) {
    problems.push({
      vi: 'type phải gồm "VerifiableCredential" và "OpenBadgeCredential".',
      en: 'type must contain "VerifiableCredential" and "OpenBadgeCredential".',
    });
  }
  if (!str(vc.id)) problems.push({ vi: 'Thiếu id của chứng chỉ.', en: 'The credential id is missing.' });
  if (!issuerIdOf(vc)) problems.push({ vi: 'Thiếu issuer.id.', en: 'issuer.id is missing.' });
  if (!str(vc.validFrom)) problems.push({ vi: 'Thiếu validFrom.', en: 'validFrom is missing.' });
  if (!isObj(vc.credentialSubject)) {
    problems.push({ vi: 'Thiếu credentialSubject.', en: 'credentialSubject is missing.' });
  }
  if (kind === 'jwt' && vc.proof !== undefined) {
    problems.push({
      vi: 'Chứng chỉ trong JWT không được có thành phần "proof".',
      en: 'The credential inside the JWT must not have a "proof" member.',
    });
  }
  return problems;
}

function join(problems: Msg[]): Msg {
  return { vi: problems.map((p) => p.vi).join(' '), en: problems.map((p) => p.en).join(' ') };
}

/** Imported trusted keys, per JWK object and alg (ring.jwks() returns the same frozen JWK objects). */
const importedKeys = new WeakMap<JWK, Map<string, CryptoKey | KeyObject | Uint8Array>>();

async function importTrusted(jwk: JWK, alg: string) {
  let byAlg = importedKeys.get(jwk);
  if (!byAlg) {
    byAlg = new Map();
    importedKeys.set(jwk, byAlg);
  }
  let key = byAlg.get(alg);
  if (!key) {
    key = await importJWK(jwk, alg);
    byAlg.set(alg, key);
  }
  return key;
}

/** A trusted key by header kid: equal, or a kid URL ending in `#<kid>` or `/<kid>` (OB 3.0 dereferenceable kid). */
function findKey(keys: JWK[], kid: string): JWK | undefined {
  return (
    keys.find((k) => k.kid === kid) ??
    keys.find(
      (k) => typeof k.kid === 'string' && k.kid !== '' && (kid.endsWith(`#${k.kid}`) || kid.endsWith(`/${k.kid}`)),
    )
  );
}

async function checkSignature(parsed: Parsed, deps: VerifyDeps): Promise<{ passed: boolean; message: Msg }> {
  if (parsed.kind === 'bare') {
    return {
      passed: false,
      message:
        parsed.vc.proof !== undefined
          ? {
              vi: 'Chứng chỉ JSON mang proof nhúng (Data Integrity); trình xác minh này chỉ kiểm tra dạng VC-JWT — hãy dùng bản JWT của chứng chỉ.',
              en: 'The JSON credential carries an embedded (Data Integrity) proof; this verifier checks the VC-JWT form only — use the JWT of the credential.',
            }
          : {
              vi: 'Chứng chỉ JSON không có chữ ký (không có JWT hay proof) nên không thể xác minh được.',
              en: 'The JSON credential has no signature (no JWT, no proof), so it cannot be verified.',
            },
    };
  }
  if (parsed.kind !== 'jwt') return { passed: false, message: UNREADABLE };
  const { header } = parsed;
  const alg = header.alg;
  if (typeof alg !== 'string' || !(ACCEPTED_ALGS as readonly string[]).includes(alg)) {
    return {
      passed: false,
      message: {
        vi: `Thuật toán chữ ký ${show(alg)} không được chấp nhận (chỉ ${ACCEPTED_ALGS.join(', ')}).`,
        en: `Signature algorithm ${show(alg)} is not accepted (only ${ACCEPTED_ALGS.join(', ')}).`,
      },
    };
  }
  if (header.typ !== undefined && !ACCEPTED_TYP.has(header.typ as string)) {
    return {
      passed: false,
      message: {
        vi: `Tiêu đề typ ${show(header.typ)} không hợp lệ cho VC-JWT.`,
        en: `Header typ ${show(header.typ)} is not valid for a VC-JWT.`,
      },
    };
  }
  const kid = str(header.kid);
  if (!kid) {
    return {
      passed: false,
      message: {
        vi: 'JWT không có kid nên không xác định được khóa của đơn vị cấp.',
        en: 'The JWT has no kid, so the issuer key cannot be identified.',
      },
    };
  }
  const jwk = findKey(deps.jwks.keys, kid);
  if (!jwk) {
    return {
      passed: false,
      message: {
        vi: `Khóa ${show(kid)} không thuộc các khóa của đơn vị cấp.`,
        en: `Key ${show(kid)} is not one of the issuer's keys.`,
      },
    };
  }
  if ((jwk.alg !== undefined && jwk.alg !== alg) || (jwk.use !== undefined && jwk.use !== 'sig')) {
    return {
      passed: false,
      message: {
        vi: `Khóa ${show(kid)} không dùng cho thuật toán ${alg}.`,
        en: `Key ${show(kid)} is not meant for algorithm ${alg}.`,
      },
    };
  }
  try {
    const key = await importTrusted(jwk, alg);
    await compactVerify(parsed.jwt, key, { algorithms: [alg] });
  } catch {
    return {
      passed: false,
      message: {
        vi: 'Chữ ký không hợp lệ: chứng chỉ đã bị sửa đổi hoặc không do đơn vị cấp ký.',
        en: 'Invalid signature: the credential was altered or not signed by the issuer.',
      },
    };
  }
  return {
    passed: true,
    message: {
      vi: `Chữ ký ${alg} hợp lệ (khóa ${kid}).`,
      en: `Valid ${alg} signature (key ${kid}).`,
    },
  };
}

function checkIssuer(parsed: Parsed, vc: Obj | null, deps: VerifyDeps): { passed: boolean; message: Msg } {
  const issuerId = issuerIdOf(vc);
  if (!issuerId) {
    return {
      passed: false,
      message: { vi: 'Không xác định được đơn vị cấp.', en: 'The issuer cannot be determined.' },
    };
  }
  if (issuerId !== deps.issuerId) {
    return {
      passed: false,
      message: {
        vi: `Chứng chỉ do ${show(issuerId)} cấp, không phải đơn vị cấp của hệ thống này.`,
        en: `The credential was issued by ${show(issuerId)}, not by this platform's issuer.`,
      },
    };
  }
  if (parsed.kind === 'jwt' && parsed.payload?.iss !== issuerId) {
    return {
      passed: false,
      message: {
        vi: 'Claim iss của JWT không khớp với issuer.id.',
        en: 'The JWT iss claim does not match issuer.id.',
      },
    };
  }
  return { passed: true, message: { vi: 'Đơn vị cấp hợp lệ.', en: 'Issuer recognised.' } };
}

function checkClaims(parsed: Parsed, vc: Obj | null): { passed: boolean; message: Msg } {
  if (parsed.kind !== 'jwt' || !parsed.payload || !vc) {
    return {
      passed: false,
      message: {
        vi: 'Không có claim JWT để đối chiếu với chứng chỉ.',
        en: 'There are no JWT claims to compare with the credential.',
      },
    };
  }
  const p = parsed.payload;
  const problems: Msg[] = [];
  if (p.jti !== vc.id) problems.push({ vi: 'jti khác id của chứng chỉ.', en: 'jti differs from the credential id.' });
  const subjectId = isObj(vc.credentialSubject) ? vc.credentialSubject.id : undefined;
  if (p.sub !== subjectId) {
    problems.push({ vi: 'sub khác credentialSubject.id.', en: 'sub differs from credentialSubject.id.' });
  }
  const validFrom = Date.parse(str(vc.validFrom) ?? '');
  if (Number.isNaN(validFrom) || p.nbf !== Math.floor(validFrom / 1000)) {
    problems.push({ vi: 'nbf khác validFrom.', en: 'nbf differs from validFrom.' });
  }
  if (vc.validUntil !== undefined) {
    const validUntil = Date.parse(str(vc.validUntil) ?? '');
    if (Number.isNaN(validUntil) || p.exp !== Math.floor(validUntil / 1000)) {
      problems.push({ vi: 'exp khác validUntil.', en: 'exp differs from validUntil.' });
    }
  } else if (p.exp !== undefined) {
    problems.push({
      vi: 'Có exp nhưng chứng chỉ không có validUntil.',
      en: 'exp is set but the credential has no validUntil.',
    });
  }
  if (problems.length) return { passed: false, message: join(problems) };
  return {
    passed: true,
    message: { vi: 'Các claim JWT khớp với chứng chỉ.', en: 'The JWT claims match the credential.' },
  };
}

function checkValidity(
  vc: Obj | null,
  now: Date,
): { passed: boolean; message: Msg; state?: 'expired' | 'not_yet_valid' } {
  const validFrom = Date.parse(str(vc?.validFrom) ?? '');
  if (Number.isNaN(validFrom)) {
    return { passed: false, message: { vi: 'validFrom không hợp lệ.', en: 'validFrom is not a valid date-time.' } };
  }
  const untilRaw = vc?.validUntil;
  const validUntil = untilRaw === undefined ? undefined : Date.parse(str(untilRaw) ?? '');
  if (validUntil !== undefined && Number.isNaN(validUntil)) {
    return { passed: false, message: { vi: 'validUntil không hợp lệ.', en: 'validUntil is not a valid date-time.' } };
  }
  const t = now.getTime();
  if (t < validFrom) {
    return {
      passed: false,
      state: 'not_yet_valid',
      message: {
        vi: `Chứng chỉ chưa có hiệu lực (từ ${fmtDate(validFrom)}).`,
        en: `The credential is not valid yet (valid from ${fmtDate(validFrom)}).`,
      },
    };
  }
  if (validUntil !== undefined && t >= validUntil) {
    return {
      passed: false,
      state: 'expired',
      message: {
        vi: `Chứng chỉ đã hết hạn (${fmtDate(validUntil)}).`,
        en: `The credential expired on ${fmtDate(validUntil)}.`,
      },
    };
  }
  return {
    passed: true,
    message:
      validUntil === undefined
        ? {
            vi: 'Chứng chỉ đang có hiệu lực (không thời hạn).',
            en: 'The credential is in its validity period (no expiry).',
          }
        : {
            vi: `Chứng chỉ có hiệu lực đến ${fmtDate(validUntil)}.`,
            en: `The credential is valid until ${fmtDate(validUntil)}.`,
          },
  };
}

/** A credential names a handful of status lists at most; more is refused without reading any. */
const MAX_STATUS_ENTRIES = 4;

async function checkStatus(
  vc: Obj | null,
  deps: VerifyDeps,
): Promise<{ passed: boolean; message: Msg; revoked: boolean }> {
  const entries = asArray(vc?.credentialStatus);
  if (entries.length > MAX_STATUS_ENTRIES) {
    return {
      passed: false,
      revoked: false,
      message: {
        vi: `Quá nhiều mục trạng thái (tối đa ${MAX_STATUS_ENTRIES}).`,
        en: `Too many status entries (at most ${MAX_STATUS_ENTRIES}).`,
      },
    };
  }
  if (entries.length === 0) {
    return {
      passed: true,
      revoked: false,
      message: {
        vi: 'Chứng chỉ không có mục danh sách trạng thái (không thể bị thu hồi).',
        en: 'The credential has no status list entry (it cannot be revoked).',
      },
    };
  }
  const problems: Msg[] = [];
  let revoked = false;
  for (const entry of entries) {
    if (!isObj(entry) || entry.type !== 'BitstringStatusListEntry' || entry.statusPurpose !== 'revocation') {
      problems.push({
        vi: 'Mục trạng thái không được hỗ trợ (chỉ BitstringStatusListEntry, mục đích revocation).',
        en: 'Unsupported status entry (only BitstringStatusListEntry with purpose revocation).',
      });
      continue;
    }
    const list = str(entry.statusListCredential);
    const indexText = str(entry.statusListIndex);
    const index = indexText && /^\d{1,15}$/.test(indexText) ? Number(indexText) : Number.NaN;
    if (!list || !Number.isSafeInteger(index)) {
      problems.push({
        vi: 'Mục trạng thái thiếu statusListCredential hoặc statusListIndex hợp lệ.',
        en: 'The status entry lacks a valid statusListCredential or statusListIndex.',
      });
      continue;
    }
    let bit: boolean | null;
    try {
      bit = await deps.statusBit(list, index);
    } catch {
      problems.push({
        vi: 'Không đọc được danh sách trạng thái lúc này.',
        en: 'The status list cannot be read right now.',
      });
      continue;
    }
    if (bit === null) {
      problems.push({ vi: 'Danh sách trạng thái không xác định.', en: 'Unknown status list.' });
    } else if (bit) {
      revoked = true;
    }
  }
  if (revoked) {
    return {
      passed: false,
      revoked: true,
      message: { vi: 'Chứng chỉ đã bị thu hồi.', en: 'The credential has been revoked.' },
    };
  }
  if (problems.length) return { passed: false, revoked: false, message: join(problems) };
  return {
    passed: true,
    revoked: false,
    message: { vi: 'Chứng chỉ chưa bị thu hồi.', en: 'The credential has not been revoked.' },
  };
}

export async function verifyCredential(input: unknown, deps: VerifyDeps): Promise<VerificationResult> {
  const parsed = parseInput(input);
  if (parsed.kind === 'unreadable') {
    return {
      verified: false,
      credential: null,
      checks: [{ check: 'format', passed: false, message: parsed.message }],
      status: 'invalid',
    };
  }
  const vc = parsed.vc;
  const checks: VerificationCheck[] = [];
  const add = (check: CheckName, r: { passed: boolean; message: Msg }) =>
    checks.push({ check, passed: r.passed, message: r.message });

  const problems = formatProblems(vc, parsed.kind);
  const formatOk = problems.length === 0;
  add('format', {
    passed: formatOk,
    message: formatOk
      ? parsed.kind === 'jwt'
        ? { vi: 'Định dạng VC-JWT Open Badges 3.0 hợp lệ.', en: 'Well-formed Open Badges 3.0 VC-JWT.' }
        : { vi: 'Định dạng chứng chỉ Open Badges 3.0 hợp lệ.', en: 'Well-formed Open Badges 3.0 credential.' }
      : join(problems),
  });
  const signature = await checkSignature(parsed, deps);
  add('signature', signature);
  add('issuer', checkIssuer(parsed, vc, deps));
  add('claims', checkClaims(parsed, vc));
  const validity = checkValidity(vc, deps.now ?? new Date());
  add('validity', validity);
  // Status lists are read only for a credential our key signed: an unsigned or forged body cannot
  // make the verifier do database or network work.
  const status = signature.passed
    ? await checkStatus(vc, deps)
    : {
        passed: false,
        revoked: false,
        message: {
          vi: 'Không kiểm tra trạng thái vì chữ ký không hợp lệ.',
          en: 'Status not checked: the signature is not valid.',
        },
      };
  add('status', status);

  const verified = checks.every((c) => c.passed);
  const structural = checks.filter((c) => c.check !== 'validity' && c.check !== 'status').every((c) => c.passed);
  let overall: VerificationResult['status'];
  if (verified) overall = 'active';
  else if (!structural || (!status.passed && !status.revoked) || (!validity.passed && !validity.state)) {
    overall = 'invalid';
  } else if (status.revoked) overall = 'revoked';
  else overall = validity.state ?? 'invalid';

  return {
    verified,
    credential: formatOk ? (vc as unknown as OpenBadgeCredential) : null,
    checks,
    status: overall,
  };
}
