import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { normalizeText, Role } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { Repository } from 'typeorm';
import { UserEntity, UserStatus } from '../entities/user.entity';
import { normalizeEmail } from './contact';
import { OrgUnitsService } from './org-units.service';
import { PasswordService } from './password.service';

/**
 * Seeds what a fresh database needs: the province's org units from the data file, and the first
 * province admin from ADMIN_EMAIL / ADMIN_PASSWORD when no province admin exists yet.
 */
@Injectable()
export class IdentityBootstrapService {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly orgUnits: OrgUnitsService,
    private readonly passwords: PasswordService,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
  ) {}

  async seed(): Promise<void> {
    await this.seedOrgUnits();
    if (this.config.admin) {
      await this.ensureProvinceAdmin(this.config.admin.email, this.config.admin.password, 'Quản trị viên tỉnh', false);
    }
  }

  async seedOrgUnits(): Promise<void> {
    await this.orgUnits.seedFromFile(this.config.orgUnitsFile);
  }

  /**
   * Creates a province admin unless one exists. With `force`, an existing account with this e-mail
   * is promoted instead (the `admin:create` command).
   */
  async ensureProvinceAdmin(
    email: string,
    password: string,
    fullName: string,
    force: boolean,
  ): Promise<'created' | 'exists' | 'promoted'> {
    const root = await this.orgUnits.findRoot();
    if (!root) throw new Error('no province org unit: load content/org-units first');
    const existingAdmin = await this.users
      .createQueryBuilder('u')
      .where(':role = ANY(u.roles)', { role: Role.ProvinceAdmin })
      .andWhere('u.status = :active', { active: UserStatus.Active })
      .getOne();
    if (existingAdmin && !force) return 'exists';
    const normalized = normalizeEmail(email);
    const same = await this.users.findOneBy({ email: normalized });
    if (same) {
      same.roles = [...new Set([...same.roles, Role.ProvinceAdmin])];
      same.orgUnitId = root.id;
      await this.users.save(same);
      this.logger.log(`promoted ${normalized} to province admin`);
      return 'promoted';
    }
    const hash = await this.passwords.hash(this.passwords.assertAcceptable(password, 'ADMIN_PASSWORD'));
    await this.users.save(
      this.users.create({
        email: normalized,
        passwordHash: hash,
        fullName: normalizeText(fullName),
        orgUnitId: root.id,
        roles: [Role.ProvinceAdmin, Role.Learner],
        status: UserStatus.Active,
        locale: 'vi',
      }),
    );
    this.logger.log(`created province admin ${normalized}`);
    return 'created';
  }
}
