import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type Actor, hasRole, normalizeText, Role, type UserActor } from '@hocso/common';
import { type Page, paginate } from '@hocso/database';
import { type EntityManager, QueryFailedError, Repository } from 'typeorm';
import { ConsentPurpose, ConsentRecordEntity } from '../entities/consent.entity';
import { OrgUnitEntity } from '../entities/org-unit.entity';
import { UserEntity, UserStatus } from '../entities/user.entity';
import { IdentityException, IdentityExceptionCode } from '../identity.exception';
import { normalizeEmail, normalizeVietnamesePhone } from './contact';
import { isWithin, OrgUnitsService, PUBLIC_ORG_UNIT_KINDS } from './org-units.service';
import { PasswordService } from './password.service';

/** Version of the privacy notice (thông báo xử lý dữ liệu cá nhân) consents refer to. */
export const PRIVACY_NOTICE_VERSION = '2026-01-01';

export interface RegisterInput {
  email?: string;
  phone?: string;
  password: string;
  fullName: string;
  locale?: 'vi' | 'en';
  orgUnitId?: string;
  birthYear?: number;
  consents: Partial<Record<ConsentPurpose, boolean>>;
}

export interface CreateUserInput {
  email?: string;
  phone?: string;
  password: string;
  fullName: string;
  locale?: 'vi' | 'en';
  orgUnitId: string;
  roles: Role[];
}

export interface UpdateMeInput {
  fullName?: string;
  locale?: 'vi' | 'en';
  orgUnitId?: string | null;
  birthYear?: number | null;
  email?: string | null;
  phone?: string | null;
  currentPassword?: string;
  newPassword?: string;
}

/** Roles each admin role may grant. Nobody grants province_admin but a province admin. */
export function grantableRoles(actor: Actor): Role[] {
  if (hasRole(actor, Role.ProvinceAdmin)) return Object.values(Role);
  if (hasRole(actor, Role.OrgAdmin)) return Object.values(Role).filter((r) => r !== Role.ProvinceAdmin);
  return [];
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly orgUnits: OrgUnitsService,
    private readonly passwords: PasswordService,
  ) {}

  /** Self-registration: a learner, with consent recorded per purpose (learning is required). */
  async register(input: RegisterInput): Promise<UserEntity> {
    if (input.consents[ConsentPurpose.Learning] !== true) {
      throw new IdentityException(IdentityExceptionCode.CONSENT_REQUIRED, { field: 'consents.learning' });
    }
    const contact = this.normalizeContact(input.email, input.phone);
    const password = this.passwords.assertAcceptable(input.password);
    if (input.orgUnitId) await this.assertPublicOrgUnit(input.orgUnitId);
    const passwordHash = await this.passwords.hash(password);
    return this.users.manager.transaction(async (em) => {
      const user = await this.insertUser(em, {
        ...contact,
        passwordHash,
        fullName: normalizeText(input.fullName),
        locale: input.locale ?? 'vi',
        orgUnitId: input.orgUnitId ?? null,
        birthYear: input.birthYear ?? null,
        roles: [Role.Learner],
      });
      const records = Object.values(ConsentPurpose)
        .filter((p) => typeof input.consents[p] === 'boolean')
        .map((purpose) =>
          em.create(ConsentRecordEntity, {
            userId: user.id,
            purpose,
            granted: input.consents[purpose] as boolean,
            noticeVersion: PRIVACY_NOTICE_VERSION,
          }),
        );
      await em.save(records);
      return user;
    });
  }

  /** An admin creates a user inside their own org-unit subtree, with roles they may grant. */
  async create(actor: Actor, input: CreateUserInput): Promise<UserEntity> {
    await this.orgUnits.requireManaged(actor, input.orgUnitId, 'orgUnitId');
    this.assertGrantable(actor, input.roles);
    const contact = this.normalizeContact(input.email, input.phone);
    const password = this.passwords.assertAcceptable(input.password);
    const passwordHash = await this.passwords.hash(password);
    return this.users.manager.transaction((em) =>
      this.insertUser(em, {
        ...contact,
        passwordHash,
        fullName: normalizeText(input.fullName),
        locale: input.locale ?? 'vi',
        orgUnitId: input.orgUnitId,
        birthYear: null,
        roles: [...new Set(input.roles.length ? input.roles : [Role.Learner])],
      }),
    );
  }

  async setRoles(actor: Actor, userId: string, roles: Role[]): Promise<UserEntity> {
    const user = await this.getManaged(actor, userId);
    // An admin may add or remove only roles they could grant; others the user holds stay as they are.
    const grantable = grantableRoles(actor);
    this.assertGrantable(actor, roles);
    const kept = user.roles.filter((r) => !grantable.includes(r));
    user.roles = [...new Set([...kept, ...roles])];
    if (user.roles.length === 0) user.roles = [Role.Learner];
    return this.users.save(user);
  }

  async get(actor: Actor, userId: string): Promise<UserEntity> {
    return this.getManaged(actor, userId);
  }

  async list(
    actor: Actor,
    query: { cursor?: string; limit: number; orgUnitId?: string; role?: Role },
  ): Promise<Page<UserEntity>> {
    const scope = this.orgUnits.adminScopePath(actor);
    if (!scope) throw new IdentityException(IdentityExceptionCode.OUT_OF_SCOPE);
    const qb = this.users
      .createQueryBuilder('u')
      .innerJoin(OrgUnitEntity, 'o', 'o.id = u.org_unit_id')
      .where('o.path LIKE :scope', { scope: `${scope}%` })
      .andWhere('u.status <> :erased', { erased: UserStatus.Erased });
    if (query.orgUnitId) qb.andWhere('u.org_unit_id = :orgUnitId', { orgUnitId: query.orgUnitId });
    if (query.role) qb.andWhere(':role = ANY(u.roles)', { role: query.role });
    return paginate(qb, {
      cursor: query.cursor,
      limit: query.limit,
      sortColumn: 'u.created_at',
      sortValue: (u) => u.createdAt,
    });
  }

  async getMe(actor: UserActor): Promise<UserEntity> {
    const user = await this.users.findOneBy({ id: actor.userId });
    if (!user || user.status !== UserStatus.Active) throw new IdentityException(IdentityExceptionCode.USER_NOT_FOUND);
    return user;
  }

  /** The caller's active account, with its password hash (for re-authentication). */
  async getMeWithPasswordHash(actor: UserActor): Promise<UserEntity> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: actor.userId })
      .getOne();
    if (!user || user.status !== UserStatus.Active) throw new IdentityException(IdentityExceptionCode.USER_NOT_FOUND);
    return user;
  }

  /** Re-authentication before a sensitive change: the current password must match. */
  async confirmPassword(user: UserEntity, password: string | undefined, field: string): Promise<void> {
    if (!password || !(await this.passwords.verify(user.passwordHash, password))) {
      throw new IdentityException(IdentityExceptionCode.PASSWORD_CONFIRMATION_FAILED, { field });
    }
  }

  async updateMe(actor: UserActor, input: UpdateMeInput): Promise<UserEntity> {
    const user = await this.getMeWithPasswordHash(actor);
    if (input.fullName !== undefined) user.fullName = normalizeText(input.fullName);
    if (input.locale !== undefined) user.locale = input.locale;
    if (input.birthYear !== undefined) user.birthYear = input.birthYear;
    if (input.orgUnitId !== undefined && input.orgUnitId !== user.orgUnitId) {
      // An admin's (or enterprise manager's) unit is the scope they were granted: moving
      // themselves would widen it (a commune admin choosing the province). Learners pick theirs.
      if (hasRole(actor, Role.OrgAdmin, Role.ProvinceAdmin, Role.EnterpriseManager)) {
        throw new IdentityException(IdentityExceptionCode.ORG_UNIT_MANAGED, { field: 'orgUnitId' });
      }
      if (input.orgUnitId !== null) await this.assertPublicOrgUnit(input.orgUnitId);
      user.orgUnitId = input.orgUnitId;
    }
    const changesCredentials = input.email !== undefined || input.phone !== undefined || input.newPassword;
    if (changesCredentials) await this.confirmPassword(user, input.currentPassword, 'currentPassword');
    if (input.email !== undefined) user.email = input.email === null ? null : normalizeEmail(input.email);
    if (input.phone !== undefined) user.phone = input.phone === null ? null : normalizeVietnamesePhone(input.phone);
    if (!user.email && !user.phone)
      throw new IdentityException(IdentityExceptionCode.CONTACT_REQUIRED, { field: 'email' });
    if (input.newPassword) {
      user.passwordHash = await this.passwords.hash(this.passwords.assertAcceptable(input.newPassword, 'newPassword'));
    }
    try {
      return await this.users.save(user);
    } catch (err) {
      throw this.mapUniqueViolation(err);
    }
  }

  private async getManaged(actor: Actor, userId: string): Promise<UserEntity> {
    const scope = this.orgUnits.adminScopePath(actor);
    if (!scope) throw new IdentityException(IdentityExceptionCode.OUT_OF_SCOPE);
    const row = await this.users
      .createQueryBuilder('u')
      .leftJoin(OrgUnitEntity, 'o', 'o.id = u.org_unit_id')
      .addSelect('o.path', 'org_path')
      .where('u.id = :userId', { userId })
      .andWhere('u.status <> :erased', { erased: UserStatus.Erased })
      .getRawAndEntities();
    const user = row.entities[0];
    // Out-of-scope users are reported as missing: no confirmation that an id exists elsewhere.
    if (!user || !isWithin(scope, row.raw[0]?.org_path ?? null)) {
      throw new IdentityException(IdentityExceptionCode.USER_NOT_FOUND);
    }
    return user;
  }

  private assertGrantable(actor: Actor, roles: Role[]) {
    const grantable = grantableRoles(actor);
    if (roles.some((r) => !grantable.includes(r))) {
      throw new IdentityException(IdentityExceptionCode.ROLE_NOT_GRANTABLE, { field: 'roles' });
    }
  }

  private async assertPublicOrgUnit(orgUnitId: string) {
    const unit = await this.orgUnits.findById(orgUnitId);
    if (!unit || !PUBLIC_ORG_UNIT_KINDS.includes(unit.kind)) {
      throw new IdentityException(IdentityExceptionCode.ORG_UNIT_NOT_FOUND, { field: 'orgUnitId' });
    }
  }

  private normalizeContact(email?: string, phone?: string) {
    if (!email && !phone) throw new IdentityException(IdentityExceptionCode.CONTACT_REQUIRED, { field: 'email' });
    return {
      email: email ? normalizeEmail(email) : null,
      phone: phone ? normalizeVietnamesePhone(phone) : null,
    };
  }

  private async insertUser(em: EntityManager, values: Partial<UserEntity>): Promise<UserEntity> {
    try {
      const saved = await em.save(em.create(UserEntity, { ...values, status: UserStatus.Active }));
      delete (saved as Partial<UserEntity>).passwordHash;
      return saved;
    } catch (err) {
      throw this.mapUniqueViolation(err);
    }
  }

  private mapUniqueViolation(err: unknown): unknown {
    if (err instanceof QueryFailedError && (err.driverError as { code?: string })?.code === '23505') {
      const constraint = (err.driverError as { constraint?: string }).constraint ?? '';
      return new IdentityException(IdentityExceptionCode.IDENTITY_TAKEN, {
        field: constraint.includes('phone') ? 'phone' : 'email',
      });
    }
    return err;
  }
}
