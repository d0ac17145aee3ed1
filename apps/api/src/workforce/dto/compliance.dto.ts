import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  ComplianceRule,
  type ComplianceWeekEntity,
  type EnterpriseComplianceView,
  type EnterpriseWeekLine,
  type ParkWeekSummary,
  type ShortWorker,
  toCsv,
  type WeeklyEnterpriseComplianceEntity,
  weekLabel,
  weekRange,
  type WorkforceSettingsEntity,
} from '@hocso/workforce';

const ISO_WEEK = /^\d{4}-W\d{2}$/;

export class WeekQueryDto {
  @ApiPropertyOptional({ example: '2026-W02', description: 'ISO week in Asia/Ho_Chi_Minh; default: the current week' })
  @IsOptional()
  @Matches(ISO_WEEK)
  week?: string;
}

export class EnterpriseWeekQueryDto extends WeekQueryDto {
  @ApiPropertyOptional({ description: "Cursor of the short-workers list (previous page's nextCursor)" })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 200;
}

export class WeekRangeQueryDto {
  @ApiPropertyOptional({ example: '2026-W01', description: 'Default: 7 weeks before `to`' })
  @IsOptional()
  @Matches(ISO_WEEK)
  from?: string;

  @ApiPropertyOptional({ example: '2026-W08', description: 'Default: the current week' })
  @IsOptional()
  @Matches(ISO_WEEK)
  to?: string;
}

export class WeekStatusDto {
  @ApiProperty({ enum: ['open', 'closed', 'reopened'] }) status: 'open' | 'closed' | 'reopened';
  @ApiPropertyOptional({ nullable: true }) closedAt: string | null;
  @ApiPropertyOptional({ nullable: true }) reopenedAt: string | null;
}

function weekStatus(w: ComplianceWeekEntity | null): WeekStatusDto {
  return {
    status: w ? w.status : 'open',
    closedAt: w?.closedAt.toISOString() ?? null,
    reopenedAt: w?.reopenedAt?.toISOString() ?? null,
  };
}

class WeekDto {
  @ApiProperty({ example: '2026-W02' }) isoWeek: string;
  @ApiProperty({ example: '2026-01-05' }) weekStart: string;
  @ApiProperty({ example: '2026-01-11' }) weekEnd: string;
  @ApiProperty({ example: 'Tuần 02/2026 (05/01–11/01/2026)' }) label: string;
}

function week(isoWeek: string): WeekDto {
  const { monday, sunday } = weekRange(isoWeek);
  return { isoWeek, weekStart: monday, weekEnd: sunday, label: weekLabel(isoWeek) };
}

export class ShortWorkerDto {
  @ApiProperty() workerCode: string;
  @ApiPropertyOptional({ nullable: true }) displayName: string | null;
  @ApiProperty({ description: 'Counted minutes (per day: reported + Hocso, capped)' }) minutes: number;
  @ApiProperty() reportedMinutes: number;
  @ApiProperty({ description: 'Minutes from the linked Hocso account (learning, cohorts)' }) extraMinutes: number;
}

class ShortWorkerPageDto {
  @ApiProperty({ type: [ShortWorkerDto] }) items: ShortWorkerDto[];
  @ApiPropertyOptional({ nullable: true }) nextCursor: string | null;
}

export class EnterpriseComplianceDto extends WeekDto {
  @ApiProperty() enterpriseId: string;
  @ApiProperty() activeWorkers: number;
  @ApiProperty({ description: 'Workers with ≥ 60 minutes this week' }) coveredWorkers: number;
  @ApiPropertyOptional({ nullable: true, description: 'covered ÷ active' }) coverage: number | null;
  @ApiProperty({ description: 'By the rule in force' }) compliant: boolean;
  @ApiProperty({ enum: ComplianceRule }) rule: ComplianceRule;
  @ApiProperty({ description: 'θ' }) threshold: number;
  @ApiProperty({ description: 'coverage ≥ θ' }) workerRuleMet: boolean;
  @ApiProperty({ description: 'a session of ≥ 60 minutes took place' }) sessionRuleMet: boolean;
  @ApiProperty() longestSessionMinutes: number;
  @ApiProperty({ description: 'false while a recompute is pending' }) upToDate: boolean;
  @ApiPropertyOptional({ nullable: true }) computedAt: string | null;
  @ApiProperty({ type: WeekStatusDto }) weekStatus: WeekStatusDto;
  @ApiProperty({ type: ShortWorkerPageDto, description: 'Workers below 60 minutes, fewest first' })
  shortWorkers: ShortWorkerPageDto;
}

function rowFigures(r: WeeklyEnterpriseComplianceEntity) {
  return {
    activeWorkers: r.activeWorkers,
    coveredWorkers: r.coveredWorkers,
    coverage: r.coverage,
    compliant: r.compliant,
    rule: r.rule,
    threshold: r.threshold,
    workerRuleMet: r.workerRuleMet,
    sessionRuleMet: r.sessionRuleMet,
    longestSessionMinutes: r.longestSessionMinutes,
    upToDate: r.requestedSeq <= r.computedSeq,
    computedAt: r.computedAt?.toISOString() ?? null,
  };
}

export function mapEnterpriseCompliance(v: EnterpriseComplianceView): EnterpriseComplianceDto {
  return {
    ...week(v.isoWeek),
    enterpriseId: v.enterpriseId,
    ...rowFigures(v.row),
    weekStatus: weekStatus(v.week),
    shortWorkers: v.shortWorkers,
  };
}

export function mapEnterpriseComplianceCsv(v: { view: EnterpriseComplianceView; workers: ShortWorker[] }): string {
  return toCsv(
    ['iso_week', 'worker_code', 'display_name', 'minutes', 'reported_minutes', 'hocso_minutes', 'covered'],
    v.workers.map((w) => [
      v.view.isoWeek,
      w.workerCode,
      w.displayName,
      w.minutes,
      w.reportedMinutes,
      w.extraMinutes,
      w.minutes >= 60,
    ]),
  );
}

export class EnterpriseTrendPointDto extends WeekDto {
  @ApiProperty() activeWorkers: number;
  @ApiProperty() coveredWorkers: number;
  @ApiPropertyOptional({ nullable: true }) coverage: number | null;
  @ApiProperty() compliant: boolean;
}

export function mapEnterpriseTrend(
  points: Array<{ isoWeek: string; row: WeeklyEnterpriseComplianceEntity | null }>,
): EnterpriseTrendPointDto[] {
  return points.map((p) => ({
    ...week(p.isoWeek),
    activeWorkers: p.row?.activeWorkers ?? 0,
    coveredWorkers: p.row?.coveredWorkers ?? 0,
    coverage: p.row?.coverage ?? null,
    compliant: p.row?.compliant ?? false,
  }));
}

export function mapEnterpriseTrendCsv(
  points: Array<{ isoWeek: string; row: WeeklyEnterpriseComplianceEntity | null }>,
) {
  return toCsv(
    ['iso_week', 'week_start', 'active_workers', 'covered_workers', 'coverage', 'compliant'],
    mapEnterpriseTrend(points).map((p) => [
      p.isoWeek,
      p.weekStart,
      p.activeWorkers,
      p.coveredWorkers,
      p.coverage,
      p.compliant,
    ]),
  );
}

export class EnterpriseLineDto {
  @ApiProperty() enterpriseId: string;
  @ApiProperty() name: string;
  @ApiProperty() taxCode: string;
  @ApiProperty() activeWorkers: number;
  @ApiProperty() coveredWorkers: number;
  @ApiPropertyOptional({ nullable: true }) coverage: number | null;
  @ApiProperty() compliant: boolean;
  @ApiProperty() upToDate: boolean;
}

export class ShareSummaryDto extends WeekDto {
  @ApiPropertyOptional({ nullable: true }) industrialParkId: string | null;
  @ApiPropertyOptional({ nullable: true }) name: string | null;
  @ApiProperty({ description: 'Enterprises operating in the week' }) activeEnterprises: number;
  @ApiProperty() compliantEnterprises: number;
  @ApiPropertyOptional({ nullable: true, description: 'compliant ÷ active' }) share: number | null;
  @ApiProperty({ description: 'share > 0.8 (the province target)' }) targetMet: boolean;
}

function summary(s: ParkWeekSummary): ShareSummaryDto {
  return {
    ...week(s.isoWeek),
    industrialParkId: s.industrialParkId ?? null,
    name: s.name ?? null,
    activeEnterprises: s.activeEnterprises,
    compliantEnterprises: s.compliantEnterprises,
    share: s.share,
    targetMet: s.targetMet,
  };
}

const line = (l: EnterpriseWeekLine): EnterpriseLineDto => ({
  enterpriseId: l.enterpriseId,
  name: l.name,
  taxCode: l.taxCode,
  activeWorkers: l.activeWorkers,
  coveredWorkers: l.coveredWorkers,
  coverage: l.coverage,
  compliant: l.compliant,
  upToDate: l.upToDate,
});

export class ParkComplianceDto extends ShareSummaryDto {
  @ApiProperty({ type: WeekStatusDto }) weekStatus: WeekStatusDto;
  @ApiProperty({ type: [EnterpriseLineDto] }) enterprises: EnterpriseLineDto[];
}

export function mapParkCompliance(v: {
  summary: ParkWeekSummary;
  enterprises: EnterpriseWeekLine[];
  week: ComplianceWeekEntity | null;
}): ParkComplianceDto {
  return { ...summary(v.summary), weekStatus: weekStatus(v.week), enterprises: v.enterprises.map(line) };
}

export function mapParkComplianceCsv(v: { summary: ParkWeekSummary; enterprises: EnterpriseWeekLine[] }): string {
  return toCsv(
    ['iso_week', 'enterprise_id', 'name', 'tax_code', 'active_workers', 'covered_workers', 'coverage', 'compliant'],
    v.enterprises.map((e) => [
      v.summary.isoWeek,
      e.enterpriseId,
      e.name,
      e.taxCode,
      e.activeWorkers,
      e.coveredWorkers,
      e.coverage,
      e.compliant,
    ]),
  );
}

export function mapShareTrend(points: ParkWeekSummary[]): ShareSummaryDto[] {
  return points.map(summary);
}

export function mapShareTrendCsv(points: ParkWeekSummary[]): string {
  return toCsv(
    ['iso_week', 'week_start', 'active_enterprises', 'compliant_enterprises', 'share', 'target_met'],
    points.map((p) => [
      p.isoWeek,
      weekRange(p.isoWeek).monday,
      p.activeEnterprises,
      p.compliantEnterprises,
      p.share,
      p.targetMet,
    ]),
  );
}

export class ProvinceComplianceDto {
  @ApiProperty({ type: ShareSummaryDto }) total: ShareSummaryDto;
  @ApiProperty({ type: [ShareSummaryDto] }) parks: ShareSummaryDto[];
  @ApiProperty({ type: WeekStatusDto }) weekStatus: WeekStatusDto;
}

export function mapProvinceCompliance(v: {
  total: ParkWeekSummary;
  parks: ParkWeekSummary[];
  week: ComplianceWeekEntity | null;
}): ProvinceComplianceDto {
  return { total: summary(v.total), parks: v.parks.map(summary), weekStatus: weekStatus(v.week) };
}

export function mapProvinceComplianceCsv(v: { total: ParkWeekSummary; parks: ParkWeekSummary[] }): string {
  return toCsv(
    ['iso_week', 'industrial_park_id', 'name', 'active_enterprises', 'compliant_enterprises', 'share', 'target_met'],
    [...v.parks, v.total].map((p) => [
      p.isoWeek,
      p.industrialParkId ?? 'TOTAL',
      p.name ?? 'Toàn tỉnh',
      p.activeEnterprises,
      p.compliantEnterprises,
      p.share,
      p.targetMet,
    ]),
  );
}

export class UpdateWorkforceSettingsDto {
  @ApiPropertyOptional({ minimum: 0.01, maximum: 1, example: 0.8, description: 'θ' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0.01)
  @Max(1)
  coverageThreshold?: number;

  @ApiPropertyOptional({ enum: ComplianceRule })
  @IsOptional()
  @IsEnum(ComplianceRule)
  complianceRule?: ComplianceRule;

  @ApiPropertyOptional({ minimum: 60, maximum: 1440, example: 240 })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(1440)
  dailyCapMinutes?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 52, example: 8 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(52)
  reportWindowWeeks?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  remindersEnabled?: boolean;
}

export class WorkforceSettingsDto {
  @ApiProperty() coverageThreshold: number;
  @ApiProperty({ enum: ComplianceRule }) complianceRule: ComplianceRule;
  @ApiProperty() dailyCapMinutes: number;
  @ApiProperty() reportWindowWeeks: number;
  @ApiProperty() remindersEnabled: boolean;
  @ApiProperty() updatedAt: string;
}

export function mapSettings(s: WorkforceSettingsEntity): WorkforceSettingsDto {
  return {
    coverageThreshold: s.coverageThreshold,
    complianceRule: s.complianceRule,
    dailyCapMinutes: s.dailyCapMinutes,
    reportWindowWeeks: s.reportWindowWeeks,
    remindersEnabled: s.remindersEnabled,
    updatedAt: s.updatedAt.toISOString(),
  };
}
