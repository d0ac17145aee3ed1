import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

const PERIOD_HINT = 'ISO week 2026-W48 (default: the current week), month 2026-11, quarter 2026-Q4 or year 2026';
const BY = ['commune', 'agency', 'park', 'enterprise', 'level', 'source', 'position', 'segment'] as const;

export class KpiCodeParam {
  @ApiProperty({ example: 'OFFICIALS_TRAINED' })
  @Matches(/^[A-Z][A-Z0-9_]{1,47}$/)
  code!: string;
}

export class KpiOverviewQueryDto {
  @ApiPropertyOptional({ description: PERIOD_HINT, example: '2026-W48' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  period?: string;

  @ApiPropertyOptional({ description: 'Default: your own unit (the province for province admins)' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;
}

export class KpiBreakdownQueryDto extends KpiOverviewQueryDto {
  @ApiProperty({ enum: BY, description: 'Which dimension; each KPI lists the ones it allows' })
  @IsIn(BY)
  by!: (typeof BY)[number];
}

export class KpiSeriesQueryDto {
  @ApiPropertyOptional({ description: 'First ISO week (default: 11 weeks before `to`)', example: '2026-W37' })
  @IsOptional()
  @IsString()
  @MaxLength(8)
  from?: string;

  @ApiPropertyOptional({ description: 'Last ISO week (default: the current week)', example: '2026-W48' })
  @IsOptional()
  @IsString()
  @MaxLength(8)
  to?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;
}

export class KpiExportQueryDto extends KpiOverviewQueryDto {
  @ApiPropertyOptional({ enum: BY, description: 'Export the breakdown rows instead of the overview' })
  @IsOptional()
  @IsIn(BY)
  by?: (typeof BY)[number];

  @ApiPropertyOptional({ description: 'With `by`: only this KPI' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{1,47}$/)
  code?: string;

  @ApiPropertyOptional({ enum: ['comma', 'semicolon'], description: 'CSV delimiter (Excel in Vietnamese: semicolon)' })
  @IsOptional()
  @IsIn(['comma', 'semicolon'])
  delimiter?: 'comma' | 'semicolon';
}

export class UpdateKpiDefinitionDto {
  @ApiPropertyOptional({ nullable: true, description: 'Target value (percent 0–100 for shares, a count otherwise)' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100_000_000)
  targetValue?: number | null;

  @ApiPropertyOptional({ enum: ['gte', 'gt'], description: "'gt' for “more than”, 'gte' for “at least”" })
  @IsOptional()
  @IsIn(['gte', 'gt'])
  targetComparison?: 'gte' | 'gt';

  @ApiPropertyOptional({ nullable: true, example: '2026-12-31' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  targetDate?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'Sở Nội vụ' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(200)
  ownerName?: string | null;

  @ApiPropertyOptional({
    description:
      'KPI parameters: levels (TOT_TRAINERS); courseSlugs; ageMin/ageMax/denominatorMetric (CITIZENS_ONLINE_SERVICES, AI_BASICS); periodShare (ENTERPRISE_WEEKLY_HOUR); days (LEARNERS_ACTIVE_30D)',
  })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;

  @ApiProperty({ description: 'Why (kept in the audit trail)', example: 'QĐ 1893/QĐ-UBND re-based the target' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

export class SnapshotRequestDto {
  @ApiProperty({ description: PERIOD_HINT, example: '2026-W48' })
  @IsString()
  @MaxLength(10)
  period!: string;

  @ApiPropertyOptional({ description: 'Replace a frozen period’s figures with today’s data (needs a reason)' })
  @IsOptional()
  @IsBoolean()
  @Type(() => Boolean)
  refreeze?: boolean;

  @ApiPropertyOptional()
  @ValidateIf((o: SnapshotRequestDto) => o.refreeze === true)
  @IsString()
  @Length(3, 500)
  reason?: string;
}

export class PeriodParam {
  @ApiProperty({ example: '2026-W48' })
  @IsString()
  @MaxLength(10)
  period!: string;
}

export class UploadQueryDto {
  @ApiPropertyOptional({ description: 'The date the list is valid from (default today; dd/MM/yyyy or yyyy-MM-dd)' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  asOf?: string;
}

export class PopulationStatsQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({ example: '2025' })
  @IsOptional()
  @IsString()
  @MaxLength(4)
  period?: string;
}

export class UnitIdParam {
  @ApiProperty()
  @IsUUID()
  id!: string;
}
