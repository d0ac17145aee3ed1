import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Actor } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import {
  ApiKeyScope,
  ApiKeysService,
  type CreatedApiKey,
  IdentityException,
  IdentityExceptionCode,
  type OrgUnitEntity,
  OrgUnitEntity as OrgUnit,
  OrgUnitKind,
  OrgUnitsService,
} from '@hocso/identity';
import { In, Repository } from 'typeorm';
import { EnterpriseEntity, type EnterpriseOwnership, type HeadcountBand } from '../entities/enterprise.entity';
import { IndustrialParkEntity } from '../entities/industrial-park.entity';
import { WorkforceException, WorkforceExceptionCode } from '../workforce.exception';
import { webhookUrlProblem } from './webhook-signature';
import { WorkforceAccess } from './workforce-access.service';

export interface CreateParkInput {
  name: string;
  code: string;
  communeCode?: string;
}

export interface CreateEnterpriseInput {
  name: string;
  taxCode: string;
  industrialParkId: string;
  communeCode?: string;
  ownership: EnterpriseOwnership;
  headcountBand?: HeadcountBand;
  activeFrom?: string;
  activeTo?: string;
  contactEmail?: string;
}

export interface ParkView {
  unit: OrgUnitEntity;
  park: IndustrialParkEntity;
  commune: OrgUnitEntity | null;
}

export interface EnterpriseView {
  unit: OrgUnitEntity;
  enterprise: EnterpriseEntity;
  commune: OrgUnitEntity | null;
}

export const ENTERPRISE_KEY_SCOPES: ApiKeyScope[] = [
  ApiKeyScope.TrainingReportsWrite,
  ApiKeyScope.WorkersWrite,
  ApiKeyScope.ComplianceRead,
];

/**
 * Industrial parks and enterprises: org units (identity) with a workforce profile each. The org
 * unit is created through OrgUnitsService (scope and parent rules live there); a unit left without
 * its profile by an interrupted request is adopted by the retry.
 */
@Injectable()
export class EnterprisesService {
  constructor(
    private readonly orgUnits: OrgUnitsService,
    private readonly apiKeys: ApiKeysService,
    private readonly access: WorkforceAccess,
    @InjectRepository(OrgUnit) private readonly units: Repository<OrgUnitEntity>,
    @InjectRepository(IndustrialParkEntity) private readonly parks: Repository<IndustrialParkEntity>,
    @InjectRepository(EnterpriseEntity) private readonly enterprises: Repository<EnterpriseEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async createPark(actor: Actor, input: CreateParkInput): Promise<ParkView> {
    const province = await this.orgUnits.findRoot();
    if (!province) throw new IdentityException(IdentityExceptionCode.ORG_UNIT_NOT_FOUND);
    await this.orgUnits.requireManaged(actor, province.id, 'code');
    const commune = await this.commune(input.communeCode);
    const unit = await this.createOrAdoptUnit(actor, {
      parentId: province.id,
      kind: OrgUnitKind.IndustrialPark,
      code: input.code,
      name: input.name,
      taken: WorkforceExceptionCode.UNIT_CODE_TAKEN,
      hasProfile: (id) => this.parks.existsBy({ orgUnitId: id }),
    });
    const park = await this.parks.save(this.parks.create({ orgUnitId: unit.id, communeId: commune?.id ?? null }));
    return { unit, park, commune };
  }

  async createEnterprise(actor: Actor, input: CreateEnterpriseInput): Promise<EnterpriseView> {
    await this.orgUnits.requireManaged(actor, input.industrialParkId, 'industrialParkId');
    if (!(await this.parks.existsBy({ orgUnitId: input.industrialParkId }))) {
      throw new WorkforceException(WorkforceExceptionCode.PARK_NOT_FOUND, { field: 'industrialParkId' });
    }
    if (input.activeFrom && input.activeTo && input.activeTo < input.activeFrom) {
      throw new WorkforceException(WorkforceExceptionCode.ACTIVE_RANGE_INVALID, { field: 'activeTo' });
    }
    if (await this.enterprises.existsBy({ taxCode: input.taxCode })) {
      throw new WorkforceException(WorkforceExceptionCode.TAX_CODE_TAKEN, { field: 'taxCode' });
    }
    const commune = await this.commune(input.communeCode);
    const unit = await this.createOrAdoptUnit(actor, {
      parentId: input.industrialParkId,
      kind: OrgUnitKind.Enterprise,
      code: input.taxCode,
      name: input.name,
      taken: WorkforceExceptionCode.TAX_CODE_TAKEN,
      hasProfile: (id) => this.enterprises.existsBy({ orgUnitId: id }),
    });
    try {
      await this.enterprises.insert({
        orgUnitId: unit.id,
        industrialParkId: input.industrialParkId,
        taxCode: input.taxCode,
        communeId: commune?.id ?? null,
        ownership: input.ownership,
        headcountBand: input.headcountBand ?? null,
        activeFrom: input.activeFrom ?? null,
        activeTo: input.activeTo ?? null,
        contactEmail: input.contactEmail?.trim().toLowerCase() ?? null,
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') {
        throw new WorkforceException(WorkforceExceptionCode.TAX_CODE_TAKEN, { field: 'taxCode' });
      }
      throw err;
    }
    return { unit, enterprise: await this.enterprises.findOneByOrFail({ orgUnitId: unit.id }), commune };
  }

  async get(actor: Actor, enterpriseId: string): Promise<EnterpriseView> {
    const { enterprise, unit } = await this.access.enterprise(actor, enterpriseId, 'read');
    const commune = enterprise.communeId ? await this.orgUnits.findById(enterprise.communeId) : null;
    return { enterprise, unit, commune };
  }

  /** An API key for the enterprise (admins in scope); the secret is returned once. */
  async createApiKey(
    actor: Actor,
    enterpriseId: string,
    input: { name: string; scopes?: ApiKeyScope[]; expiresAt?: Date },
  ): Promise<CreatedApiKey> {
    await this.access.enterprise(actor, enterpriseId, 'write');
    return this.apiKeys.create(actor, {
      name: input.name,
      orgUnitId: enterpriseId,
      scopes: input.scopes?.length ? input.scopes : ENTERPRISE_KEY_SCOPES,
      expiresAt: input.expiresAt,
    });
  }

  /** Registers (or replaces) the enterprise's webhook; a new signing secret is returned once. */
  async setWebhook(actor: Actor, enterpriseId: string, url: string): Promise<{ url: string; secret: string }> {
    await this.access.enterprise(actor, enterpriseId, 'write');
    if (webhookUrlProblem(url, this.config.webhooks.allowPrivateNetworks)) {
      throw new WorkforceException(WorkforceExceptionCode.WEBHOOK_URL_NOT_ALLOWED, { field: 'url' });
    }
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    await this.enterprises.update({ orgUnitId: enterpriseId }, { webhookUrl: url, webhookSecret: secret });
    return { url, secret };
  }

  async removeWebhook(actor: Actor, enterpriseId: string): Promise<void> {
    await this.access.enterprise(actor, enterpriseId, 'write');
    await this.enterprises.update({ orgUnitId: enterpriseId }, { webhookUrl: null, webhookSecret: null });
  }

  private async commune(code: string | undefined): Promise<OrgUnitEntity | null> {
    if (!code) return null;
    const unit = await this.units.findOneBy({ code, kind: In([OrgUnitKind.Commune, OrgUnitKind.Ward]) });
    if (!unit) throw new WorkforceException(WorkforceExceptionCode.COMMUNE_NOT_FOUND, { field: 'communeCode' });
    return unit;
  }

  private async createOrAdoptUnit(
    actor: Actor,
    input: {
      parentId: string;
      kind: OrgUnitKind;
      code: string;
      name: string;
      taken: WorkforceExceptionCode;
      hasProfile: (id: string) => Promise<boolean>;
    },
  ): Promise<OrgUnitEntity> {
    try {
      return await this.orgUnits.create(actor, {
        parentId: input.parentId,
        kind: input.kind,
        code: input.code,
        name: input.name,
      });
    } catch (err) {
      if (!(err instanceof IdentityException) || err.code !== IdentityExceptionCode.ORG_UNIT_CODE_TAKEN) throw err;
      const existing = await this.units.findOneBy({ code: input.code });
      if (
        existing &&
        existing.kind === input.kind &&
        existing.parentId === input.parentId &&
        !(await input.hasProfile(existing.id))
      ) {
        return existing;
      }
      throw new WorkforceException(input.taken, {
        field: input.taken === WorkforceExceptionCode.TAX_CODE_TAKEN ? 'taxCode' : 'code',
      });
    }
  }
}
