import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, hasRole, isUuid, Role } from '@hocso/common';
import type { DataSource } from 'typeorm';
import { ReportingException, ReportingExceptionCode } from '../reporting.exception';
import { assertAdmin } from './kpi-definitions.service';

export interface ScopedUnit {
  id: string;
  code: string;
  name: string;
  kind: string;
  path: string;
  parentId: string | null;
}

/**
 * Who may read (and upload denominators for) which unit: province admins everything; an org admin
 * their own unit and below it (a commune admin their commune, a park admin their park).
 */
@Injectable()
export class ReportScope {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The unit asked for (default: the caller's own, or the province for province admins). */
  async unit(actor: Actor, orgUnitId?: string | null, field = 'orgUnitId'): Promise<ScopedUnit> {
    assertAdmin(actor);
    let unit: ScopedUnit | undefined;
    if (orgUnitId) {
      if (!isUuid(orgUnitId)) throw new ReportingException(ReportingExceptionCode.ORG_UNIT_NOT_FOUND, { field });
      [unit] = await this.ds.query(
        `SELECT id, code, name, kind, path, parent_id AS "parentId" FROM org_unit WHERE id = $1`,
        [orgUnitId],
      );
    } else if (hasRole(actor, Role.ProvinceAdmin)) {
      [unit] = await this.ds.query(
        `SELECT id, code, name, kind, path, parent_id AS "parentId" FROM org_unit
          WHERE parent_id IS NULL ORDER BY (kind = 'province') DESC, created_at LIMIT 1`,
      );
    } else if (actor.orgUnitId) {
      [unit] = await this.ds.query(
        `SELECT id, code, name, kind, path, parent_id AS "parentId" FROM org_unit WHERE id = $1`,
        [actor.orgUnitId],
      );
    }
    if (!unit) throw new ReportingException(ReportingExceptionCode.ORG_UNIT_NOT_FOUND, { field });
    if (!this.covers(actor, unit.path)) {
      // Out of scope looks like absent: ids of other units are not confirmed.
      throw new ReportingException(ReportingExceptionCode.ORG_UNIT_NOT_FOUND, { field });
    }
    return unit;
  }

  covers(actor: Actor, path: string): boolean {
    if (actor.kind !== 'user') return false;
    if (hasRole(actor, Role.ProvinceAdmin)) return true;
    return hasRole(actor, Role.OrgAdmin) && !!actor.orgPath && path.startsWith(actor.orgPath);
  }
}
