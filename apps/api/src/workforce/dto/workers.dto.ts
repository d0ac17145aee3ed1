import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MAX_WORKERS_PER_REQUEST, type WorkerEntity } from '@hocso/workforce';
import { PageQueryDto } from '../../common/pagination.dto';
import { LOCAL_DATE } from './organisations.dto';

/** The enterprise's own code: 1–64 printable characters, no leading/trailing spaces. */
const WORKER_CODE = /^[^\s\p{C}](?:[^\p{C}]{0,62}[^\s\p{C}])?$/u;

export class WorkerInputDto {
  @ApiProperty({ example: 'NV00123', description: "The enterprise's own worker code (case-insensitive)" })
  @IsString()
  @Matches(WORKER_CODE)
  workerCode: string;

  @ApiPropertyOptional({ example: 'Nguyễn Văn An', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  displayName?: string | null;

  @ApiPropertyOptional({ example: '2025-03-01', description: 'Missing = active throughout the reporting window' })
  @IsOptional()
  @Matches(LOCAL_DATE)
  @IsDateString({ strict: true })
  activeFrom?: string | null;

  @ApiPropertyOptional({ example: null, nullable: true })
  @IsOptional()
  @Matches(LOCAL_DATE)
  @IsDateString({ strict: true })
  activeTo?: string | null;
}

export class UpsertWorkersDto {
  @ApiProperty({ type: [WorkerInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_WORKERS_PER_REQUEST)
  @ValidateNested({ each: true })
  @Type(() => WorkerInputDto)
  workers: WorkerInputDto[];
}

export class UpsertWorkersResultDto {
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
}

export class ListWorkersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only workers active on this local date' })
  @IsOptional()
  @Matches(LOCAL_DATE)
  @IsDateString({ strict: true })
  activeOn?: string;
}

export class WorkerDto {
  @ApiProperty() id: string;
  @ApiProperty() workerCode: string;
  @ApiPropertyOptional({ nullable: true }) displayName: string | null;
  @ApiPropertyOptional({ nullable: true }) activeFrom: string | null;
  @ApiPropertyOptional({ nullable: true }) activeTo: string | null;
  @ApiProperty({ description: 'A Hocso account is linked (by an invitation the worker accepted)' }) linked: boolean;
}

export function mapWorker(w: WorkerEntity): WorkerDto {
  return {
    id: w.id,
    workerCode: w.workerCode,
    displayName: w.displayName,
    activeFrom: w.activeFrom,
    activeTo: w.activeTo,
    linked: w.userId !== null,
  };
}

export class WorkerCodeParams {
  @ApiProperty()
  @IsUUID()
  id: string;

  @ApiProperty()
  @IsString()
  @Matches(WORKER_CODE)
  workerCode: string;
}

export class InvitationDto {
  @ApiProperty({ description: 'Give this to the worker; shown once, valid 14 days' }) token: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty() workerCode: string;
}

export function mapInvitation(v: { token: string; expiresAt: Date; worker: WorkerEntity }): InvitationDto {
  return { token: v.token, expiresAt: v.expiresAt.toISOString(), workerCode: v.worker.workerCode };
}

export class AcceptInvitationDto {
  @ApiProperty()
  @IsString()
  @Matches(/^wi_[A-Za-z0-9_-]{32}$/)
  token: string;
}

export class LinkedWorkerDto {
  @ApiProperty() enterpriseId: string;
  @ApiProperty() workerCode: string;
}

export function mapLinked(w: WorkerEntity): LinkedWorkerDto {
  return { enterpriseId: w.enterpriseId, workerCode: w.workerCode };
}
