import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type Actor, hasRole, normalizeText, Role } from '@hocso/common';
import { type Page, paginate } from '@hocso/database';
import { load as loadYaml } from 'js-yaml';
import { type EntityManager, Repository } from 'typeorm';
import { OrgUnitEntity, OrgUnitKind } from '../entities/org-unit.entity';
import { IdentityException, IdentityExceptionCode } from '../identity.exception';

/** Kinds anyone may list (public administrative geography); the rest are visible to admins only. */
export const PUBLIC_ORG_UNIT_KINDS: readonly OrgUnitKind[] = [
  OrgUnitKind.Province,
  OrgUnitKind.Ward,
  OrgUnitKind.Commune,
  OrgUnitKind.Agency,
  OrgUnitKind.School,
  OrgUnitKind.CommunityTeam,
  OrgUnitKind.IndustrialPark,
];

/** Which kinds may sit under which (the tree the province runs). */
const ALLOWED_PARENTS: Record<OrgUnitKind, OrgUnitKind[]> = {
  [OrgUnitKind.Province]: [],
  [OrgUnitKind.Ward]: [OrgUnitKind.Province],
  [OrgUnitKind.Commune]: [OrgUnitKind.Province],
  [OrgUnitKind.Agency]: [OrgUnitKind.Province, OrgUnitKind.Ward, OrgUnitKind.Commune, OrgUnitKind.Agency],
  [OrgUnitKind.School]: [OrgUnitKind.Province, OrgUnitKind.Ward, OrgUnitKind.Commune],
  [OrgUnitKind.CommunityTeam]: [OrgUnitKind.Ward, OrgUnitKind.Commune],
  [OrgUnitKind.IndustrialPark]: [OrgUnitKind.Province],
  [OrgUnitKind.Enterprise]: [OrgUnitKind.IndustrialPark, OrgUnitKind.Ward, OrgUnitKind.Commune, OrgUnitKind.Province],
  [OrgUnitKind.Integrator]: [OrgUnitKind.Province],
};

export interface OrgUnitsFile {
  source?: string;
  province: { code: string; name: string };
  units: Array<{ code: string; name: string; kind: 'ward' | 'commune' }>;
}

/** True when `unitPath` is the actor's own unit or below it. */
export function isWithin(scopePath: string | null, unitPath: string | null): boolean {
  return !!scopePath && !!unitPath && unitPath.startsWith(scopePath);
}

@Injectable()
export class OrgUnitsService {
  private readonly logger = new Logger(OrgUnitsService.name);

  constructor(@InjectRepository(OrgUnitEntity) private readonly repo: Repository<OrgUnitEntity>) {}

  async list(
    actor: Actor | null,
    query: { parentId?: string; kind?: OrgUnitKind; cursor?: string; limit: number },
  ): Promise<Page<OrgUnitEntity>> {
    const qb = this.repo.createQueryBuilder('o');
    if (query.parentId) qb.andWhere('o.parent_id = :parentId', { parentId: query.parentId });
    if (query.kind) qb.andWhere('o.kind = :kind', { kind: query.kind });
    const adminPath = this.adminScopePath(actor);
    if (adminPath) {
      qb.andWhere('(o.kind IN (:...publicKinds) OR o.path LIKE :scope)', {
        publicKinds: PUBLIC_ORG_UNIT_KINDS,
        scope: `${adminPath}%`,
      });
    } else {
      qb.andWhere('o.kind IN (:...publicKinds)', { publicKinds: PUBLIC_ORG_UNIT_KINDS });
    }
    return paginate(qb, { cursor: query.cursor, limit: query.limit, sortColumn: 'o.code', sortValue: (o) => o.code });
  }

  async get(actor: Actor | null, id: string): Promise<OrgUnitEntity> {
    const unit = await this.repo.findOneBy({ id });
    if (!unit || (!PUBLIC_ORG_UNIT_KINDS.includes(unit.kind) && !isWithin(this.adminScopePath(actor), unit.path))) {
      throw new IdentityException(IdentityExceptionCode.ORG_UNIT_NOT_FOUND);
    }
    return unit;
  }

  async create(
    actor: Actor,
    dto: { parentId: string; kind: OrgUnitKind; code: string; name: string },
  ): Promise<OrgUnitEntity> {
    const parent = await this.repo.findOneBy({ id: dto.parentId });
    if (!parent) throw new IdentityException(IdentityExceptionCode.ORG_UNIT_NOT_FOUND, { field: 'parentId' });
    if (!isWithin(this.adminScopePath(actor), parent.path)) {
      throw new IdentityException(IdentityExceptionCode.OUT_OF_SCOPE, { field: 'parentId' });
    }
    if (!ALLOWED_PARENTS[dto.kind].includes(parent.kind)) {
      throw new IdentityException(IdentityExceptionCode.ORG_UNIT_PARENT_INVALID, { field: 'parentId' });
    }
    if (await this.repo.existsBy({ code: dto.code })) {
      throw new IdentityException(IdentityExceptionCode.ORG_UNIT_CODE_TAKEN, { field: 'code' });
    }
    return this.insert(this.repo.manager, { ...dto, name: normalizeText(dto.name) }, parent);
  }

  /** Admin scope: province admins and org admins manage their own unit's subtree. */
  adminScopePath(actor: Actor | null): string | null {
    if (actor?.kind !== 'user') return null;
    if (!hasRole(actor, Role.ProvinceAdmin, Role.OrgAdmin)) return null;
    return actor.orgPath;
  }

  /** The unit, when it lies inside the actor's admin scope; otherwise a domain error naming `field`. */
  async requireManaged(actor: Actor, orgUnitId: string, field: string): Promise<OrgUnitEntity> {
    const scope = this.adminScopePath(actor);
    if (!scope) throw new IdentityException(IdentityExceptionCode.OUT_OF_SCOPE);
    const unit = await this.repo.findOneBy({ id: orgUnitId });
    if (!unit) throw new IdentityException(IdentityExceptionCode.ORG_UNIT_NOT_FOUND, { field });
    if (!isWithin(scope, unit.path)) throw new IdentityException(IdentityExceptionCode.OUT_OF_SCOPE, { field });
    return unit;
  }

  async findById(id: string): Promise<OrgUnitEntity | null> {
    return this.repo.findOneBy({ id });
  }

  async findRoot(): Promise<OrgUnitEntity | null> {
    return this.repo.findOne({ where: { kind: OrgUnitKind.Province }, order: { createdAt: 'ASC' } });
  }

  /**
   * Loads the province and its commune-level units from the data file (content/org-units). Runs at
   * every start; inserts what is missing, renames what changed, never deletes.
   */
  async seedFromFile(file: string): Promise<{ inserted: number; updated: number }> {
    const data = loadYaml(readFileSync(file, 'utf8')) as OrgUnitsFile;
    if (!data?.province?.code || !Array.isArray(data.units)) {
      throw new Error(`${file}: expected "province" and "units"`);
    }
    return this.repo.manager.transaction(async (em) => {
      let inserted = 0;
      let updated = 0;
      const upsert = async (code: string, name: string, kind: OrgUnitKind, parent: OrgUnitEntity | null) => {
        const existing = await em.findOneBy(OrgUnitEntity, { code });
        const cleanName = normalizeText(name);
        if (!existing) {
          inserted++;
          return this.insert(em, { code, name: cleanName, kind }, parent);
        }
        if (existing.name !== cleanName) {
          updated++;
          existing.name = cleanName;
          await em.save(existing);
        }
        return existing;
      };
      const province = await upsert(data.province.code, data.province.name, OrgUnitKind.Province, null);
      for (const u of data.units) {
        const kind = u.kind === 'ward' ? OrgUnitKind.Ward : OrgUnitKind.Commune;
        await upsert(String(u.code), u.name, kind, province);
      }
      if (inserted || updated) this.logger.log(`org units from ${file}: ${inserted} inserted, ${updated} renamed`);
      return { inserted, updated };
    });
  }

  private async insert(
    em: EntityManager,
    dto: { code: string; name: string; kind: OrgUnitKind },
    parent: OrgUnitEntity | null,
  ): Promise<OrgUnitEntity> {
    const id = randomUUID();
    const unit = em.create(OrgUnitEntity, {
      id,
      code: dto.code,
      name: dto.name,
      kind: dto.kind,
      parentId: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
    });
    return em.save(unit);
  }
}
