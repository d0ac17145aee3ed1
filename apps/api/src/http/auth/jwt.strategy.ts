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
      secretOrKey: config.jwt.secret,
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
