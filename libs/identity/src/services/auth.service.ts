import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { type Role, type UserActor } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { IsNull, Repository } from 'typeorm';
import { OrgUnitEntity } from '../entities/org-unit.entity';
import { RefreshTokenEntity } from '../entities/refresh-token.entity';
import { UserEntity, UserStatus } from '../entities/user.entity';
import { IdentityException, IdentityExceptionCode } from '../identity.exception';
import { parseIdentifier } from './contact';
import { LoginThrottleService } from './login-throttle.service';
import { PasswordService } from './password.service';
import { type RegisterInput, UsersService } from './users.service';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface AccessTokenClaims {
  sub: string;
  typ: 'access';
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(RefreshTokenEntity) private readonly refreshTokens: Repository<RefreshTokenEntity>,
    private readonly passwords: PasswordService,
    private readonly usersService: UsersService,
    private readonly throttle: LoginThrottleService,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Every failure looks the same and takes the same time (an argon2 verify runs even for an unknown
   * account), so the answer never tells whether an account exists.
   */
  async login(identifier: string, password: string, ip: string): Promise<TokenPair> {
    const parsed = parseIdentifier(identifier);
    const accountKey = parsed ? `${parsed.column}:${parsed.value}` : `raw:${identifier.trim().toLowerCase()}`;
    await this.throttle.assertAllowed(accountKey, ip);
    const user = parsed
      ? await this.users
          .createQueryBuilder('u')
          .addSelect('u.passwordHash')
          .where(`u.${parsed.column} = :value`, { value: parsed.value })
          .andWhere('u.status = :active', { active: UserStatus.Active })
          .getOne()
      : null;
    const ok = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !ok) {
      await this.throttle.recordFailure(accountKey);
      this.logger.warn({ event: 'login.failure', account: user?.id ?? null, ip });
      throw new IdentityException(IdentityExceptionCode.INVALID_CREDENTIALS);
    }
    await this.throttle.recordSuccess(accountKey);
    if (user.passwordHash && this.passwords.needsRehash(user.passwordHash)) {
      await this.users.update(user.id, { passwordHash: await this.passwords.hash(password) });
    }
    this.logger.log({ event: 'login.success', account: user.id, ip });
    return this.issueTokens(user.id, randomUUID());
  }

  /** Self-registration, signed in straight away. */
  async register(input: RegisterInput): Promise<{ user: UserEntity; tokens: TokenPair }> {
    const user = await this.usersService.register(input);
    return { user, tokens: await this.issueTokens(user.id, randomUUID()) };
  }

  /** A new session (token family) for a user the caller has just authenticated otherwise (invitations). */
  issueTokensFor(userId: string): Promise<TokenPair> {
    return this.issueTokens(userId, randomUUID());
  }

  /**
   * Spends a refresh token and returns the next pair. A token presented a second time means the
   * family leaked: every token of the family is revoked (OAuth 2.0 Security BCP §4.14).
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const hash = sha256(refreshToken);
    const outcome = await this.refreshTokens.manager.transaction(async (em) => {
      const token = await em
        .createQueryBuilder(RefreshTokenEntity, 't')
        .setLock('pessimistic_write')
        .where('t.token_hash = :hash', { hash })
        .getOne();
      if (!token || token.revokedAt || token.expiresAt.getTime() <= Date.now()) return { kind: 'invalid' as const };
      if (token.usedAt) {
        await em.update(
          RefreshTokenEntity,
          { familyId: token.familyId, revokedAt: IsNull() },
          { revokedAt: new Date() },
        );
        return { kind: 'reused' as const, userId: token.userId };
      }
      const user = await em.findOneBy(UserEntity, { id: token.userId });
      if (!user || user.status !== UserStatus.Active) return { kind: 'invalid' as const };
      await em.update(RefreshTokenEntity, { id: token.id }, { usedAt: new Date() });
      return { kind: 'ok' as const, userId: token.userId, familyId: token.familyId };
    });
    if (outcome.kind === 'reused') {
      this.logger.warn({ event: 'refresh.reuse_detected', account: outcome.userId });
      throw new IdentityException(IdentityExceptionCode.REFRESH_TOKEN_REUSED);
    }
    if (outcome.kind === 'invalid') throw new IdentityException(IdentityExceptionCode.TOKEN_INVALID);
    return this.issueTokens(outcome.userId, outcome.familyId);
  }

  /** Ends the session the refresh token belongs to (its whole family). Unknown tokens are ignored. */
  async logout(refreshToken: string): Promise<void> {
    const token = await this.refreshTokens.findOneBy({ tokenHash: sha256(refreshToken) });
    if (!token) return;
    await this.refreshTokens.update({ familyId: token.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    this.logger.log({ event: 'logout', account: token.userId });
  }

  async revokeAllSessions(userId: string): Promise<void> {
    await this.refreshTokens.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Turns verified access-token claims into the actor, re-reading roles and status every time. */
  async actorFromClaims(claims: AccessTokenClaims): Promise<UserActor> {
    if (claims?.typ !== 'access' || typeof claims.sub !== 'string') {
      throw new IdentityException(IdentityExceptionCode.TOKEN_INVALID);
    }
    const row = await this.users
      .createQueryBuilder('u')
      .leftJoin(OrgUnitEntity, 'o', 'o.id = u.org_unit_id')
      .select([
        'u.id AS id',
        'u.roles AS roles',
        'u.org_unit_id AS org_unit_id',
        'u.locale AS locale',
        'u.status AS status',
      ])
      .addSelect('o.path', 'org_path')
      .where('u.id = :id', { id: claims.sub })
      .getRawOne<{
        id: string;
        roles: Role[];
        org_unit_id: string | null;
        locale: 'vi' | 'en';
        status: UserStatus;
        org_path: string | null;
      }>();
    if (!row || row.status !== UserStatus.Active) throw new IdentityException(IdentityExceptionCode.TOKEN_INVALID);
    return {
      kind: 'user',
      userId: row.id,
      roles: row.roles,
      orgUnitId: row.org_unit_id,
      orgPath: row.org_path,
      locale: row.locale,
    };
  }

  private async issueTokens(userId: string, familyId: string): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.refreshTokens.insert({
      userId,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + this.config.jwt.refreshTtlSeconds * 1000),
    });
    const claims: AccessTokenClaims = { sub: userId, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, {
      secret: this.config.jwt.secret,
      algorithm: 'HS256',
      expiresIn: this.config.jwt.accessTtlSeconds,
      audience: this.config.jwt.audience,
      issuer: this.config.jwt.issuer,
      jwtid: randomUUID(),
    });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.config.jwt.accessTtlSeconds };
  }
}
