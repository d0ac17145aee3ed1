import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import type { JWK } from 'jose';
import { LazyKeyRing, type SignOptions, type SigningKeyRing } from '../credentials';

/**
 * The issuer's signing keys (RS256), loaded once from CREDENTIAL_KEYS_DIR: generated at first
 * start outside production, provided by the operator in production. Every key in the folder stays
 * in the JWKS, so credentials signed before a rotation keep verifying.
 */
@Injectable()
export class CredentialKeys implements OnModuleInit {
  private readonly ring: LazyKeyRing;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.ring = new LazyKeyRing(config.certification.keysDir, {
      create: config.certification.createKeys,
      activeKid: config.certification.activeKid,
    });
  }

  /** In production the keys must be there at start (a missing folder stops the process, not a request). */
  async onModuleInit() {
    if (this.config.env === 'production') await this.keys();
  }

  keys(): Promise<SigningKeyRing> {
    return this.ring.get();
  }

  /**
   * OB 3.0 wants the JWS `kid` to be a URI that dereferences to the key: every key is published as
   * `${PUBLIC_URL}/v1/credentials/keys/<kid>`, and the JWKS lists the keys under those same ids, so
   * a generic verifier (e.g. jose with the JWKS) matches the header kid directly.
   */
  kidUrl(kid: string): string {
    return `${this.config.http.publicUrl}/v1/credentials/keys/${kid}`;
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const ring = await this.keys();
    return { keys: ring.jwks().keys.map((k) => ({ ...k, kid: this.kidUrl(k.kid as string) })) };
  }

  async jwk(kid: string): Promise<JWK | null> {
    const ring = await this.keys();
    const key = ring.jwks().keys.find((k) => k.kid === kid);
    return key ? { ...key, kid: this.kidUrl(kid) } : null;
  }

  /** The active key and the options that put its URL in the JWS header. */
  async signer(): Promise<{ key: SigningKeyRing['active']; options: SignOptions }> {
    const ring = await this.keys();
    return { key: ring.active, options: { kid: this.kidUrl(ring.active.kid) } };
  }

  /** The issuer: its id is a URL that answers with its Profile. */
  get issuer(): { id: string; type: string[]; name: string; url: string } {
    const base = this.config.http.publicUrl;
    return { id: `${base}/v1/issuer`, type: ['Profile'], name: this.config.certification.issuerName, url: base };
  }

  get publicUrl(): string {
    return this.config.http.publicUrl;
  }
}
