import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { LazyKeyRing, type SigningKeyRing } from '@hocso/certification';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { type JWK, type JWTPayload, SignJWT } from 'jose';

/**
 * The tool's own RS256 keys (LTI_KEYS_DIR), in a key ring like the certificate issuer's: the newest
 * (or LTI_ACTIVE_KID) signs deep-linking responses and client assertions, every key stays in the
 * JWKS (`GET /lti/jwks`) so platforms verify across a rotation. Generated at first start outside
 * production; provided by the operator in production.
 */
@Injectable()
export class LtiKeys implements OnModuleInit {
  private readonly ring: LazyKeyRing;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.ring = new LazyKeyRing(config.lti.keysDir, { create: config.lti.createKeys, activeKid: config.lti.activeKid });
  }

  async onModuleInit() {
    if (this.config.env === 'production') await this.keys();
  }

  keys(): Promise<SigningKeyRing> {
    return this.ring.get();
  }

  /** Public keys only (kty, n, e, kid, alg, use), active and retired. */
  async jwks(): Promise<{ keys: JWK[] }> {
    return (await this.keys()).jwks();
  }

  /** A tool-originated JWT: RS256 with the active key's kid, never `jku`/`x5u`/`jwk` headers. */
  async sign(payload: JWTPayload, options: { issuer: string; audience: string; ttlSeconds: number; subject?: string }) {
    const key = (await this.keys()).active;
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setIssuedAt()
      .setExpirationTime(`${options.ttlSeconds}s`)
      .setJti(randomUUID());
    if (options.subject) jwt.setSubject(options.subject);
    return jwt.sign(key.privateKey);
  }
}
