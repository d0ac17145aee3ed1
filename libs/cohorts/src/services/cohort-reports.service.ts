import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Actor, UserActor } from '@hocso/common';
import type { DataSource } from 'typeorm';
import { CohortEntity, CohortStatus } from '../entities/cohort.entity';
import { MemberStatus } from '../entities/cohort-member.entity';
import { CAN, CohortAccess } from './cohort-access.service';
import { formatLocalDate, type MemberProgress, MemberProgressReader } from './member-progress';

export interface CohortReport {
  cohort: CohortEntity;
  generatedAt: Date;
  sessionsHeld: number;
  members: MemberProgress[];
}

export type RiskReason = 'low_attendance' | 'behind_schedule';

export interface TrainerDashboard {
  cohorts: Array<{
    cohort: CohortEntity;
    role: 'lead' | 'co_trainer' | 'assistant';
    active: number;
    waitlisted: number;
    nextSessionAt: Date | null;
  }>;
  upcomingSessions: Array<{
    sessionId: string;
    cohortId: string;
    cohortTitle: string;
    startsAt: Date;
    durationMinutes: number;
    location: string | null;
  }>;
  atRisk: Array<{
    cohortId: string;
    cohortTitle: string;
    userId: string;
    fullName: string;
    attendancePercent: number | null;
    progressPercent: number;
    reasons: RiskReason[];
  }>;
}

/** How far ahead the dashboard lists sessions. */
const UPCOMING_DAYS = 14;
/** Behind schedule: progress more than this many points below the share of the cohort's time gone by. */
const BEHIND_MARGIN = 30;

/**
 * At risk of not completing: attendance already below the cohort's minimum (after two sessions),
 * or course progress well behind the time elapsed between the start and end dates.
 */
export function riskReasons(p: MemberProgress, cohort: CohortEntity, today: string): RiskReason[] {
  const reasons: RiskReason[] = [];
  if (p.sessionsHeld >= 2 && p.attendancePercent !== null && p.attendancePercent < cohort.minAttendancePercent) {
    reasons.push('low_attendance');
  }
  const start = Date.parse(cohort.startsOn);
  const end = Date.parse(cohort.endsOn) + 86_400_000;
  const elapsed = Math.min(1, Math.max(0, (Date.parse(today) + 86_400_000 - start) / (end - start)));
  if (!p.coursesCompleted && p.progressPercent < elapsed * 100 - BEHIND_MARGIN) reasons.push('behind_schedule');
  return reasons;
}

const CSV_HEADERS = {
  vi: [
    'STT',
    'Họ và tên',
    'Mã người học',
    'Trạng thái',
    'Số buổi đã học',
    'Số buổi đã dự',
    'Tỷ lệ chuyên cần (%)',
    'Số phút dự lớp',
    'Bài học đã hoàn thành',
    'Tổng số bài học',
    'Điểm kiểm tra trung bình (%)',
    'Hoàn thành khóa học',
    'Ngày hoàn thành',
    'Thực tập',
    'Kết quả',
  ],
  en: [
    'No.',
    'Full name',
    'Learner id',
    'Status',
    'Sessions held',
    'Sessions attended',
    'Attendance (%)',
    'Minutes attended',
    'Lessons completed',
    'Lessons in total',
    'Average quiz score (%)',
    'Courses completed',
    'Completed on',
    'Practicum',
    'Outcome',
  ],
};

const LABELS = {
  vi: {
    active: 'Đang học',
    waitlisted: 'Danh sách chờ',
    removed: 'Đã rút',
    transferred: 'Đã chuyển lớp',
    yes: 'Có',
    no: 'Chưa',
    approved: 'Đạt',
    rejected: 'Chưa đạt',
    passed: 'Đạt',
    not_passed: 'Không đạt',
  },
  en: {
    active: 'Active',
    waitlisted: 'Waitlisted',
    removed: 'Removed',
    transferred: 'Transferred',
    yes: 'Yes',
    no: 'No',
    approved: 'Approved',
    rejected: 'Rejected',
    passed: 'Passed',
    not_passed: 'Not passed',
  },
} as const;

function csvCell(value: string | number | null): string {
  const s = value === null ? '' : String(value);
  // Quote when needed; a leading = + - @ is neutralised so spreadsheets never run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",;\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The report as CSV: UTF-8 with a BOM (Excel), CRLF, one row per member; dates dd/MM/yyyy. */
export function reportToCsv(report: CohortReport, locale: 'vi' | 'en', delimiter: ',' | ';' = ','): string {
  const l = LABELS[locale];
  const lines = [CSV_HEADERS[locale].map(csvCell).join(delimiter)];
  report.members.forEach((m, i) => {
    const scores = m.courses.flatMap((c) => c.quizzes.map((q) => q.bestScore));
    const avg = scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10 : null;
    const completedAt = m.coursesCompleted
      ? m.courses.reduce<Date | null>(
          (max, c) => (c.completedAt && (!max || c.completedAt > max) ? c.completedAt : max),
          null,
        )
      : null;
    const cells: Array<string | number | null> = [
      i + 1,
      m.fullName,
      m.userId,
      l[m.status],
      m.sessionsHeld,
      m.sessionsAttended,
      m.attendancePercent,
      m.attendedMinutes,
      m.courses.reduce((s, c) => s + c.lessonsCompleted, 0),
      m.courses.reduce((s, c) => s + c.lessonsTotal, 0),
      avg,
      m.coursesCompleted ? l.yes : l.no,
      formatLocalDate(completedAt),
      m.practicum ? l[m.practicum.status] : '',
      m.outcome ? l[m.outcome] : '',
    ];
    lines.push(cells.map(csvCell).join(delimiter));
  });
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

@Injectable()
export class CohortReportsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly access: CohortAccess,
    private readonly progress: MemberProgressReader,
  ) {}

  /** Per member: attendance, lessons, quiz scores, completion, practicum and outcome. */
  async report(actor: Actor, cohortId: string): Promise<CohortReport> {
    const { cohort } = await this.access.require(actor, cohortId, CAN.read);
    const now = new Date();
    const members = await this.progress.read(this.ds.manager, cohort, {
      statuses: [MemberStatus.Active, MemberStatus.Waitlisted],
      now,
    });
    const [{ held }] = await this.ds.query(
      `SELECT count(*)::int AS held FROM cohort_session WHERE cohort_id = $1 AND starts_at <= $2`,
      [cohortId, now],
    );
    return { cohort, generatedAt: now, sessionsHeld: held, members };
  }

  /** A member's own record in each of their cohorts (members see nothing of the others). */
  async mine(actor: UserActor): Promise<Array<{ cohort: CohortEntity; me: MemberProgress }>> {
    const cohorts = await this.ds
      .getRepository(CohortEntity)
      .createQueryBuilder('c')
      .innerJoin('cohort_member', 'm', 'm.cohort_id = c.id AND m.user_id = :me', { me: actor.userId })
      .orderBy('c.starts_on', 'DESC')
      .addOrderBy('c.id')
      .getMany();
    const out: Array<{ cohort: CohortEntity; me: MemberProgress }> = [];
    for (const cohort of cohorts) {
      const [me] = await this.progress.read(this.ds.manager, cohort, {
        statuses: Object.values(MemberStatus),
        userIds: [actor.userId],
      });
      if (me) out.push({ cohort, me });
    }
    return out;
  }

  /** What a trainer needs on their phone: my cohorts, the next sessions, members at risk. */
  async dashboard(actor: UserActor, today: string): Promise<TrainerDashboard> {
    const rows: Array<{ id: string; role: 'lead' | 'co_trainer' | 'assistant' }> = await this.ds.query(
      `SELECT c.id, CASE WHEN c.lead_trainer_id = $1 THEN 'lead' ELSE s.role END AS role
         FROM cohort c LEFT JOIN cohort_staff s ON s.cohort_id = c.id AND s.user_id = $1
        WHERE (c.lead_trainer_id = $1 OR s.user_id IS NOT NULL) AND c.status IN ('planned', 'running')
        ORDER BY c.starts_on, c.id LIMIT 100`,
      [actor.userId],
    );
    const ids = rows.map((r) => r.id);
    const cohorts = ids.length
      ? await this.ds.getRepository(CohortEntity).createQueryBuilder('c').where('c.id IN (:...ids)', { ids }).getMany()
      : [];
    const byId = new Map(cohorts.map((c) => [c.id, c]));
    const now = new Date();
    const until = new Date(now.getTime() + UPCOMING_DAYS * 86_400_000);
    const sessions: Array<{
      id: string;
      cohort_id: string;
      starts_at: Date;
      duration_minutes: number;
      location: string | null;
    }> = ids.length
      ? await this.ds.query(
          `SELECT id, cohort_id, starts_at, duration_minutes, location FROM cohort_session
            WHERE cohort_id = ANY($1::uuid[]) AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at, id`,
          [ids, now, until],
        )
      : [];
    const counts: Array<{ cohort_id: string; status: string; n: number }> = ids.length
      ? await this.ds.query(
          `SELECT cohort_id, status, count(*)::int AS n FROM cohort_member
            WHERE cohort_id = ANY($1::uuid[]) AND status IN ('active', 'waitlisted') GROUP BY cohort_id, status`,
          [ids],
        )
      : [];
    const atRisk: TrainerDashboard['atRisk'] = [];
    for (const cohort of cohorts.filter((c) => c.status === CohortStatus.Running)) {
      const members = await this.progress.read(this.ds.manager, cohort, { statuses: [MemberStatus.Active], now });
      for (const p of members) {
        const reasons = riskReasons(p, cohort, today);
        if (reasons.length) {
          atRisk.push({
            cohortId: cohort.id,
            cohortTitle: cohort.title,
            userId: p.userId,
            fullName: p.fullName,
            attendancePercent: p.attendancePercent,
            progressPercent: p.progressPercent,
            reasons,
          });
        }
      }
    }
    return {
      cohorts: rows
        .filter((r) => byId.has(r.id))
        .map((r) => ({
          cohort: byId.get(r.id) as CohortEntity,
          role: r.role,
          active: counts.find((c) => c.cohort_id === r.id && c.status === 'active')?.n ?? 0,
          waitlisted: counts.find((c) => c.cohort_id === r.id && c.status === 'waitlisted')?.n ?? 0,
          nextSessionAt: sessions.find((s) => s.cohort_id === r.id)?.starts_at ?? null,
        })),
      upcomingSessions: sessions.map((s) => ({
        sessionId: s.id,
        cohortId: s.cohort_id,
        cohortTitle: byId.get(s.cohort_id)?.title ?? '',
        startsAt: new Date(s.starts_at),
        durationMinutes: s.duration_minutes,
        location: s.location,
      })),
      atRisk,
    };
  }
}
