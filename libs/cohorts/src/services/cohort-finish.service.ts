import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, localDate, normalizeText, type UserActor } from '@hocso/common';
import { LearningEventBus, LearningEventEntity, LearningEventType, type TrainerQualifiedEvent } from '@hocso/learning';
import type { DataSource, EntityManager } from 'typeorm';
import { CohortException, CohortExceptionCode } from '../cohorts.exception';
import { CohortEntity, CohortKind, CohortStatus, type TrainerLevel } from '../entities/cohort.entity';
import {
  CohortMemberEntity,
  MemberOutcome,
  MemberStatus,
  OutcomeReason,
  PracticumStatus,
} from '../entities/cohort-member.entity';
import { QualificationBasis, TrainerQualificationEntity } from '../entities/trainer.entity';
import { CAN, CohortAccess, todayLocal } from './cohort-access.service';
import { CohortsService } from './cohorts.service';
import { type MemberProgress, MemberProgressReader } from './member-progress';
import { TrainersService } from './trainers.service';

export interface FinishResult {
  cohortId: string;
  status: CohortStatus;
  finishedAt: Date;
  members: Array<{
    userId: string;
    fullName: string;
    outcome: MemberOutcome;
    reasons: OutcomeReason[];
    qualificationId: string | null;
  }>;
  qualified: number;
}

/** YYYY-MM-DD plus whole years (29 February → 28 February). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

/**
 * The finish rule: a member passes with attendance ≥ the cohort's minimum (when sessions were
 * held), every course completed, and — in a ToT cohort whose course requires it — a practicum
 * approved by the cohort's lead. A ToT graduate is recorded as a trainer of the cohort's level, with
 * the lead and cohort they came from, and a TrainerQualified event goes to the outbox (the
 * Certification issue turns it into a credential).
 */
export function evaluateMember(
  p: MemberProgress,
  rule: { minAttendancePercent: number; practicumRequired: boolean },
): OutcomeReason[] {
  const reasons: OutcomeReason[] = [];
  if (p.attendancePercent !== null && p.attendancePercent + 1e-9 < rule.minAttendancePercent) {
    reasons.push(OutcomeReason.ATTENDANCE_BELOW_MINIMUM);
  }
  if (!p.coursesCompleted) reasons.push(OutcomeReason.COURSE_NOT_COMPLETED);
  if (rule.practicumRequired && p.practicum?.status !== PracticumStatus.Approved) {
    reasons.push(OutcomeReason.PRACTICUM_NOT_APPROVED);
  }
  return reasons;
}

@Injectable()
export class CohortFinishService {
  private readonly logger = new Logger('CohortFinish');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly access: CohortAccess,
    private readonly cohorts: CohortsService,
    private readonly trainers: TrainersService,
    private readonly progress: MemberProgressReader,
    private readonly bus: LearningEventBus,
  ) {}

  /** By the lead trainer or an admin. Finishing a finished cohort returns the recorded outcomes. */
  async finish(actor: Actor, cohortId: string): Promise<FinishResult> {
    const result = await this.ds.transaction(async (em) => {
      const { cohort } = await this.access.require(actor, cohortId, CAN.manage, em, true);
      return this.finishLocked(em, cohort, (actor as UserActor).userId);
    });
    this.bus.deliverSoon();
    return result;
  }

  /** The daily job: start cohorts whose start date came, finish those whose end date has passed. */
  async advance(today = todayLocal()): Promise<{ started: number; finished: number }> {
    const started: unknown[] = await this.ds.query(
      `UPDATE cohort SET status = 'running', started_at = now(), updated_at = now()
        WHERE status = 'planned' AND starts_on <= $1 AND ends_on >= $1 RETURNING id`,
      [today],
    );
    const due: Array<{ id: string }> = await this.ds.query(
      `SELECT id FROM cohort WHERE status IN ('planned', 'running') AND ends_on < $1 ORDER BY ends_on, id`,
      [today],
    );
    let finished = 0;
    for (const { id } of due) {
      try {
        await this.ds.transaction(async (em) => {
          const cohort = await em
            .createQueryBuilder(CohortEntity, 'c')
            .setLock('pessimistic_write')
            .where('c.id = :id', { id })
            .getOneOrFail();
          await this.finishLocked(em, cohort, null);
        });
        finished++;
      } catch (err) {
        this.logger.warn(`cohort ${id} could not be finished: ${(err as Error).message}`);
      }
    }
    if (finished) this.bus.deliverSoon();
    const startedRows = (Array.isArray(started[0]) ? started[0] : started) as unknown[];
    return { started: startedRows.length, finished };
  }

  /**
   * The lead of a ToT cohort (or an admin) approves or rejects a trainee's practicum: teaching a
   * cohort of their own, linked to this one, with attendance recorded in at least one session.
   */
  async decidePracticum(
    actor: Actor,
    cohortId: string,
    userId: string,
    input: { decision: PracticumStatus; note?: string },
  ): Promise<{ userId: string; status: PracticumStatus; practicumCohortId: string | null }> {
    return this.ds.transaction(async (em) => {
      const { cohort } = await this.access.require(actor, cohortId, CAN.manage, em, true);
      if (cohort.kind !== CohortKind.Tot) {
        throw new CohortException(CohortExceptionCode.PRACTICUM_INVALID, { field: 'decision' });
      }
      if (cohort.status !== CohortStatus.Planned && cohort.status !== CohortStatus.Running) {
        throw new CohortException(CohortExceptionCode.WRONG_STATE, { extensions: { status: cohort.status } });
      }
      const member = await em.findOneBy(CohortMemberEntity, { cohortId, userId, status: MemberStatus.Active });
      if (!member) throw new CohortException(CohortExceptionCode.MEMBER_NOT_FOUND);
      const [taught] = await em.query(
        `SELECT c.id FROM cohort c
          WHERE c.practicum_of_cohort_id = $1 AND c.lead_trainer_id = $2
            AND EXISTS (SELECT 1 FROM cohort_attendance a WHERE a.cohort_id = c.id AND a.status <> 'absent')
          ORDER BY c.created_at LIMIT 1`,
        [cohortId, userId],
      );
      if (input.decision === PracticumStatus.Approved && !taught) {
        throw new CohortException(CohortExceptionCode.PRACTICUM_INVALID, { field: 'decision' });
      }
      await em.update(
        CohortMemberEntity,
        { id: member.id },
        {
          practicumStatus: input.decision,
          practicumCohortId: taught?.id ?? null,
          practicumDecidedBy: (actor as UserActor).userId,
          practicumDecidedAt: new Date(),
          practicumNote: input.note ? normalizeText(input.note) : null,
        },
      );
      return { userId, status: input.decision, practicumCohortId: taught?.id ?? null };
    });
  }

  private async finishLocked(
    em: EntityManager,
    cohort: CohortEntity,
    finishedBy: string | null,
  ): Promise<FinishResult> {
    if (cohort.status === CohortStatus.Finished || cohort.status === CohortStatus.Archived) {
      return this.recorded(em, cohort);
    }
    const now = new Date();
    const today = localDate(now);
    const practicumRequired = await this.cohorts.practicumRequired(em, cohort);
    const members = await this.progress.read(em, cohort, { statuses: [MemberStatus.Active], now });
    let qualified = 0;
    for (const p of members) {
      const reasons = evaluateMember(p, { minAttendancePercent: cohort.minAttendancePercent, practicumRequired });
      const outcome = reasons.length ? MemberOutcome.NotPassed : MemberOutcome.Passed;
      let qualificationId: string | null = null;
      if (outcome === MemberOutcome.Passed && cohort.kind === CohortKind.Tot && cohort.qualifiesLevel) {
        qualificationId = await this.qualify(em, cohort, p.userId, cohort.qualifiesLevel, today, finishedBy);
        qualified++;
      }
      await em.update(
        CohortMemberEntity,
        { cohortId: cohort.id, userId: p.userId },
        { outcome, outcomeReasons: reasons, outcomeAt: now, qualificationId },
      );
    }
    cohort.status = CohortStatus.Finished;
    cohort.finishedAt = now;
    cohort.finishedBy = finishedBy;
    cohort.startedAt ??= now;
    await em.save(cohort);
    this.logger.log(`cohort ${cohort.id} finished: ${members.length} members, ${qualified} qualified`);
    return this.recorded(em, cohort);
  }

  private async qualify(
    em: EntityManager,
    cohort: CohortEntity,
    userId: string,
    level: TrainerLevel,
    today: string,
    grantedBy: string | null,
  ): Promise<string> {
    const years = this.trainers.qualificationYears;
    const expiresOn = years > 0 ? addYears(today, years) : null;
    await em
      .createQueryBuilder()
      .insert()
      .into(TrainerQualificationEntity)
      .values({
        userId,
        level,
        basis: QualificationBasis.TotCohort,
        grantedOn: today,
        expiresOn,
        grantedBy,
        qualifiedBy: cohort.leadTrainerId,
        cohortId: cohort.id,
      })
      .orIgnore()
      .execute();
    const q = await em.findOneByOrFail(TrainerQualificationEntity, { cohortId: cohort.id, userId });
    await this.trainers.afterQualified(em, userId, level, null);
    const payload: TrainerQualifiedEvent = {
      qualificationId: q.id,
      userId,
      level: level as TrainerQualifiedEvent['level'],
      cohortId: cohort.id,
      qualifiedBy: cohort.leadTrainerId,
      grantedOn: q.grantedOn,
      expiresOn: q.expiresOn,
    };
    await em
      .createQueryBuilder()
      .insert()
      .into(LearningEventEntity)
      .values({ type: LearningEventType.TrainerQualified, key: q.id, payload: payload as never })
      .orIgnore()
      .execute();
    return q.id;
  }

  private async recorded(em: EntityManager, cohort: CohortEntity): Promise<FinishResult> {
    const rows: Array<{
      user_id: string;
      full_name: string;
      outcome: MemberOutcome;
      outcome_reasons: OutcomeReason[] | null;
      qualification_id: string | null;
    }> = await em.query(
      `SELECT m.user_id, u.full_name, m.outcome, m.outcome_reasons, m.qualification_id
         FROM cohort_member m JOIN app_user u ON u.id = m.user_id
        WHERE m.cohort_id = $1 AND m.outcome IS NOT NULL ORDER BY u.full_name, m.user_id`,
      [cohort.id],
    );
    return {
      cohortId: cohort.id,
      status: cohort.status,
      finishedAt: cohort.finishedAt as Date,
      members: rows.map((r) => ({
        userId: r.user_id,
        fullName: r.full_name,
        outcome: r.outcome,
        reasons: r.outcome_reasons ?? [],
        qualificationId: r.qualification_id,
      })),
      qualified: rows.filter((r) => r.qualification_id).length,
    };
  }
}
