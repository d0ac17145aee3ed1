import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { type QualificationView, TrainerLevel, TrainerSource, type TrainerView } from '@hocso/cohorts';
import { Trim } from '../../common/trim.decorator';

export class TrainerParam {
  @ApiProperty() @IsUUID() userId: string;
}

export class QualificationParams extends TrainerParam {
  @ApiProperty() @IsUUID() qualificationId: string;
}

export class AppointTrainerDto {
  @ApiProperty({ enum: TrainerLevel }) @IsEnum(TrainerLevel) level: TrainerLevel;

  @ApiPropertyOptional({ example: '2029-12-31', description: 'No date: no expiry' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: '$property must be a date YYYY-MM-DD' })
  expiresOn?: string;

  @ApiPropertyOptional({ enum: TrainerSource, description: "Defaults to the kind of the trainer's unit" })
  @IsOptional()
  @IsEnum(TrainerSource)
  source?: TrainerSource;
}

export class RevokeQualificationDto {
  @ApiProperty() @Trim() @IsString() @MinLength(3) @MaxLength(500) reason: string;
}

export function mapQualification(v: QualificationView) {
  const q = v.qualification;
  return {
    id: q.id,
    level: q.level,
    basis: q.basis,
    state: v.state,
    grantedOn: q.grantedOn,
    expiresOn: q.expiresOn,
    qualifiedBy: q.qualifiedBy,
    cohortId: q.cohortId,
    revokedAt: q.revokedAt ? new Date(q.revokedAt).toISOString() : null,
    revokeReason: q.revokeReason,
  };
}

export function mapTrainer(v: TrainerView) {
  return { ...v, qualifications: v.qualifications.map(mapQualification) };
}
