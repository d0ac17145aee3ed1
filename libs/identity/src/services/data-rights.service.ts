import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { UserActor } from '@hocso/common';
import { type EntityManager, Repository } from 'typeorm';
import { ApiKeyEntity } from '../entities/api-key.entity';
import { ConsentPurpose, ConsentRecordEntity } from '../entities/consent.entity';
import { DataRightsRequestEntity } from '../entities/data-rights-request.entity';
import { RefreshTokenEntity } from '../entities/refresh-token.entity';
import { UserEntity, UserStatus } from '../entities/user.entity';
import { IdentityException, IdentityExceptionCode } from '../identity.exception';
import { PersonalDataRegistry } from './personal-data.registry';
import { PRIVACY_NOTICE_VERSION, UsersService } from './users.service';

export interface ConsentState {
  purpose: ConsentPurpose;
  granted: boolean;
  noticeVersion: string | null;
  recordedAt: string | null;
}

/** Name kept on an erased account so aggregate reports still count a row without naming anyone. */
export const ERASED_NAME = 'Người dùng đã xóa';

/**
 * Data-subject rights: consents per purpose, export of everything held about the user, erasure.
 */
@Injectable()
export class DataRightsService implements OnModuleInit {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(ConsentRecordEntity) private readonly consents: Repository<ConsentRecordEntity>,
    private readonly usersService: UsersService,
    private readonly registry: PersonalDataRegistry,
  ) {}

  onModuleInit() {
    this.registry.register({
      section: 'account',
      export: async (userId, em) => {
        const u = await em.findOneByOrFail(UserEntity, { id: userId });
        return {
          id: u.id,
          email: u.email,
          phone: u.phone,
          fullName: u.fullName,
          locale: u.locale,
          orgUnitId: u.orgUnitId,
          birthYear: u.birthYear,
          roles: u.roles,
          createdAt: u.createdAt.toISOString(),
        };
      },
      erase: async (userId, em) => {
        await em.update(UserEntity, userId, {
          email: null,
          phone: null,
          passwordHash: null,
          fullName: ERASED_NAME,
          birthYear: null,
          status: UserStatus.Erased,
          erasedAt: new Date(),
        });
      },
    });
    this.registry.register({
      section: 'consents',
      export: (userId, em) =>
        em.find(ConsentRecordEntity, { where: { userId }, order: { recordedAt: 'ASC' } }).then((rows) =>
          rows.map((r) => ({
            purpose: r.purpose,
            granted: r.granted,
            noticeVersion: r.noticeVersion,
            recordedAt: r.recordedAt.toISOString(),
          })),
        ),
      erase: async (userId, em) => {
        await em.delete(ConsentRecordEntity, { userId });
      },
    });
    this.registry.register({
      section: 'sessions',
      export: (userId, em) =>
        em.find(RefreshTokenEntity, { where: { userId }, order: { createdAt: 'ASC' } }).then((rows) =>
          rows.map((t) => ({
            familyId: t.familyId,
            createdAt: t.createdAt.toISOString(),
            expiresAt: t.expiresAt.toISOString(),
            usedAt: t.usedAt?.toISOString() ?? null,
            revokedAt: t.revokedAt?.toISOString() ?? null,
          })),
        ),
      erase: async (userId, em) => {
        await em.delete(RefreshTokenEntity, { userId });
      },
    });
    this.registry.register({
      section: 'apiKeysCreated',
      export: (userId, em) =>
        em
          .find(ApiKeyEntity, { where: { createdBy: userId } })
          .then((rows) =>
            rows.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, createdAt: k.createdAt.toISOString() })),
          ),
      erase: async (userId, em) => {
        await em.update(ApiKeyEntity, { createdBy: userId }, { createdBy: null });
      },
    });
    this.registry.register({
      section: 'dataRightsRequests',
      export: (userId, em) =>
        em.find(DataRightsRequestEntity, { where: { userId }, order: { requestedAt: 'ASC' } }).then((rows) =>
          rows.map((r) => ({
            kind: r.kind,
            requestedAt: r.requestedAt.toISOString(),
            completedAt: r.completedAt?.toISOString() ?? null,
          })),
        ),
      erase: async () => {
        /* kept: proof that the erasure request was honoured (holds no personal data) */
      },
    });
  }

  async listConsents(actor: UserActor): Promise<ConsentState[]> {
    const rows = await this.consents
      .createQueryBuilder('c')
      .distinctOn(['c.purpose'])
      .where('c.user_id = :userId', { userId: actor.userId })
      .orderBy('c.purpose')
      .addOrderBy('c.recorded_at', 'DESC')
      .getMany();
    return Object.values(ConsentPurpose).map((purpose) => {
      const latest = rows.find((r) => r.purpose === purpose);
      return {
        purpose,
        granted: latest?.granted ?? false,
        noticeVersion: latest?.noticeVersion ?? null,
        recordedAt: latest?.recordedAt.toISOString() ?? null,
      };
    });
  }

  async setConsent(actor: UserActor, purpose: ConsentPurpose, granted: boolean): Promise<ConsentState[]> {
    await this.consents.insert({ userId: actor.userId, purpose, granted, noticeVersion: PRIVACY_NOTICE_VERSION });
    return this.listConsents(actor);
  }

  /** Everything held about the caller, one section per contributor. */
  async export(actor: UserActor): Promise<Record<string, unknown>> {
    return this.users.manager.transaction(async (em) => {
      await this.assertActive(em, actor.userId);
      await em.insert(DataRightsRequestEntity, { userId: actor.userId, kind: 'export', completedAt: new Date() });
      const doc: Record<string, unknown> = {
        exportedAt: new Date().toISOString(),
        controller: 'Hocso — Học Số',
        legalBasis: 'Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15; Nghị định 356/2025/NĐ-CP',
      };
      for (const c of this.registry.all()) doc[c.section] = await c.export(actor.userId, em);
      return doc;
    });
  }

  /**
   * Erases the caller's personal data in one transaction (after re-checking the password, or an
   * explicit confirmation for an account without one): every
   * contributor deletes or anonymises its rows; the account row stays as an anonymous stub so
   * aggregate counts (how many were trained) remain true.
   */
  async erase(actor: UserActor, input: { password?: string; confirm?: boolean }): Promise<void> {
    const user = await this.usersService.getMeWithPasswordHash(actor);
    if (user.passwordHash) {
      await this.usersService.confirmPassword(user, input.password, 'password');
    } else if (input.confirm !== true) {
      // Accounts made by an LTI launch or an invitation never accepted have no password to re-check.
      throw new IdentityException(IdentityExceptionCode.CONFIRMATION_REQUIRED, { field: 'confirm' });
    }
    await this.users.manager.transaction(async (em) => {
      for (const c of this.registry.all()) await c.erase(actor.userId, em);
      await em.insert(DataRightsRequestEntity, { userId: actor.userId, kind: 'erasure', completedAt: new Date() });
    });
  }

  private async assertActive(em: EntityManager, userId: string) {
    const user = await em.findOneBy(UserEntity, { id: userId });
    if (!user || user.status !== UserStatus.Active) throw new IdentityException(IdentityExceptionCode.USER_NOT_FOUND);
  }
}
