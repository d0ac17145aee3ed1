import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type CryptoKey, importPKCS8, type JWK, type KeyObject } from 'jose';

/**
 * Issuer signing keys for Open Badges 3.0 VC-JWT: RSA (3072-bit when generated here, at least 2048
 * accepted), alg RS256 — the OB 3.0 minimum. Each key is a PKCS#8 PEM file `<kid>.private.pem`
 * (mode 0600) with `<kid>.json` beside it holding `createdAt`. Rotation = add a new key (see
 * `SigningKeyRing.rotate`): the newest signs, all of them stay in the JWKS so older credentials keep
 * verifying. A kid is never reused for another key.
 */

export interface SigningKey {
  kid: string;
  alg: 'RS256';
  privateKey: CryptoKey | KeyObject;
  publicJwk: JWK;
  createdAt: string;
}

export const SIGNING_KEY_BITS = 3072;
const MIN_RSA_BITS = 2048;
const PEM_SUFFIX = '.private.pem';
const KID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Held only while the first key is renamed into place; older than this means its holder died. */
const CLAIM_FILE = '.first-key.claim';
const CLAIM_STALE_MS = 30_000;
const CLAIM_WAIT_MS = 60_000;

const generateKeyPairAsync = promisify(generateKeyPair);

function newKid(now = new Date()): string {
  const ymd = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `k-${ymd}-${randomBytes(3).toString('hex')}`;
}

async function generatePem(): Promise<string> {
  const { privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: SIGNING_KEY_BITS,
    publicExponent: 0x10001,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return privateKey;
}

async function toSigningKey(kid: string, pem: string, createdAt: string): Promise<SigningKey> {
  if (!KID_PATTERN.test(kid)) throw new Error(`invalid signing key id "${kid}"`);
  if (!pem.includes('-----BEGIN PRIVATE KEY-----')) throw new Error(`signing key ${kid} is not a PKCS#8 PEM`);
  const keyObject = createPrivateKey(pem);
  const bits = keyObject.asymmetricKeyDetails?.modulusLength ?? 0;
  if (keyObject.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_BITS) {
    throw new Error(`signing key ${kid} must be RSA of at least ${MIN_RSA_BITS} bits (RS256)`);
  }
  const { kty, n, e } = createPublicKey(keyObject).export({ format: 'jwk' });
  const publicJwk: JWK = Object.freeze({ kty, n, e, kid, alg: 'RS256', use: 'sig' });
  const privateKey = await importPKCS8(pem, 'RS256');
  return { kid, alg: 'RS256', privateKey, publicJwk, createdAt };
}

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

async function readKeyFiles(dir: string): Promise<SigningKey[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return [];
    throw err;
  }
  const keys: SigningKey[] = [];
  for (const name of names.filter((n) => n.endsWith(PEM_SUFFIX) && !n.startsWith('.')).sort()) {
    const kid = name.slice(0, -PEM_SUFFIX.length);
    const pemPath = join(dir, name);
    const pem = await readFile(pemPath, 'utf8');
    let createdAt: string | undefined;
    try {
      const meta = JSON.parse(await readFile(join(dir, `${kid}.json`), 'utf8')) as { createdAt?: unknown };
      if (typeof meta.createdAt === 'string' && !Number.isNaN(Date.parse(meta.createdAt))) createdAt = meta.createdAt;
    } catch {
      // no (readable) metadata: fall back to the PEM's mtime
    }
    createdAt ??= (await stat(pemPath)).mtime.toISOString();
    keys.push(await toSigningKey(kid, pem, createdAt));
  }
  return keys;
}

/** Writes a new key as `.<kid>.private.pem.tmp` + `<kid>.json`; the caller renames the PEM into place. */
async function stageNewKey(dir: string): Promise<{ kid: string; tmp: string; meta: string; final: string }> {
  const pem = await generatePem();
  const createdAt = new Date().toISOString();
  const kid = newKid();
  const tmp = join(dir, `.${kid}${PEM_SUFFIX}.tmp`);
  const meta = join(dir, `${kid}.json`);
  await writeFile(tmp, pem, { mode: 0o600, flag: 'wx' });
  await writeFile(meta, `${JSON.stringify({ kid, alg: 'RS256', bits: SIGNING_KEY_BITS, createdAt })}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  return { kid, tmp, meta, final: join(dir, `${kid}${PEM_SUFFIX}`) };
}

async function hasKeyFile(dir: string): Promise<boolean> {
  return (await readdir(dir)).some((n) => n.endsWith(PEM_SUFFIX) && !n.startsWith('.'));
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * First key of an empty directory, safe against concurrent first starts: every process generates a
 * candidate, then only the holder of the exclusive (wx) claim file — after re-checking that no key
 * appeared meanwhile — renames its candidate into place; the others discard theirs and re-read.
 */
async function createFirstKey(dir: string): Promise<void> {
  const staged = await stageNewKey(dir);
  const claim = join(dir, CLAIM_FILE);
  const deadline = Date.now() + CLAIM_WAIT_MS;
  try {
    for (;;) {
      if (await hasKeyFile(dir)) return;
      try {
        await writeFile(claim, staged.kid, { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if (errCode(err) !== 'EEXIST') throw err;
        const age = await stat(claim).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (age > CLAIM_STALE_MS) await rm(claim, { force: true });
        else if (Date.now() > deadline) throw new Error(`timed out waiting for ${claim}`);
        else await sleep(25);
        continue;
      }
      try {
        if (!(await hasKeyFile(dir))) {
          await rename(staged.tmp, staged.final);
          return;
        }
      } finally {
        await rm(claim, { force: true });
      }
    }
  } finally {
    await rm(staged.tmp, { force: true });
    if (!(await exists(staged.final))) await rm(staged.meta, { force: true });
  }
}

export class SigningKeyRing {
  private readonly ordered: SigningKey[];

  private constructor(
    keys: SigningKey[],
    private readonly activeKey: SigningKey,
  ) {
    // newest first, so jwks() lists the active key (normally the newest) near the top
    this.ordered = [...keys].sort(
      (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.kid < b.kid ? 1 : -1),
    );
  }

  /**
   * Reads every `<kid>.private.pem` in `dir`. With none: `create` generates one (mode 0600, the
   * directory is created 0700), otherwise throws. Active = `activeKid` if given, else the newest.
   */
  static async load(dir: string, options: { create: boolean; activeKid?: string }): Promise<SigningKeyRing> {
    let keys = await readKeyFiles(dir);
    if (keys.length === 0) {
      if (!options.create) throw new Error(`no credential signing key in ${dir}`);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await createFirstKey(dir);
      keys = await readKeyFiles(dir);
      if (keys.length === 0) throw new Error(`no credential signing key in ${dir}`);
    }
    return SigningKeyRing.build(keys, options.activeKid, dir);
  }

  /**
   * Rotation: writes a new key into `dir` (which must exist or is created) and returns the ring with
   * it active. Other processes pick it up on their next `load`; until then they sign with the old
   * key, and only verify new credentials once they have reloaded.
   */
  static async rotate(dir: string): Promise<SigningKeyRing> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const staged = await stageNewKey(dir);
    await rename(staged.tmp, staged.final);
    return SigningKeyRing.load(dir, { create: false, activeKid: staged.kid });
  }

  /** From PEM strings (tests, keys from configuration/secrets). createdAt defaults to now. */
  static async fromPems(
    pems: Array<{ kid: string; pem: string; createdAt?: string }>,
    activeKid?: string,
  ): Promise<SigningKeyRing> {
    if (pems.length === 0) throw new Error('no credential signing key given');
    const now = new Date().toISOString();
    const keys = await Promise.all(pems.map((p) => toSigningKey(p.kid, p.pem, p.createdAt ?? now)));
    return SigningKeyRing.build(keys, activeKid, 'the given keys');
  }

  /** A fresh PKCS#8 PEM (RSA 3072) — for tests and key provisioning scripts. */
  static generatePem(): Promise<string> {
    return generatePem();
  }

  private static build(keys: SigningKey[], activeKid: string | undefined, where: string): SigningKeyRing {
    const seen = new Set<string>();
    for (const k of keys) {
      if (seen.has(k.kid)) throw new Error(`duplicate signing key id ${k.kid}`);
      seen.add(k.kid);
    }
    let active: SigningKey | undefined;
    if (activeKid !== undefined) {
      active = keys.find((k) => k.kid === activeKid);
      if (!active) throw new Error(`signing key ${activeKid} not found in ${where}`);
    } else {
      active = keys.reduce((a, b) => {
        const d = Date.parse(b.createdAt) - Date.parse(a.createdAt);
        return d > 0 || (d === 0 && b.kid > a.kid) ? b : a;
      });
    }
    return new SigningKeyRing(keys, active);
  }

  get active(): SigningKey {
    return this.activeKey;
  }

  /** Every key, newest first. */
  get keys(): readonly SigningKey[] {
    return this.ordered;
  }

  byKid(kid: string): SigningKey | undefined {
    return this.ordered.find((k) => k.kid === kid);
  }

  /** Public keys only (kty, n, e, kid, alg, use) — active and retired. The JWK objects are frozen. */
  jwks(): { keys: JWK[] } {
    return { keys: this.ordered.map((k) => k.publicJwk) };
  }
}

/**
 * A key ring loaded once, on first use (services hold one: the certificate issuer, the LTI tool);
 * a failed load — a folder not mounted yet — is tried again on the next call.
 */
export class LazyKeyRing {
  private ring?: Promise<SigningKeyRing>;

  constructor(
    private readonly dir: string,
    private readonly options: { create: boolean; activeKid?: string },
  ) {}

  get(): Promise<SigningKeyRing> {
    if (!this.ring) {
      const loading = SigningKeyRing.load(this.dir, this.options);
      loading.catch(() => {
        if (this.ring === loading) this.ring = undefined;
      });
      this.ring = loading;
    }
    return this.ring;
  }
}
