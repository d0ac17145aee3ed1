import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type Actor, hasRole, Role } from '@hocso/common';
import { isWithin, type OrgUnitEntity, OrgUnitsService } from '@hocso/identity';
import { Repository } from 'typeorm';
import { EnterpriseEntity } from '../entities/enterprise.entity';
import { IndustrialParkEntity } from '../entities/industrial-park.entity';
import { WorkforceException, WorkforceExceptionCode } from '../workforce.exception';

export type AccessMode = 'read' | 'write';

/**
 * Who may see what. An enterprise is visible to its own API keys and enterprise managers, and to
 * admins whose unit contains it (park org admins, province admins); a park key may read the
 * enterprises of its park. Anything else is answered "not found" — no hint that an id exists.
 */
@Injectable()
export class WorkforceAccess {
  constructor(
    private readonly orgUnits: OrgUnitsService,
    @InjectRepository(EnterpriseEntity) private readonly enterprises: Repository<EnterpriseEntity>,
    @InjectRepository(IndustrialParkEntity) private readonly parks: Repository<IndustrialParkEntity>,
  ) {}

  canAccessEnterprise(actor: Actor, unit: OrgUnitEntity, mode: AccessMode): boolean {
    if (actor.kind === 'api_key') {
      return actor.orgUnitId === unit.id || (mode === 'read' && isWithin(actor.orgPath, unit.path));
    }
    if (hasRole(actor, Role.EnterpriseManager) && actor.orgUnitId === unit.id) return true;
    return isWithin(this.orgUnits.adminScopePath(actor), unit.path);
  }

  async enterprise(
    actor: Actor,
    enterpriseId: string,
    mode: AccessMode,
  ): Promise<{ enterprise: EnterpriseEntity; unit: OrgUnitEntity }> {
    const enterprise = await this.enterprises.findOneBy({ orgUnitId: enterpriseId });
    const unit = enterprise ? await this.orgUnits.findById(enterpriseId) : null;
    if (!enterprise || !unit || !this.canAccessEnterprise(actor, unit, mode)) {
      throw new WorkforceException(WorkforceExceptionCode.ENTERPRISE_NOT_FOUND);
    }
    return { enterprise, unit };
  }

  async park(actor: Actor, parkId: string): Promise<{ park: IndustrialParkEntity; unit: OrgUnitEntity }> {
    const park = await this.parks.findOneBy({ orgUnitId: parkId });
    const unit = park ? await this.orgUnits.findById(parkId) : null;
    const allowed =
      !!unit &&
      (actor.kind === 'api_key'
        ? actor.orgUnitId === unit.id
        : isWithin(this.orgUnits.adminScopePath(actor), unit.path));
    if (!park || !unit || !allowed) throw new WorkforceException(WorkforceExceptionCode.PARK_NOT_FOUND);
    return { park, unit };
  }

  /** The admin's subtree path (province view); others may not read it. */
  adminScope(actor: Actor): string {
    const scope = this.orgUnits.adminScopePath(actor);
    if (!scope) throw new WorkforceException(WorkforceExceptionCode.PARK_NOT_FOUND);
    return scope;
  }
}
