import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, hasRole, localDate, Role } from '@hocso/common';
import { isWithin } from '@hocso/identity';
import type { DataSource, EntityManager } from 'typeorm';
import { CohortException, CohortExceptionCode } from '../cohorts.exception';
import { CohortEntity } from '../entities/cohort.entity';

/**
 * What the caller is to a cohort. lead: the lead trainer; co_trainer and assistant: cohort staff;
 * admin: a province or org admin whose subtree holds the cohort's unit; supervisor: the lead of the
 * ToT cohort this cohort is a practicum for (read-only); member: a learner in it.
 */
export type CohortRole = 'lead' | 'co_trainer' | 'assistant' | 'admin' | 'supervisor' | 'member';

/** Who may do what (DESIGN: a trainer sees and changes only their cohorts). */
export const CAN = {
  /** cohort details, sessions, members, report */
  read: ['lead', 'co_trainer', 'assistant', 'admin', 'supervisor'],
  /** sessions and attendance */
  teach: ['lead', 'co_trainer', 'assistant', 'admin'],
  /** roster: add, remove, transfer */
  roster: ['lead', 'co_trainer', 'admin'],
  /** edit, staff, start, finish, archive, practicum decisions */
  manage: ['lead', 'admin'],
} as const satisfies Record<string, readonly CohortRole[]>;

export interface CohortWithRole {
  cohort: CohortEntity;
  role: CohortRole;
  orgPath: string;
}

/** Today in Asia/Ho_Chi_Minh (YYYY-MM-DD). */
export const todayLocal = (now = new Date()) => localDate(now);

@Injectable()
export class CohortAccess {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * The cohort and the caller's role in it, when that role is one of `allowed`. A caller with no
   * relation to the cohort gets 404 (its existence is not confirmed); a member or a staff member
   * without the right gets 403.
   */
  async require(
    actor: Actor,
    cohortId: string,
    allowed: readonly CohortRole[],
    em: EntityManager = this.ds.manager,
    lock = false,
  ): Promise<CohortWithRole> {
    const found = await this.roleOf(actor, cohortId, em, lock);
    if (!found) throw new CohortException(CohortExceptionCode.COHORT_NOT_FOUND);
    if (!allowed.includes(found.role)) throw new CohortException(CohortExceptionCode.NOT_COHORT_STAFF);
    return found;
  }

  /** The caller's strongest role in the cohort, or null (no such cohort, or no relation). */
  async roleOf(actor: Actor, cohortId: string, em: EntityManager, lock = false): Promise<CohortWithRole | null> {
    if (actor.kind !== 'user') return null;
    const qb = em.createQueryBuilder(CohortEntity, 'c').where('c.id = :id', { id: cohortId });
    if (lock) qb.setLock('pessimistic_write');
    const cohort = await qb.getOne();
    if (!cohort) return null;
    const [rel] = await em.query(
      `SELECT o.path AS org_path,
              (SELECT s.role FROM cohort_staff s WHERE s.cohort_id = $1 AND s.user_id = $2) AS staff_role,
              EXISTS (SELECT 1 FROM cohort t WHERE t.id = $3 AND t.lead_trainer_id = $2) AS supervisor,
              EXISTS (SELECT 1 FROM cohort_member m WHERE m.cohort_id = $1 AND m.user_id = $2
                         AND m.status IN ('active', 'waitlisted')) AS member
         FROM org_unit o WHERE o.id = $4`,
      [cohort.id, actor.userId, cohort.practicumOfCohortId, cohort.orgUnitId],
    );
    const orgPath: string = rel?.org_path ?? '';
    let role: CohortRole | null = null;
    if (cohort.leadTrainerId === actor.userId) role = 'lead';
    else if (this.isAdminOver(actor, orgPath)) role = 'admin';
    else if (rel?.staff_role) role = rel.staff_role as CohortRole;
    else if (rel?.supervisor) role = 'supervisor';
    else if (rel?.member) role = 'member';
    return role ? { cohort, role, orgPath } : null;
  }

  isAdminOver(actor: Actor, orgPath: string | null): boolean {
    return (
      actor.kind === 'user' && hasRole(actor, Role.ProvinceAdmin, Role.OrgAdmin) && isWithin(actor.orgPath, orgPath)
    );
  }
}
