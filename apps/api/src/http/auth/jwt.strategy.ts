import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { UserActor } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { type AccessTokenClaims, AuthService } from '@hocso/identity';
import { ExtractJwt, Strategy } from 'passport-jwt';

/**
 * Bearer access tokens: HS256 only (no "none", no algorithm switching), audience and issuer
 * checked, `exp`/`nbf` enforced, and the token must be an access token (not a refresh token).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject built once: given the secret as a string, jsonwebtoken first tries (and fails)
      // createPublicKey on it and then builds a secret key — ~1 ms of CPU on every request. The
      // types say string | Buffer; jsonwebtoken takes a KeyObject as it is.
      secretOrKey: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      audience: config.jwt.audience,
      issuer: config.jwt.issuer,
      ignoreExpiration: false,
    });
  }

  validate(claims: AccessTokenClaims): Promise<UserActor> {
    return this.auth.actorFromClaims(claims);
  }
}
