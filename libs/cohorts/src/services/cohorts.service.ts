import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, hasRole, normalizeText, Role, type UserActor } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { CourseStatus } from '@hocso/courses';
import { IdentityException, IdentityExceptionCode, isWithin, UserStatus } from '@hocso/identity';
import { CourseContentReader } from '@hocso/learning';
import { type Page, paginate } from '@hocso/database';
import type { DataSource, EntityManager } from 'typeorm';
import { CohortException, CohortExceptionCode } from '../cohorts.exception';
import { CohortEntity, CohortKind, type CohortMode, CohortStatus, TrainerLevel } from '../entities/cohort.entity';
import { CAN, CohortAccess, type CohortRole, todayLocal } from './cohort-access.service';
import { newJoinCode } from './join-code';
import { MembersService } from './members.service';
import { QUALIFIES, TrainersService } from './trainers.service';

export interface CreateCohortInput {
  title: string;
  courseSlugs: string[];
  kind: CohortKind;
  mode: CohortMode;
  startsOn: string;
  endsOn: string;
  capacity: number;
  orgUnitId?: string;
  location?: string;
  /** who leads it; defaults to the caller (an admin creating a cohort names its trainer) */
  leadTrainerId?: string;
  /** a ToT trainee's supervised practicum: the ToT cohort it belongs to */
  practicumOfCohortId?: string;
  /** open for self-join with a code */
  selfJoin?: boolean;
  coTrainerIds?: string[];
  assistantIds?: string[];
}

export interface UpdateCohortInput {
  title?: string;
  mode?: CohortMode;
  startsOn?: string;
  endsOn?: string;
  capacity?: number;
  location?: string | null;
  selfJoin?: boolean;
}

export type CohortFlag = 'lead_qualification_lapsed';

export interface CohortView {
  cohort: CohortEntity;
  courses: Array<{ slug: string; title: { vi: string; en: string } }>;
  leadTrainer: { userId: string; fullName: string };
  staff: Array<{ userId: string; fullName: string; role: 'co_trainer' | 'assistant' }>;
  counts: { active: number; waitlisted: number; sessions: number };
  flags: CohortFlag[];
  /** the caller's relation to it */
  role: CohortRole;
  /** the join code, shown to those who run the cohort */
  joinCode: string | null;
  practicumRequired: boolean;
}

@Injectable()
export class CohortsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: CohortAccess,
    private readonly trainers: TrainersService,
    private readonly members: MembersService,
    private readonly content: CourseContentReader,
  ) {}

  async create(actor: Actor, input: CreateCohortInput): Promise<CohortView> {
    if (actor.kind !== 'user') throw new CohortException(CohortExceptionCode.NOT_COHORT_STAFF);
    if (input.endsOn < input.startsOn)
      throw new CohortException(CohortExceptionCode.DATES_INVALID, { field: 'endsOn' });
    const isAdmin = hasRole(actor, Role.ProvinceAdmin, Role.OrgAdmin);
    const leadId = input.leadTrainerId ?? actor.userId;
    if (leadId !== actor.userId && !isAdmin) {
      throw new CohortException(CohortExceptionCode.OUT_OF_SCOPE, { field: 'leadTrainerId' });
    }
    const slugs = [...new Set(input.courseSlugs)];
    const courses = await this.content.coursesBySlugs(slugs);
    for (const [i, slug] of slugs.entries()) {
      const c = courses.find((x) => x.slug === slug);
      if (!c || c.status !== CourseStatus.Published || !c.latestVersionId) {
        throw new CohortException(CohortExceptionCode.COURSE_NOT_AVAILABLE, { field: `courseSlugs.${i}` });
      }
    }
    return this.ds.transaction(async (em) => {
      const [lead] = await em.query(
        `SELECT u.id, u.status, u.org_unit_id, o.path FROM app_user u LEFT JOIN org_unit o ON o.id = u.org_unit_id
          WHERE u.id = $1`,
        [leadId],
      );
      if (!lead || lead.status !== UserStatus.Active) {
        throw new CohortException(CohortExceptionCode.TRAINER_NOT_FOUND, { field: 'leadTrainerId' });
      }
      const orgUnitId = input.orgUnitId ?? lead.org_unit_id ?? actor.orgUnitId;
      if (!orgUnitId) throw new IdentityException(IdentityExceptionCode.ORG_UNIT_NOT_FOUND, { field: 'orgUnitId' });
      const [unit] = await em.query(`SELECT path FROM org_unit WHERE id = $1`, [orgUnitId]);
      if (!unit) throw new IdentityException(IdentityExceptionCode.ORG_UNIT_NOT_FOUND, { field: 'orgUnitId' });
      // An admin acting for someone else works inside their own subtree: the cohort and its trainer.
      if (leadId !== actor.userId && !isWithin(actor.orgPath, unit.path)) {
        throw new CohortException(CohortExceptionCode.OUT_OF_SCOPE, { field: 'orgUnitId' });
      }
      if (leadId !== actor.userId && !isWithin(actor.orgPath, lead.path)) {
        throw new CohortException(CohortExceptionCode.OUT_OF_SCOPE, { field: 'leadTrainerId' });
      }

      let leadQualificationId: string | null = null;
      let qualifiesLevel: TrainerLevel | null = null;
      if (input.practicumOfCohortId) {
        await this.assertPracticumAllowed(em, leadId, input);
      } else {
        const q = await this.trainers.bestValid(em, leadId);
        if (!q) throw new CohortException(CohortExceptionCode.NOT_QUALIFIED, { field: 'leadTrainerId' });
        leadQualificationId = q.id;
        if (input.kind === CohortKind.Tot) {
          qualifiesLevel = QUALIFIES[q.level] ?? null;
          if (!qualifiesLevel) throw new CohortException(CohortExceptionCode.LEVEL_CANNOT_RUN_TOT, { field: 'kind' });
        }
      }

      const cohort = await em.save(
        em.create(CohortEntity, {
          title: normalizeText(input.title),
          kind: input.kind,
          mode: input.mode,
          status: CohortStatus.Planned,
          startsOn: input.startsOn,
          endsOn: input.endsOn,
          capacity: input.capacity,
          orgUnitId,
          location: input.location ? normalizeText(input.location) : null,
          leadTrainerId: leadId,
          leadQualificationId,
          practicumOfCohortId: input.practicumOfCohortId ?? null,
          qualifiesLevel,
          joinCode: input.selfJoin ? newJoinCode() : null,
          minAttendancePercent: this.config.cohorts.minAttendancePercent,
          createdBy: actor.userId,
        }),
      );
      await em.query(
        `INSERT INTO cohort_course (cohort_id, course_id, course_slug, position)
         SELECT $1, c.id, c.slug, c.pos FROM unnest($2::uuid[], $3::text[], $4::int[]) AS c(id, slug, pos)`,
        [cohort.id, slugs.map((s) => courses.find((c) => c.slug === s)?.id), slugs, slugs.map((_, i) => i)],
      );
      await this.writeStaff(em, cohort, actor, input.coTrainerIds ?? [], input.assistantIds ?? []);
      return this.view(em, cohort, leadId === actor.userId ? 'lead' : 'admin');
    });
  }

  async get(actor: Actor, cohortId: string): Promise<CohortView> {
    const { cohort, role } = await this.access.require(actor, cohortId, [...CAN.read, 'member']);
    return this.view(this.ds.manager, cohort, role);
  }

  /** Cohorts the caller runs (lead, co-trainer, assistant) and, for admins, those in their subtree. */
  async list(
    actor: UserActor,
    query: { status?: CohortStatus; kind?: CohortKind; cursor?: string; limit: number },
  ): Promise<Page<CohortEntity>> {
    const qb = this.ds.getRepository(CohortEntity).createQueryBuilder('c');
    const admin = hasRole(actor, Role.ProvinceAdmin, Role.OrgAdmin) && actor.orgPath;
    qb.where(
      `(c.lead_trainer_id = :me OR EXISTS (SELECT 1 FROM cohort_staff s WHERE s.cohort_id = c.id AND s.user_id = :me)` +
        (admin ? ` OR EXISTS (SELECT 1 FROM org_unit o WHERE o.id = c.org_unit_id AND o.path LIKE :scope))` : ')'),
      { me: actor.userId, scope: `${actor.orgPath}%` },
    );
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.kind) qb.andWhere('c.kind = :kind', { kind: query.kind });
    return paginate(qb, {
      cursor: query.cursor,
      limit: query.limit,
      sortColumn: 'c.created_at',
      sortValue: (c) => c.createdAt,
    });
  }

  async update(actor: Actor, cohortId: string, input: UpdateCohortInput): Promise<CohortView> {
    const result = await this.ds.transaction(async (em) => {
      const { cohort, role } = await this.access.require(actor, cohortId, CAN.manage, em, true);
      this.assertOpen(cohort);
      const startsOn = input.startsOn ?? cohort.startsOn;
      const endsOn = input.endsOn ?? cohort.endsOn;
      if (endsOn < startsOn) {
        throw new CohortException(CohortExceptionCode.DATES_INVALID, { field: input.endsOn ? 'endsOn' : 'startsOn' });
      }
      if (input.capacity !== undefined) {
        const [{ active }] = await em.query(
          `SELECT count(*)::int AS active FROM cohort_member WHERE cohort_id = $1 AND status = 'active'`,
          [cohort.id],
        );
        if (input.capacity < active) {
          throw new CohortException(CohortExceptionCode.CAPACITY_BELOW_MEMBERS, {
            field: 'capacity',
            extensions: { activeMembers: active },
          });
        }
        cohort.capacity = input.capacity;
      }
      if (input.title !== undefined) cohort.title = normalizeText(input.title);
      if (input.mode !== undefined) cohort.mode = input.mode;
      if (input.location !== undefined) cohort.location = input.location ? normalizeText(input.location) : null;
      if (input.selfJoin !== undefined) cohort.joinCode = input.selfJoin ? (cohort.joinCode ?? newJoinCode()) : null;
      cohort.startsOn = startsOn;
      cohort.endsOn = endsOn;
      await em.save(cohort);
      await this.members.promoteWaitlist(em, cohort);
      return { cohort, role };
    });
    return this.view(this.ds.manager, result.cohort, result.role);
  }

  /** Replaces the co-trainers and assistants. */
  async setStaff(actor: Actor, cohortId: string, coTrainerIds: string[], assistantIds: string[]): Promise<CohortView> {
    return this.ds.transaction(async (em) => {
      const { cohort, role } = await this.access.require(actor, cohortId, CAN.manage, em, true);
      if (cohort.status === CohortStatus.Archived) throw new CohortException(CohortExceptionCode.WRONG_STATE);
      await em.query(`DELETE FROM cohort_staff WHERE cohort_id = $1`, [cohort.id]);
      await this.writeStaff(em, cohort, actor as UserActor, coTrainerIds, assistantIds);
      return this.view(em, cohort, role);
    });
  }

  /** planned → running (also done by the daily job on the start date, and by the first attendance). */
  async start(actor: Actor, cohortId: string): Promise<CohortView> {
    return this.transition(actor, cohortId, [CohortStatus.Planned], CohortStatus.Running);
  }

  /** finished → archived: read-only from then on. */
  async archive(actor: Actor, cohortId: string): Promise<CohortView> {
    return this.transition(actor, cohortId, [CohortStatus.Finished], CohortStatus.Archived);
  }

  private async transition(
    actor: Actor,
    cohortId: string,
    from: CohortStatus[],
    to: CohortStatus,
  ): Promise<CohortView> {
    return this.ds.transaction(async (em) => {
      const { cohort, role } = await this.access.require(actor, cohortId, CAN.manage, em, true);
      if (cohort.status !== to) {
        if (!from.includes(cohort.status)) {
          throw new CohortException(CohortExceptionCode.WRONG_STATE, { extensions: { status: cohort.status } });
        }
        cohort.status = to;
        if (to === CohortStatus.Running) cohort.startedAt = new Date();
        if (to === CohortStatus.Archived) cohort.archivedAt = new Date();
        await em.save(cohort);
      }
      return this.view(em, cohort, role);
    });
  }

  assertOpen(cohort: CohortEntity): void {
    if (cohort.status !== CohortStatus.Planned && cohort.status !== CohortStatus.Running) {
      throw new CohortException(CohortExceptionCode.WRONG_STATE, { extensions: { status: cohort.status } });
    }
  }

  /** A ToT trainee may open one cohort of their own as the practicum of the ToT cohort they are in. */
  private async assertPracticumAllowed(em: EntityManager, leadId: string, input: CreateCohortInput): Promise<void> {
    const [row] = await em.query(
      `SELECT c.kind, c.status, m.status AS member_status,
              EXISTS (SELECT 1 FROM cohort p WHERE p.practicum_of_cohort_id = c.id AND p.lead_trainer_id = $2) AS has_one
         FROM cohort c LEFT JOIN cohort_member m ON m.cohort_id = c.id AND m.user_id = $2
        WHERE c.id = $1`,
      [input.practicumOfCohortId, leadId],
    );
    const ok =
      row &&
      row.kind === CohortKind.Tot &&
      [CohortStatus.Planned, CohortStatus.Running].includes(row.status) &&
      row.member_status === 'active' &&
      !row.has_one &&
      input.kind !== CohortKind.Tot;
    if (!ok) throw new CohortException(CohortExceptionCode.PRACTICUM_INVALID, { field: 'practicumOfCohortId' });
  }

  private async writeStaff(
    em: EntityManager,
    cohort: CohortEntity,
    actor: UserActor,
    coTrainerIds: string[],
    assistantIds: string[],
  ): Promise<void> {
    const today = todayLocal();
    for (const [i, id] of coTrainerIds.entries()) {
      const q = id === cohort.leadTrainerId ? null : await this.trainers.bestValid(em, id, today);
      if (!q) throw new CohortException(CohortExceptionCode.STAFF_INVALID, { field: `coTrainerIds.${i}` });
    }
    for (const [i, id] of assistantIds.entries()) {
      const [u] = await em.query(`SELECT status FROM app_user WHERE id = $1`, [id]);
      if (!u || u.status !== UserStatus.Active || id === cohort.leadTrainerId || coTrainerIds.includes(id)) {
        throw new CohortException(CohortExceptionCode.STAFF_INVALID, { field: `assistantIds.${i}` });
      }
    }
    const rows = [
      ...[...new Set(coTrainerIds)].map((id) => [id, 'co_trainer']),
      ...[...new Set(assistantIds)].map((id) => [id, 'assistant']),
    ];
    if (!rows.length) return;
    await em.query(
      `INSERT INTO cohort_staff (cohort_id, user_id, role, added_by)
       SELECT $1, s.user_id, s.role, $4 FROM unnest($2::uuid[], $3::text[]) AS s(user_id, role)`,
      [cohort.id, rows.map((r) => r[0]), rows.map((r) => r[1]), actor.userId],
    );
  }

  async view(em: EntityManager, cohort: CohortEntity, role: CohortRole): Promise<CohortView> {
    const courses: Array<{ slug: string; title: { vi: string; en: string } }> = await em.query(
      `SELECT cc.course_slug AS slug, json_build_object('vi', c.title_vi, 'en', c.title_en) AS title
         FROM cohort_course cc JOIN course c ON c.id = cc.course_id
        WHERE cc.cohort_id = $1 ORDER BY cc.position`,
      [cohort.id],
    );
    const staff = await em.query(
      `SELECT s.user_id, u.full_name, s.role FROM cohort_staff s JOIN app_user u ON u.id = s.user_id
        WHERE s.cohort_id = $1 ORDER BY s.role, u.full_name`,
      [cohort.id],
    );
    const [lead] = await em.query(`SELECT full_name FROM app_user WHERE id = $1`, [cohort.leadTrainerId]);
    const [counts] = await em.query(
      `SELECT (SELECT count(*)::int FROM cohort_member WHERE cohort_id = $1 AND status = 'active') AS active,
              (SELECT count(*)::int FROM cohort_member WHERE cohort_id = $1 AND status = 'waitlisted') AS waitlisted,
              (SELECT count(*)::int FROM cohort_session WHERE cohort_id = $1) AS sessions`,
      [cohort.id],
    );
    const flags: CohortFlag[] = [];
    // Lapsed: the lead holds no valid qualification any more (a renewal clears the flag).
    if (cohort.leadQualificationId && [CohortStatus.Planned, CohortStatus.Running].includes(cohort.status)) {
      if (!(await this.trainers.bestValid(em, cohort.leadTrainerId))) flags.push('lead_qualification_lapsed');
    }
    const runs = role !== 'member' && role !== 'supervisor';
    return {
      cohort,
      courses,
      leadTrainer: { userId: cohort.leadTrainerId, fullName: lead?.full_name ?? '' },
      staff: staff.map((s: { user_id: string; full_name: string; role: 'co_trainer' | 'assistant' }) => ({
        userId: s.user_id,
        fullName: s.full_name,
        role: s.role,
      })),
      counts,
      flags,
      role,
      joinCode: runs ? cohort.joinCode : null,
      practicumRequired: await this.practicumRequired(em, cohort),
    };
  }

  /** ToT cohorts whose course asks for it (course.yaml `practicumRequired: true`). */
  async practicumRequired(em: EntityManager, cohort: CohortEntity): Promise<boolean> {
    if (cohort.kind !== CohortKind.Tot) return false;
    const [row] = await em.query(
      `SELECT coalesce(bool_or(coalesce((v.package->>'practicumRequired')::boolean, false)), false) AS required
         FROM cohort_course cc JOIN course c ON c.id = cc.course_id
         JOIN course_version v ON v.id = c.latest_version_id
        WHERE cc.cohort_id = $1`,
      [cohort.id],
    );
    return row?.required === true;
  }
}
