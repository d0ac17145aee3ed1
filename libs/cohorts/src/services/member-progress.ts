import { Injectable } from '@nestjs/common';
import { localDate } from '@hocso/common';
import { CourseContentReader } from '@hocso/learning';
import type { EntityManager } from 'typeorm';
import type { CohortEntity } from '../entities/cohort.entity';
import type { MemberOutcome, MemberStatus, OutcomeReason, PracticumStatus } from '../entities/cohort-member.entity';

export interface CourseProgress {
  courseSlug: string;
  enrolled: boolean;
  lessonsCompleted: number;
  lessonsTotal: number;
  /** 0…100 */
  progressPercent: number;
  completed: boolean;
  completedAt: Date | null;
  /** best score per quiz, 0…100 */
  quizzes: Array<{ quizId: string; bestScore: number; passed: boolean; attempts: number }>;
}

export interface MemberProgress {
  userId: string;
  fullName: string;
  status: MemberStatus;
  joinedAt: Date;
  sessionsHeld: number;
  sessionsAttended: number;
  /** present or late in the sessions held so far, 0…100; null before the first session */
  attendancePercent: number | null;
  attendedMinutes: number;
  courses: CourseProgress[];
  /** every course of the cohort completed */
  coursesCompleted: boolean;
  /** 0…100, averaged over the cohort's courses */
  progressPercent: number;
  practicum: { status: PracticumStatus; cohortId: string | null; decidedAt: Date | null } | null;
  outcome: MemberOutcome | null;
  outcomeReasons: OutcomeReason[];
  qualificationId: string | null;
}

/** dd/MM/yyyy in Asia/Ho_Chi_Minh (how Vietnamese readers write dates). */
export function formatLocalDate(instant: Date | null): string {
  if (!instant) return '';
  const [y, m, d] = localDate(instant).split('-');
  return `${d}/${m}/${y}`;
}

/**
 * Attendance, lessons, quiz scores and completion of a cohort's members, in one pass of set-based
 * queries (used by the report, the dashboard, the member's own view and the finish rule).
 */
@Injectable()
export class MemberProgressReader {
  constructor(private readonly content: CourseContentReader) {}

  async read(
    em: EntityManager,
    cohort: CohortEntity,
    options: { statuses: MemberStatus[]; userIds?: string[]; now?: Date },
  ): Promise<MemberProgress[]> {
    const now = options.now ?? new Date();
    const members: Array<Record<string, unknown>> = await em.query(
      `WITH held AS (SELECT id, starts_at FROM cohort_session WHERE cohort_id = $1 AND starts_at <= $2),
            att AS (SELECT a.user_id,
                           count(*) FILTER (WHERE a.status IN ('present', 'late'))::int AS attended,
                           sum(a.minutes)::int AS minutes
                      FROM cohort_attendance a WHERE a.session_id IN (SELECT id FROM held)
                     GROUP BY a.user_id)
       SELECT m.user_id, u.full_name, m.status, m.joined_at, m.practicum_status, m.practicum_cohort_id,
              m.practicum_decided_at, m.outcome, m.outcome_reasons, m.qualification_id,
              -- Sessions held since the member got a place, plus any before it they attended
              -- (a late joiner is not failed for sessions they could not attend).
              (SELECT count(*)::int FROM held h
                WHERE h.starts_at >= coalesce(m.activated_at, m.joined_at)
                   OR EXISTS (SELECT 1 FROM cohort_attendance a WHERE a.session_id = h.id AND a.user_id = m.user_id))
                AS held,
              coalesce(att.attended, 0) AS attended, coalesce(att.minutes, 0) AS minutes
         FROM cohort_member m JOIN app_user u ON u.id = m.user_id
         LEFT JOIN att ON att.user_id = m.user_id
        WHERE m.cohort_id = $1 AND m.status = ANY($3::text[])
          AND ($4::uuid[] IS NULL OR m.user_id = ANY($4::uuid[]))
        ORDER BY u.full_name, m.user_id`,
      [cohort.id, now, options.statuses, options.userIds ?? null],
    );
    if (!members.length) return [];
    const userIds = members.map((m) => m.user_id as string);
    const courses: Array<{ course_id: string; course_slug: string }> = await em.query(
      `SELECT course_id, course_slug FROM cohort_course WHERE cohort_id = $1 ORDER BY position`,
      [cohort.id],
    );
    const enrollments: Array<{
      id: string;
      user_id: string;
      course_id: string;
      version_id: string;
      status: string;
      completed_at: Date | null;
      lessons_completed: number;
    }> = await em.query(
      `SELECT e.id, e.user_id, e.course_id, e.version_id, e.status, e.completed_at, e.lessons_completed
         FROM enrollment e
        WHERE e.user_id = ANY($1::uuid[]) AND e.course_id = ANY($2::uuid[]) AND e.status <> 'withdrawn'`,
      [userIds, courses.map((c) => c.course_id)],
    );
    const quizzes: Array<{ enrollment_id: string; quiz_id: string; best: number; passed: boolean; attempts: number }> =
      enrollments.length
        ? await em.query(
            `SELECT enrollment_id, quiz_id, max(score) AS best, bool_or(passed) AS passed, count(*)::int AS attempts
               FROM quiz_attempt WHERE enrollment_id = ANY($1::uuid[])
              GROUP BY enrollment_id, quiz_id ORDER BY quiz_id`,
            [enrollments.map((e) => e.id)],
          )
        : [];
    const totals = new Map<string, number>();
    for (const versionId of new Set(enrollments.map((e) => e.version_id))) {
      totals.set(versionId, (await this.content.structure(versionId, em)).lessonOrder.length);
    }
    const enrollmentOf = new Map(enrollments.map((e) => [`${e.user_id}:${e.course_id}`, e]));
    return members.map((m) => {
      const held = m.held as number;
      const attended = m.attended as number;
      const perCourse: CourseProgress[] = courses.map((c) => {
        const e = enrollmentOf.get(`${m.user_id}:${c.course_id}`);
        if (!e) {
          return {
            courseSlug: c.course_slug,
            enrolled: false,
            lessonsCompleted: 0,
            lessonsTotal: 0,
            progressPercent: 0,
            completed: false,
            completedAt: null,
            quizzes: [],
          };
        }
        const total = totals.get(e.version_id) ?? 0;
        const completed = e.status === 'completed';
        return {
          courseSlug: c.course_slug,
          enrolled: true,
          lessonsCompleted: e.lessons_completed,
          lessonsTotal: total,
          progressPercent: completed ? 100 : total ? Math.min(100, Math.round((e.lessons_completed / total) * 100)) : 0,
          completed,
          completedAt: e.completed_at ? new Date(e.completed_at) : null,
          quizzes: quizzes
            .filter((q) => q.enrollment_id === e.id)
            .map((q) => ({
              quizId: q.quiz_id,
              bestScore: Math.round(Number(q.best) * 1000) / 10,
              passed: q.passed,
              attempts: q.attempts,
            })),
        };
      });
      return {
        userId: m.user_id as string,
        fullName: m.full_name as string,
        status: m.status as MemberStatus,
        joinedAt: new Date(m.joined_at as string),
        sessionsHeld: held,
        sessionsAttended: attended,
        attendancePercent: held ? Math.round((attended / held) * 1000) / 10 : null,
        attendedMinutes: m.minutes as number,
        courses: perCourse,
        coursesCompleted: perCourse.length > 0 && perCourse.every((c) => c.completed),
        progressPercent: perCourse.length
          ? Math.round(perCourse.reduce((s, c) => s + c.progressPercent, 0) / perCourse.length)
          : 0,
        practicum: m.practicum_status
          ? {
              status: m.practicum_status as PracticumStatus,
              cohortId: (m.practicum_cohort_id as string) ?? null,
              decidedAt: m.practicum_decided_at ? new Date(m.practicum_decided_at as string) : null,
            }
          : null,
        outcome: (m.outcome as MemberOutcome) ?? null,
        outcomeReasons: (m.outcome_reasons as OutcomeReason[]) ?? [],
        qualificationId: (m.qualification_id as string) ?? null,
      };
    });
  }
}
