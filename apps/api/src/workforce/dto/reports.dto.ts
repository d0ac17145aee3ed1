import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import {
  type ReportRowError,
  ROW_ERROR_MESSAGES,
  RowErrorCode,
  type TrainingReportEntity,
  TrainingReportStatus,
} from '@hocso/workforce';
import type { Page } from '@hocso/database';
import type { Locale } from '../../http/locale';

export class ReportSessionDto {
  @ApiProperty({ example: 'NV00123' }) workerCode: string;
  @ApiProperty({ example: '2026-01-05', description: 'YYYY-MM-DD or dd/MM/yyyy (local), or an instant with a zone' })
  date: string;
  @ApiProperty({ example: 60, minimum: 1, maximum: 600 }) minutes: number;
  @ApiProperty({ example: 'An toàn thông tin cơ bản' }) topic: string;
  @ApiPropertyOptional({ example: 'an-toan-thong-tin' }) courseSlug?: string;
  @ApiPropertyOptional({ example: 'Trần Thị Bình' }) trainer?: string;
  @ApiPropertyOptional({ example: 'BUOI-2026-001', description: 'Your id of the session (part of the natural key)' })
  externalRef?: string;
}

/** Documentation of the JSON form (rows are validated one by one by the worker, not here). */
export class SubmitTrainingReportDto {
  @ApiProperty({ type: [ReportSessionDto], maxItems: 100_000 }) sessions: ReportSessionDto[];
}

export class ReportIdParam {
  @ApiProperty()
  @IsUUID()
  id: string;
}

export class ReportErrorDto {
  @ApiProperty({ description: 'JSON: 1-based index in sessions; CSV: spreadsheet row (header = row 1)' })
  row: number;
  @ApiProperty({ example: 'minutes' }) field: string;
  @ApiProperty({ enum: RowErrorCode }) code: RowErrorCode;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ nullable: true }) value: string | null;
}

export class ReportErrorPageDto {
  @ApiProperty({ type: [ReportErrorDto] }) items: ReportErrorDto[];
  @ApiPropertyOptional({ nullable: true }) nextCursor: string | null;
}

export class TrainingReportDto {
  @ApiProperty() id: string;
  @ApiProperty() enterpriseId: string;
  @ApiProperty({ enum: TrainingReportStatus }) status: TrainingReportStatus;
  @ApiProperty({ enum: ['json', 'csv'] }) format: 'json' | 'csv';
  @ApiProperty() totalRows: number;
  @ApiPropertyOptional({ nullable: true }) acceptedRows: number | null;
  @ApiPropertyOptional({ nullable: true }) rejectedRows: number | null;
  @ApiProperty({ type: [String], description: 'ISO weeks of the accepted rows' }) weeks: string[];
  @ApiProperty() receivedAt: string;
  @ApiPropertyOptional({ nullable: true }) finishedAt: string | null;
  @ApiPropertyOptional({ nullable: true }) failureCode: string | null;
  @ApiPropertyOptional({ nullable: true }) failureDetail: string | null;
}

export class TrainingReportDetailDto extends TrainingReportDto {
  @ApiProperty({ type: ReportErrorPageDto }) errors: ReportErrorPageDto;
}

export function mapReport(r: TrainingReportEntity): TrainingReportDto {
  return {
    id: r.id,
    enterpriseId: r.enterpriseId,
    status: r.status,
    format: r.format,
    totalRows: r.totalRows,
    acceptedRows: r.acceptedRows,
    rejectedRows: r.rejectedRows,
    weeks: r.weeks,
    receivedAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    failureCode: r.failureCode,
    failureDetail: r.failureDetail,
  };
}

export function mapReportDetail(
  v: { report: TrainingReportEntity; errors: Page<ReportRowError> },
  locale: Locale,
): TrainingReportDetailDto {
  return {
    ...mapReport(v.report),
    errors: {
      items: v.errors.items.map((e) => ({
        row: e.rowNumber,
        field: e.field,
        code: e.code,
        message: ROW_ERROR_MESSAGES[e.code]?.[locale] ?? e.code,
        value: e.value,
      })),
      nextCursor: v.errors.nextCursor,
    },
  };
}
