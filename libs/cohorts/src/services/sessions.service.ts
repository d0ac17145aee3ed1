import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, localDate, normalizeText, type UserActor } from '@hocso/common';
import { addBulkWithin, JOB_QUEUE, JobName, QueueService } from '@hocso/queue';
import type { DataSource } from 'typeorm';
import { CohortException, CohortExceptionCode } from '../cohorts.exception';
import { CohortStatus } from '../entities/cohort.entity';
import { AttendanceStatus, CohortSessionEntity } from '../entities/cohort-session.entity';
import { CAN, CohortAccess } from './cohort-access.service';

export interface AttendanceRecordInput {
  userId: string;
  status: AttendanceStatus;
  minutes?: number;
}

export interface AttendanceView {
  userId: string;
  fullName: string;
  status: AttendanceStatus | null;
  minutes: number;
  recordedAt: Date | null;
}

/** Why one attendance record was refused (the whole batch is then refused). */
export type AttendanceProblem = 'not_a_member' | 'duplicate_user' | 'minutes_exceed_session' | 'minutes_for_absent';

/** Sessions may be recorded a little before they start (clock skew on the trainer's phone). */
const START_SKEW_MS = 15 * 60_000;

/**
 * Minutes a "late" record counts when the trainer gives none: half the session. Present counts
 * the whole session, absent nothing.
 */
export function defaultMinutes(status: AttendanceStatus, duration: number): number {
  if (status === AttendanceStatus.Present) return duration;
  if (status === AttendanceStatus.Late) return Math.round(duration / 2);
  return 0;
}

@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly access: CohortAccess,
    private readonly queues: QueueService,
  ) {}

  /** A session, planned ahead or recorded after the fact (village classes without connectivity). */
  async create(
    actor: Actor,
    cohortId: string,
    input: { startsAt: Date; durationMinutes: number; location?: string; title?: string },
  ): Promise<CohortSessionEntity> {
    return this.ds.transaction(async (em) => {
      const { cohort } = await this.access.require(actor, cohortId, CAN.teach, em);
      if (cohort.status !== CohortStatus.Planned && cohort.status !== CohortStatus.Running) {
        throw new CohortException(CohortExceptionCode.WRONG_STATE, { extensions: { status: cohort.status } });
      }
      const day = localDate(input.startsAt);
      if (day < cohort.startsOn || day > cohort.endsOn) {
        throw new CohortException(CohortExceptionCode.SESSION_OUTSIDE_COHORT, { field: 'startsAt' });
      }
      return em.save(
        em.create(CohortSessionEntity, {
          cohortId,
          startsAt: input.startsAt,
          durationMinutes: input.durationMinutes,
          location: input.location ? normalizeText(input.location) : (cohort.location ?? null),
          title: input.title ? normalizeText(input.title) : null,
          createdBy: (actor as UserActor).userId,
        }),
      );
    });
  }

  async list(
    actor: Actor,
    cohortId: string,
  ): Promise<Array<{ session: CohortSessionEntity; present: number; late: number; absent: number }>> {
    await this.access.require(actor, cohortId, CAN.read);
    const sessions = await this.ds
      .getRepository(CohortSessionEntity)
      .find({ where: { cohortId }, order: { startsAt: 'ASC', id: 'ASC' } });
    const counts: Array<{ session_id: string; status: AttendanceStatus; n: number }> = await this.ds.query(
      `SELECT session_id, status, count(*)::int AS n FROM cohort_attendance WHERE cohort_id = $1
        GROUP BY session_id, status`,
      [cohortId],
    );
    return sessions.map((session) => {
      const of = (s: AttendanceStatus) => counts.find((c) => c.session_id === session.id && c.status === s)?.n ?? 0;
      return {
        session,
        present: of(AttendanceStatus.Present),
        late: of(AttendanceStatus.Late),
        absent: of(AttendanceStatus.Absent),
      };
    });
  }

  /**
   * Records a session's attendance in one batch. Each record is an upsert on (session, person): a
   * batch sent twice (a retry from a phone on a weak connection) leaves the same state. Every record
   * is checked first; one bad record refuses the whole batch, naming each bad one.
   */
  async recordAttendance(
    actor: Actor,
    cohortId: string,
    sessionId: string,
    records: AttendanceRecordInput[],
    now = new Date(),
  ): Promise<{ sessionId: string; recorded: number; present: number; late: number; absent: number }> {
    const result = await this.ds.transaction(async (em) => {
      const { cohort } = await this.access.require(actor, cohortId, CAN.teach, em, true);
      if (cohort.status !== CohortStatus.Planned && cohort.status !== CohortStatus.Running) {
        throw new CohortException(CohortExceptionCode.WRONG_STATE, { extensions: { status: cohort.status } });
      }
      const session = await em.findOneBy(CohortSessionEntity, { id: sessionId, cohortId });
      if (!session) throw new CohortException(CohortExceptionCode.SESSION_NOT_FOUND);
      if (session.startsAt.getTime() > now.getTime() + START_SKEW_MS) {
        throw new CohortException(CohortExceptionCode.SESSION_IN_FUTURE, { field: 'records' });
      }
      const members: Array<{ user_id: string }> = await em.query(
        `SELECT user_id FROM cohort_member WHERE cohort_id = $1 AND status = 'active' AND user_id = ANY($2::uuid[])`,
        [cohortId, records.map((r) => r.userId)],
      );
      const active = new Set(members.map((m) => m.user_id));
      const problems: Array<{ pointer: string; problem: AttendanceProblem }> = [];
      const seen = new Set<string>();
      const rows = records.map((r, i) => {
        const minutes = r.minutes ?? defaultMinutes(r.status, session.durationMinutes);
        if (!active.has(r.userId)) problems.push({ pointer: `records.${i}.userId`, problem: 'not_a_member' });
        else if (seen.has(r.userId)) problems.push({ pointer: `records.${i}.userId`, problem: 'duplicate_user' });
        if (r.status === AttendanceStatus.Absent && r.minutes) {
          problems.push({ pointer: `records.${i}.minutes`, problem: 'minutes_for_absent' });
        } else if (minutes > session.durationMinutes) {
          problems.push({ pointer: `records.${i}.minutes`, problem: 'minutes_exceed_session' });
        }
        seen.add(r.userId);
        return { userId: r.userId, status: r.status, minutes };
      });
      if (problems.length) {
        throw new CohortException(CohortExceptionCode.ATTENDANCE_INVALID, {
          field: problems[0].pointer,
          extensions: { invalidRecords: problems.slice(0, 100) },
        });
      }
      const day = localDate(session.startsAt);
      await em.query(
        `INSERT INTO cohort_attendance (session_id, user_id, cohort_id, status, minutes, local_date, recorded_by)
         SELECT $1, r.user_id, $2, r.status, r.minutes, $6, $7
           FROM unnest($3::uuid[], $4::text[], $5::int[]) AS r(user_id, status, minutes)
         ON CONFLICT (session_id, user_id) DO UPDATE
           SET status = EXCLUDED.status, minutes = EXCLUDED.minutes, recorded_by = EXCLUDED.recorded_by,
               recorded_at = CASE WHEN (cohort_attendance.status, cohort_attendance.minutes)
                                     = (EXCLUDED.status, EXCLUDED.minutes)
                                  THEN cohort_attendance.recorded_at ELSE now() END`,
        [
          session.id,
          cohortId,
          rows.map((r) => r.userId),
          rows.map((r) => r.status),
          rows.map((r) => r.minutes),
          day,
          (actor as UserActor).userId,
        ],
      );
      // Attendance means the cohort has begun.
      if (cohort.status === CohortStatus.Planned) {
        await em.query(`UPDATE cohort SET status = 'running', started_at = now(), updated_at = now() WHERE id = $1`, [
          cohortId,
        ]);
      }
      const count = (s: AttendanceStatus) => rows.filter((r) => r.status === s).length;
      return {
        day,
        out: {
          sessionId,
          recorded: rows.length,
          present: count(AttendanceStatus.Present),
          late: count(AttendanceStatus.Late),
          absent: count(AttendanceStatus.Absent),
        },
      };
    });
    // After the commit: a linked worker's weekly hour may have changed (workforce decides).
    await addBulkWithin(
      this.queues,
      JOB_QUEUE[JobName.WorkerMinutesChanged],
      JobName.WorkerMinutesChanged,
      records.map((r) => ({ data: { userId: r.userId, localDates: [result.day] }, opts: {} })),
    );
    return result.out;
  }

  async attendance(actor: Actor, cohortId: string, sessionId: string): Promise<AttendanceView[]> {
    await this.access.require(actor, cohortId, CAN.read);
    const session = await this.ds.getRepository(CohortSessionEntity).findOneBy({ id: sessionId, cohortId });
    if (!session) throw new CohortException(CohortExceptionCode.SESSION_NOT_FOUND);
    const rows: Array<{
      user_id: string;
      full_name: string;
      status: AttendanceStatus | null;
      minutes: number | null;
      recorded_at: Date | null;
    }> = await this.ds.query(
      `SELECT m.user_id, u.full_name, a.status, a.minutes, a.recorded_at
           FROM cohort_member m JOIN app_user u ON u.id = m.user_id
           LEFT JOIN cohort_attendance a ON a.session_id = $2 AND a.user_id = m.user_id
          WHERE m.cohort_id = $1 AND (m.status = 'active' OR a.user_id IS NOT NULL)
          ORDER BY u.full_name, m.user_id`,
      [cohortId, sessionId],
    );
    return rows.map((r) => ({
      userId: r.user_id,
      fullName: r.full_name,
      status: r.status,
      minutes: r.minutes ?? 0,
      recordedAt: r.recorded_at,
    }));
  }
}

/**
 * Attendance minutes per person and local day: they count as learning minutes, including for a
 * worker's weekly hour (the workforce library registers this as a minutes source).
 */
@Injectable()
export class AttendanceMinutesService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async minutesFor(
    userIds: string[],
    fromLocalDate: string,
    toLocalDate: string,
  ): Promise<Array<{ userId: string; localDate: string; minutes: number }>> {
    if (!userIds.length) return [];
    const rows: Array<{ user_id: string; local_date: string; minutes: number }> = await this.ds.query(
      `SELECT user_id, to_char(local_date, 'YYYY-MM-DD') AS local_date, sum(minutes)::int AS minutes
         FROM cohort_attendance
        WHERE user_id = ANY($1::uuid[]) AND local_date BETWEEN $2 AND $3 AND minutes > 0
        GROUP BY user_id, local_date ORDER BY user_id, local_date`,
      [userIds, fromLocalDate, toLocalDate],
    );
    return rows.map((r) => ({ userId: r.user_id, localDate: r.local_date, minutes: r.minutes }));
  }
}
