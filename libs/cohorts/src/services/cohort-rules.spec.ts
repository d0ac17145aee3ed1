import { OrgUnitKind } from '@hocso/identity';
import { type CohortEntity, CohortKind } from '../entities/cohort.entity';
import { MemberStatus, OutcomeReason, PracticumStatus } from '../entities/cohort-member.entity';
import { addYears, evaluateMember } from './cohort-finish.service';
import { reportToCsv, riskReasons } from './cohort-reports.service';
import { newJoinCode, normalizeJoinCode } from './join-code';
import type { MemberProgress } from './member-progress';
import { defaultMinutes } from './sessions.service';
import { sourceFromOrgUnitKind } from './trainers.service';
import { AttendanceStatus } from '../entities/cohort-session.entity';
import { TrainerSource } from '../entities/trainer.entity';

const progress = (over: Partial<MemberProgress> = {}): MemberProgress => ({
  userId: 'u1',
  fullName: 'Nguyễn Thị Hoa',
  status: MemberStatus.Active,
  joinedAt: new Date('2026-11-01T01:00:00Z'),
  sessionsHeld: 5,
  sessionsAttended: 4,
  attendancePercent: 80,
  attendedMinutes: 960,
  courses: [
    {
      courseSlug: 'dao-tao-giang-vien-nguon',
      enrolled: true,
      lessonsCompleted: 6,
      lessonsTotal: 6,
      progressPercent: 100,
      completed: true,
      completedAt: new Date('2026-11-26T17:30:00Z'),
      quizzes: [{ quizId: 'q', bestScore: 90, passed: true, attempts: 2 }],
    },
  ],
  coursesCompleted: true,
  progressPercent: 100,
  practicum: { status: PracticumStatus.Approved, cohortId: 'c2', decidedAt: new Date() },
  outcome: null,
  outcomeReasons: [],
  qualificationId: null,
  ...over,
});

const cohort = (over: Partial<CohortEntity> = {}) =>
  ({
    startsOn: '2026-11-01',
    endsOn: '2026-11-30',
    minAttendancePercent: 80,
    kind: CohortKind.Citizen,
    ...over,
  }) as CohortEntity;

describe('the finish rule', () => {
  const rule = { minAttendancePercent: 80, practicumRequired: true };
  it('passes at exactly the minimum attendance, every course completed and the practicum approved', () => {
    expect(evaluateMember(progress(), rule)).toEqual([]);
  });
  it('names every reason a member falls short', () => {
    const p = progress({ attendancePercent: 79.9, coursesCompleted: false, practicum: null });
    expect(evaluateMember(p, rule)).toEqual([
      OutcomeReason.ATTENDANCE_BELOW_MINIMUM,
      OutcomeReason.COURSE_NOT_COMPLETED,
      OutcomeReason.PRACTICUM_NOT_APPROVED,
    ]);
    const rejected = progress({ practicum: { status: PracticumStatus.Rejected, cohortId: null, decidedAt: null } });
    expect(evaluateMember(rejected, rule)).toEqual([OutcomeReason.PRACTICUM_NOT_APPROVED]);
  });
  it('does not count attendance when no session was held, nor the practicum where none is required', () => {
    const p = progress({ sessionsHeld: 0, attendancePercent: null, practicum: null });
    expect(evaluateMember(p, { minAttendancePercent: 80, practicumRequired: false })).toEqual([]);
  });
});

describe('qualification expiry', () => {
  it('adds whole years; 29 February becomes 28 February', () => {
    expect(addYears('2026-11-27', 3)).toBe('2029-11-27');
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
    expect(addYears('2028-02-29', 4)).toBe('2032-02-29');
  });
});

describe('members at risk', () => {
  it('flags low attendance after two sessions, and progress well behind the calendar', () => {
    // Day 21 of 30: 70 % of the time gone, 20 % done → 50 points behind.
    expect(
      riskReasons(
        progress({ attendancePercent: 50, progressPercent: 20, coursesCompleted: false }),
        cohort(),
        '2026-11-21',
      ),
    ).toEqual(['low_attendance', 'behind_schedule']);
    expect(
      riskReasons(
        progress({ sessionsHeld: 1, attendancePercent: 0, progressPercent: 60, coursesCompleted: false }),
        cohort(),
        '2026-11-21',
      ),
    ).toEqual([]);
    // Early in the cohort nobody is behind yet.
    expect(riskReasons(progress({ progressPercent: 0, coursesCompleted: false }), cohort(), '2026-11-03')).toEqual([]);
  });
});

describe('attendance minutes', () => {
  it('counts the whole session when present, half when late, nothing when absent', () => {
    expect(defaultMinutes(AttendanceStatus.Present, 90)).toBe(90);
    expect(defaultMinutes(AttendanceStatus.Late, 45)).toBe(23);
    expect(defaultMinutes(AttendanceStatus.Absent, 90)).toBe(0);
  });
});

describe('join codes', () => {
  it('are 8 characters without look-alikes, and typed with any case, spaces or dashes', () => {
    const codes = Array.from({ length: 200 }, newJoinCode);
    for (const c of codes) expect(c).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{8}$/);
    expect(new Set(codes).size).toBeGreaterThan(195);
    expect(normalizeJoinCode(' k7qm-3xpd ')).toBe('K7QM3XPD');
  });
});

describe('trainer source from the org unit', () => {
  it('maps communes, wards, agencies and community teams; schools stay unknown', () => {
    expect(sourceFromOrgUnitKind(OrgUnitKind.Ward)).toBe(TrainerSource.Commune);
    expect(sourceFromOrgUnitKind(OrgUnitKind.Agency)).toBe(TrainerSource.Department);
    expect(sourceFromOrgUnitKind(OrgUnitKind.CommunityTeam)).toBe(TrainerSource.CommunityTeam);
    expect(sourceFromOrgUnitKind(OrgUnitKind.School)).toBeNull();
    expect(sourceFromOrgUnitKind(null)).toBeNull();
  });
});

describe('the CSV report', () => {
  const report = (members: MemberProgress[]) => ({
    cohort: cohort(),
    generatedAt: new Date(),
    sessionsHeld: 5,
    members,
  });
  it('writes a BOM, CRLF rows, Vietnamese labels and dates as dd/MM/yyyy in Vietnam time', () => {
    const csv = reportToCsv(report([progress()]), 'vi');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [, row] = csv.slice(1).split('\r\n');
    // 17:30 UTC on 26/11 is 00:30 on 27/11 in Asia/Ho_Chi_Minh.
    expect(row).toBe('1,Nguyễn Thị Hoa,u1,Đang học,5,4,80,960,6,6,90,Có,27/11/2026,Đạt,');
  });
  it('quotes separators and neutralises spreadsheet formulas in names', () => {
    const csv = reportToCsv(report([progress({ fullName: '=HYPERLINK("x"); Hoa' })]), 'en', ';');
    const [, row] = csv.slice(1).split('\r\n');
    expect(row.startsWith(`1;"'=HYPERLINK(""x""); Hoa";u1;Active;`)).toBe(true);
  });
});
