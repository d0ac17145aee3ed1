import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type Actor, type ApiKeyActor, normalizeText } from '@hocso/common';
import { type Page, paginate } from '@hocso/database';
import { Repository } from 'typeorm';
import { ApiKeyEntity, ApiKeyScope } from '../entities/api-key.entity';
import { OrgUnitEntity, OrgUnitKind } from '../entities/org-unit.entity';
import { IdentityException, IdentityExceptionCode } from '../identity.exception';
import { isWithin, OrgUnitsService } from './org-units.service';

/** Scopes a key may carry, by the kind of unit that owns it. */
export const SCOPES_BY_KIND: Partial<Record<OrgUnitKind, ApiKeyScope[]>> = {
  [OrgUnitKind.Enterprise]: [ApiKeyScope.TrainingReportsWrite, ApiKeyScope.WorkersWrite, ApiKeyScope.ComplianceRead],
  [OrgUnitKind.IndustrialPark]: [ApiKeyScope.ComplianceRead],
  [OrgUnitKind.Integrator]: [ApiKeyScope.ContentRead, ApiKeyScope.XapiRead],
  [OrgUnitKind.School]: [ApiKeyScope.ContentRead, ApiKeyScope.XapiRead],
  [OrgUnitKind.Agency]: [ApiKeyScope.ContentRead, ApiKeyScope.XapiRead],
};

const KEY_PATTERN = /^hk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest();

export interface CreatedApiKey {
  key: ApiKeyEntity;
  /** The whole secret, returned once and never stored. */
  secret: string;
}

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly orgUnits: OrgUnitsService,
  ) {}

  async create(
    actor: Actor,
    input: { name: string; orgUnitId: string; scopes: ApiKeyScope[]; expiresAt?: Date },
  ): Promise<CreatedApiKey> {
    const unit = await this.orgUnits.requireManaged(actor, input.orgUnitId, 'orgUnitId');
    const allowed = SCOPES_BY_KIND[unit.kind] ?? [];
    if (input.scopes.some((s) => !allowed.includes(s))) {
      throw new IdentityException(IdentityExceptionCode.SCOPE_NOT_ALLOWED, { field: 'scopes' });
    }
    const prefix = randomBytes(6).toString('hex');
    const secretPart = randomBytes(32).toString('base64url');
    const key = await this.keys.save(
      this.keys.create({
        name: normalizeText(input.name),
        prefix,
        secretHash: sha256(secretPart).toString('hex'),
        orgUnitId: unit.id,
        scopes: [...new Set(input.scopes)],
        createdBy: actor.kind === 'user' ? actor.userId : null,
        expiresAt: input.expiresAt ?? null,
      }),
    );
    delete (key as Partial<ApiKeyEntity>).secretHash;
    return { key, secret: `hk_${prefix}_${secretPart}` };
  }

  async list(actor: Actor, query: { orgUnitId?: string; cursor?: string; limit: number }): Promise<Page<ApiKeyEntity>> {
    const scope = this.orgUnits.adminScopePath(actor);
    if (!scope) throw new IdentityException(IdentityExceptionCode.OUT_OF_SCOPE);
    const qb = this.keys
      .createQueryBuilder('k')
      .innerJoin(OrgUnitEntity, 'o', 'o.id = k.org_unit_id')
      .where('o.path LIKE :scope', { scope: `${scope}%` });
    if (query.orgUnitId) qb.andWhere('k.org_unit_id = :orgUnitId', { orgUnitId: query.orgUnitId });
    return paginate(qb, {
      cursor: query.cursor,
      limit: query.limit,
      sortColumn: 'k.created_at',
      sortValue: (k) => k.createdAt,
    });
  }

  async revoke(actor: Actor, id: string): Promise<ApiKeyEntity> {
    const key = await this.keys.findOneBy({ id });
    if (!key) throw new IdentityException(IdentityExceptionCode.API_KEY_NOT_FOUND);
    const unit = await this.orgUnits.findById(key.orgUnitId);
    if (!unit || !isWithin(this.orgUnits.adminScopePath(actor), unit.path)) {
      throw new IdentityException(IdentityExceptionCode.API_KEY_NOT_FOUND);
    }
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      await this.keys.save(key);
    }
    return key;
  }

  /** X-Api-Key → actor. Constant-time comparison of the secret's hash; revoked/expired keys fail. */
  async authenticate(raw: string): Promise<ApiKeyActor> {
    const match = KEY_PATTERN.exec(raw.trim());
    if (!match) throw new IdentityException(IdentityExceptionCode.API_KEY_INVALID);
    const row = await this.keys
      .createQueryBuilder('k')
      .addSelect('k.secretHash')
      .innerJoin(OrgUnitEntity, 'o', 'o.id = k.org_unit_id')
      .addSelect('o.path', 'org_path')
      .where('k.prefix = :prefix', { prefix: match[1] })
      .getRawAndEntities();
    const key = row.entities[0];
    const expected = key ? Buffer.from(key.secretHash, 'hex') : randomBytes(32);
    const ok = timingSafeEqual(expected, sha256(match[2])) && !!key;
    if (!ok || key.revokedAt || (key.expiresAt && key.expiresAt.getTime() <= Date.now())) {
      throw new IdentityException(IdentityExceptionCode.API_KEY_INVALID);
    }
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) {
      await this.keys.update(key.id, { lastUsedAt: new Date() });
    }
    return {
      kind: 'api_key',
      apiKeyId: key.id,
      orgUnitId: key.orgUnitId,
      orgPath: row.raw[0].org_path,
      scopes: key.scopes,
    };
  }
}
