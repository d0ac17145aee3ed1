import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDate,
  IsEnum,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  AttendanceStatus,
  type CohortEntity,
  CohortKind,
  CohortMode,
  CohortStatus,
  type CohortView,
  type FinishResult,
  type MemberProgress,
  MemberStatus,
  type MemberView,
  PracticumStatus,
} from '@hocso/cohorts';
import { PageQueryDto } from '../../common/pagination.dto';
import { Trim } from '../../common/trim.decorator';
import { isoOrNull } from '../../common/dates';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = { message: '$property must be a date YYYY-MM-DD' };

export class CohortIdParam {
  @ApiProperty() @IsUUID() id: string;
}

export class CohortMemberParams extends CohortIdParam {
  @ApiProperty() @IsUUID() userId: string;
}

export class CohortSessionParams extends CohortIdParam {
  @ApiProperty() @IsUUID() sessionId: string;
}

export class CreateCohortDto {
  @ApiProperty({ example: 'Lớp Bình dân học vụ số — xã Phú Bình, đợt 1' })
  @Trim()
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title: string;

  @ApiProperty({ type: [String], example: ['dich-vu-cong-truc-tuyen'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(SLUG, { each: true })
  courseSlugs: string[];

  @ApiProperty({ enum: CohortKind }) @IsEnum(CohortKind) kind: CohortKind;
  @ApiProperty({ enum: CohortMode }) @IsEnum(CohortMode) mode: CohortMode;

  @ApiProperty({ example: '2026-12-01' })
  @Matches(DATE, DATE_MESSAGE)
  @IsISO8601({ strict: true }, DATE_MESSAGE)
  startsOn: string;

  @ApiProperty({ example: '2026-12-20' })
  @Matches(DATE, DATE_MESSAGE)
  @IsISO8601({ strict: true }, DATE_MESSAGE)
  endsOn: string;

  @ApiProperty({ minimum: 1, maximum: 5000 }) @IsInt() @Min(1) @Max(5000) capacity: number;

  @ApiPropertyOptional({ description: "Defaults to the lead trainer's unit" })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({ example: 'Nhà văn hóa xóm Đồng Tâm' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(300)
  location?: string;

  @ApiPropertyOptional({ description: 'Who leads it (admins); defaults to the caller' })
  @IsOptional()
  @IsUUID()
  leadTrainerId?: string;

  @ApiPropertyOptional({ description: "A ToT trainee's supervised practicum: the ToT cohort it belongs to" })
  @IsOptional()
  @IsUUID()
  practicumOfCohortId?: string;

  @ApiPropertyOptional({ description: 'Open for self-join with a code' })
  @IsOptional()
  @IsBoolean()
  selfJoin?: boolean;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true })
  coTrainerIds?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  assistantIds?: string[];
}

export class UpdateCohortDto {
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @MinLength(3) @MaxLength(200) title?: string;
  @ApiPropertyOptional({ enum: CohortMode }) @IsOptional() @IsEnum(CohortMode) mode?: CohortMode;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(DATE, DATE_MESSAGE)
  @IsISO8601({ strict: true }, DATE_MESSAGE)
  startsOn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(DATE, DATE_MESSAGE)
  @IsISO8601({ strict: true }, DATE_MESSAGE)
  endsOn?: string;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(5000) capacity?: number;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(300)
  location?: string | null;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() selfJoin?: boolean;
}

export class StaffDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true })
  coTrainerIds: string[];

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  assistantIds: string[];
}

export class CohortsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CohortStatus }) @IsOptional() @IsEnum(CohortStatus) status?: CohortStatus;
  @ApiPropertyOptional({ enum: CohortKind }) @IsOptional() @IsEnum(CohortKind) kind?: CohortKind;
}

export class MembersQueryDto {
  @ApiPropertyOptional({ enum: MemberStatus }) @IsOptional() @IsEnum(MemberStatus) status?: MemberStatus;
}

export class RosterMemberDto {
  @ApiProperty({ example: 'Nguyễn Thị Hoa' }) fullName: string;
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional({ example: '0912 345 678' }) phone?: string;
  @ApiPropertyOptional({ example: '05500' }) orgUnitCode?: string;
}

export class RosterDto {
  @ApiProperty({ type: [RosterMemberDto], maxItems: 2000 }) members: RosterMemberDto[];
}

export class JoinCohortDto {
  @ApiProperty({ example: 'K7QM-3XPD' })
  @Trim()
  @IsString()
  @MinLength(6)
  @MaxLength(20)
  code: string;
}

export class TransferDto {
  @ApiProperty() @IsUUID() toCohortId: string;
}

export class CreateSessionDto {
  @ApiProperty({ example: '2026-12-03T08:00:00+07:00' })
  @Type(() => Date)
  @IsDate()
  startsAt: Date;

  @ApiProperty({ minimum: 1, maximum: 720 }) @IsInt() @Min(1) @Max(720) durationMinutes: number;

  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @MaxLength(300) location?: string;
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @MaxLength(200) title?: string;
}

export class AttendanceRecordDto {
  @ApiProperty() @IsUUID() userId: string;
  @ApiProperty({ enum: AttendanceStatus }) @IsEnum(AttendanceStatus) status: AttendanceStatus;

  @ApiPropertyOptional({ description: 'Defaults: present = the session, late = half, absent = 0' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(720)
  minutes?: number;
}

export class AttendanceBatchDto {
  @ApiProperty({ type: [AttendanceRecordDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => AttendanceRecordDto)
  records: AttendanceRecordDto[];
}

export class PracticumDecisionDto {
  @ApiProperty({ enum: PracticumStatus }) @IsEnum(PracticumStatus) decision: PracticumStatus;
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @MaxLength(1000) note?: string;
}

export class ReportQueryDto {
  @ApiPropertyOptional({ enum: ['comma', 'semicolon'], description: 'CSV delimiter (Excel in Vietnamese: semicolon)' })
  @IsOptional()
  @IsIn(['comma', 'semicolon'])
  delimiter?: 'comma' | 'semicolon';
}

export function mapCohortSummary(c: CohortEntity) {
  return {
    id: c.id,
    title: c.title,
    kind: c.kind,
    mode: c.mode,
    status: c.status,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    capacity: c.capacity,
    orgUnitId: c.orgUnitId,
    location: c.location,
    leadTrainerId: c.leadTrainerId,
    practicumOfCohortId: c.practicumOfCohortId,
    qualifiesLevel: c.qualifiesLevel,
    selfJoin: c.joinCode !== null,
    createdAt: isoOrNull(c.createdAt),
  };
}

export function mapCohort(v: CohortView) {
  return {
    ...mapCohortSummary(v.cohort),
    courses: v.courses,
    leadTrainer: v.leadTrainer,
    staff: v.staff,
    members: v.counts,
    minAttendancePercent: v.cohort.minAttendancePercent,
    practicumRequired: v.practicumRequired,
    joinCode: v.joinCode,
    flags: v.flags,
    myRole: v.role,
    startedAt: isoOrNull(v.cohort.startedAt),
    finishedAt: isoOrNull(v.cohort.finishedAt),
  };
}

export function mapMember(v: MemberView) {
  return {
    userId: v.member.userId,
    fullName: v.fullName,
    status: v.member.status,
    source: v.member.source,
    joinedAt: isoOrNull(v.member.joinedAt),
    transferredTo: v.member.transferredTo,
    invitation: v.invitation
      ? { channel: v.invitation.channel, delivery: v.invitation.delivery, accepted: v.invitation.acceptedAt !== null }
      : null,
    practicum: v.member.practicumStatus,
    outcome: v.member.outcome,
  };
}

export function mapProgress(p: MemberProgress) {
  return {
    userId: p.userId,
    fullName: p.fullName,
    status: p.status,
    joinedAt: isoOrNull(p.joinedAt),
    attendance: {
      sessionsHeld: p.sessionsHeld,
      sessionsAttended: p.sessionsAttended,
      percent: p.attendancePercent,
      minutes: p.attendedMinutes,
    },
    courses: p.courses.map((c) => ({ ...c, completedAt: isoOrNull(c.completedAt) })),
    coursesCompleted: p.coursesCompleted,
    progressPercent: p.progressPercent,
    practicum: p.practicum ? { ...p.practicum, decidedAt: isoOrNull(p.practicum.decidedAt) } : null,
    outcome: p.outcome,
    outcomeReasons: p.outcomeReasons,
    qualificationId: p.qualificationId,
  };
}

export function mapFinish(r: FinishResult) {
  return { ...r, finishedAt: isoOrNull(r.finishedAt) };
}
