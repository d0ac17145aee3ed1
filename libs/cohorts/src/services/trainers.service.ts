import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, hasRole, Role, type UserActor } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { isWithin, OrgUnitKind, UserStatus } from '@hocso/identity';
import {
  LearningEventBus,
  LearningEventEntity,
  LearningEventType,
  type TrainerQualificationRevokedEvent,
} from '@hocso/learning';
import type { DataSource, EntityManager } from 'typeorm';
import { CohortException, CohortExceptionCode } from '../cohorts.exception';
import { LEVEL_RANK, TrainerLevel } from '../entities/cohort.entity';
import { QualificationBasis, TrainerQualificationEntity, TrainerSource } from '../entities/trainer.entity';
import { todayLocal } from './cohort-access.service';

export type QualificationState = 'valid' | 'expired' | 'revoked';

export interface QualificationView {
  qualification: TrainerQualificationEntity;
  state: QualificationState;
}

export interface TrainerView {
  userId: string;
  fullName: string;
  orgUnitId: string | null;
  orgUnitName: string | null;
  source: TrainerSource | null;
  /** highest level among valid qualifications; null = may not open new cohorts */
  level: TrainerLevel | null;
  status: 'qualified' | 'expired' | 'revoked' | 'none';
  qualifications: QualificationView[];
  cohorts: { planned: number; running: number; finished: number; archived: number };
}

/** The level a ToT cohort's graduates qualify at, by the level of the trainer leading it. */
export const QUALIFIES: Partial<Record<TrainerLevel, TrainerLevel>> = {
  [TrainerLevel.Master]: TrainerLevel.Core,
  [TrainerLevel.Core]: TrainerLevel.Community,
};

/** A trainer's source when none was given, from the kind of their org unit (school: unknown). */
export function sourceFromOrgUnitKind(kind: OrgUnitKind | null | undefined): TrainerSource | null {
  switch (kind) {
    case OrgUnitKind.Commune:
    case OrgUnitKind.Ward:
      return TrainerSource.Commune;
    case OrgUnitKind.Province:
    case OrgUnitKind.Agency:
      return TrainerSource.Department;
    case OrgUnitKind.CommunityTeam:
      return TrainerSource.CommunityTeam;
    default:
      return null;
  }
}

export function qualificationState(q: TrainerQualificationEntity, today: string): QualificationState {
  if (q.revokedAt) return 'revoked';
  if (q.expiresOn && q.expiresOn < today) return 'expired';
  return 'valid';
}

/** The role a trainer of this level holds (so menus and tokens show it). */
const roleFor = (level: TrainerLevel) => (level === TrainerLevel.Master ? Role.MasterTrainer : Role.Trainer);

@Injectable()
export class TrainersService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly bus: LearningEventBus,
  ) {}

  /** A province admin appoints a trainer (the first master trainers, or by decision). */
  async appoint(
    actor: Actor,
    userId: string,
    input: { level: TrainerLevel; expiresOn?: string; source?: TrainerSource },
  ): Promise<QualificationView> {
    if (!hasRole(actor, Role.ProvinceAdmin)) throw new CohortException(CohortExceptionCode.OUT_OF_SCOPE);
    const today = todayLocal();
    if (input.expiresOn && input.expiresOn <= today) {
      throw new CohortException(CohortExceptionCode.EXPIRY_INVALID, { field: 'expiresOn' });
    }
    return this.ds.transaction(async (em) => {
      await this.activeUser(em, userId);
      const q = await em.save(
        em.create(TrainerQualificationEntity, {
          userId,
          level: input.level,
          basis: QualificationBasis.Appointment,
          grantedOn: today,
          expiresOn: input.expiresOn ?? null,
          grantedBy: (actor as UserActor).userId,
        }),
      );
      await this.afterQualified(em, userId, input.level, input.source ?? null);
      return { qualification: q, state: qualificationState(q, today) };
    });
  }

  /**
   * A province admin revokes a qualification: no new cohorts; running ones continue, flagged. The
   * revocation goes to the outbox too, so the trainer credential issued for it is revoked as well.
   */
  async revoke(actor: Actor, userId: string, qualificationId: string, reason: string): Promise<QualificationView> {
    if (!hasRole(actor, Role.ProvinceAdmin)) throw new CohortException(CohortExceptionCode.OUT_OF_SCOPE);
    const q = await this.ds.transaction(async (em) => {
      const found = await em
        .createQueryBuilder(TrainerQualificationEntity, 'q')
        .setLock('pessimistic_write')
        .where('q.id = :qualificationId AND q.user_id = :userId', { qualificationId, userId })
        .getOne();
      if (!found) throw new CohortException(CohortExceptionCode.QUALIFICATION_NOT_FOUND);
      if (!found.revokedAt) {
        found.revokedAt = new Date();
        found.revokedBy = (actor as UserActor).userId;
        found.revokeReason = reason;
        await em.save(found);
        const payload: TrainerQualificationRevokedEvent = {
          qualificationId: found.id,
          userId,
          reason,
          revokedAt: found.revokedAt.toISOString(),
        };
        await em
          .createQueryBuilder()
          .insert()
          .into(LearningEventEntity)
          .values({ type: LearningEventType.TrainerQualificationRevoked, key: found.id, payload: payload as never })
          .orIgnore()
          .execute();
      }
      return found;
    });
    this.bus.deliverSoon();
    return { qualification: q, state: qualificationState(q, todayLocal()) };
  }

  /**
   * After a qualification is recorded (in its transaction): the trainer profile exists (source
   * given, kept, or derived from the org unit) and the user holds the trainer role of the level.
   */
  async afterQualified(
    em: EntityManager,
    userId: string,
    level: TrainerLevel,
    source: TrainerSource | null,
  ): Promise<void> {
    const [unit] = await em.query(
      `SELECT o.kind FROM app_user u LEFT JOIN org_unit o ON o.id = u.org_unit_id WHERE u.id = $1`,
      [userId],
    );
    await em.query(
      `INSERT INTO trainer_profile (user_id, source) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET source = COALESCE($3, trainer_profile.source, EXCLUDED.source),
                                           updated_at = now()`,
      [userId, source ?? sourceFromOrgUnitKind(unit?.kind), source],
    );
    await em.query(
      `UPDATE app_user SET roles = array_append(roles, $2), updated_at = now()
        WHERE id = $1 AND NOT ($2 = ANY(roles))`,
      [userId, roleFor(level)],
    );
  }

  /** The highest valid qualification of a user today, or null. */
  async bestValid(em: EntityManager, userId: string, today = todayLocal()): Promise<TrainerQualificationEntity | null> {
    const rows = await em
      .createQueryBuilder(TrainerQualificationEntity, 'q')
      .where('q.user_id = :userId', { userId })
      .andWhere('q.revoked_at IS NULL')
      .andWhere('(q.expires_on IS NULL OR q.expires_on >= :today)', { today })
      .getMany();
    rows.sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || (a.grantedOn < b.grantedOn ? 1 : -1));
    return rows[0] ?? null;
  }

  async get(actor: Actor, userId: string): Promise<TrainerView> {
    await this.assertCanView(actor, userId);
    const [user] = await this.ds.query(
      `SELECT u.id, u.full_name, u.org_unit_id, o.name AS org_unit_name, p.source
         FROM app_user u LEFT JOIN org_unit o ON o.id = u.org_unit_id
         LEFT JOIN trainer_profile p ON p.user_id = u.id
        WHERE u.id = $1 AND u.status <> $2`,
      [userId, UserStatus.Erased],
    );
    if (!user) throw new CohortException(CohortExceptionCode.TRAINER_NOT_FOUND);
    const today = todayLocal();
    const quals = await this.ds
      .getRepository(TrainerQualificationEntity)
      .find({ where: { userId }, order: { grantedOn: 'DESC', createdAt: 'DESC' } });
    const views = quals.map((q) => ({ qualification: q, state: qualificationState(q, today) }));
    const valid = views.filter((v) => v.state === 'valid').map((v) => v.qualification.level);
    const level = valid.sort((a, b) => LEVEL_RANK[b] - LEVEL_RANK[a])[0] ?? null;
    const counts: Array<{ status: string; n: number }> = await this.ds.query(
      `SELECT status, count(*)::int AS n FROM cohort WHERE lead_trainer_id = $1 GROUP BY status`,
      [userId],
    );
    const cohorts = { planned: 0, running: 0, finished: 0, archived: 0 };
    for (const c of counts) cohorts[c.status as keyof typeof cohorts] = c.n;
    let status: TrainerView['status'] = 'none';
    if (level) status = 'qualified';
    else if (views.some((v) => v.state === 'expired')) status = 'expired';
    else if (views.length) status = 'revoked';
    return {
      userId: user.id,
      fullName: user.full_name,
      orgUnitId: user.org_unit_id,
      orgUnitName: user.org_unit_name,
      source: user.source,
      level,
      status,
      qualifications: views,
      cohorts,
    };
  }

  /**
   * Who may see a trainer's profile and cascade: the trainer, an admin whose subtree holds their
   * unit, and every trainer up their lineage (who qualified them, and who qualified that one…).
   * Anyone else is told there is no such trainer.
   */
  async assertCanView(actor: Actor, userId: string): Promise<void> {
    if (actor.kind !== 'user') throw new CohortException(CohortExceptionCode.TRAINER_NOT_FOUND);
    if (actor.userId === userId) return;
    if (hasRole(actor, Role.ProvinceAdmin, Role.OrgAdmin)) {
      const [row] = await this.ds.query(
        `SELECT o.path FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id WHERE u.id = $1`,
        [userId],
      );
      if (row && isWithin(actor.orgPath, row.path)) return;
    }
    const [up] = await this.ds.query(
      `WITH RECURSIVE up AS (
         SELECT q.qualified_by AS id, 1 AS depth FROM trainer_qualification q
          WHERE q.user_id = $1 AND q.qualified_by IS NOT NULL
         UNION
         SELECT q.qualified_by, up.depth + 1 FROM trainer_qualification q JOIN up ON q.user_id = up.id
          WHERE q.qualified_by IS NOT NULL AND up.depth < 20
       ) SELECT 1 AS found FROM up WHERE id = $2 LIMIT 1`,
      [userId, actor.userId],
    );
    if (!up) throw new CohortException(CohortExceptionCode.TRAINER_NOT_FOUND);
  }

  private async activeUser(em: EntityManager, userId: string): Promise<void> {
    const [u] = await em.query(`SELECT status FROM app_user WHERE id = $1`, [userId]);
    if (!u || u.status !== UserStatus.Active) throw new CohortException(CohortExceptionCode.TRAINER_NOT_FOUND);
  }

  get qualificationYears(): number {
    return this.config.cohorts.qualificationYears;
  }
}
