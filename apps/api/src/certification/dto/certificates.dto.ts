import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Allow,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { type CertificateRuleEntity, type CertificateView, RuleScope } from '@hocso/certification';
import { Trim } from '../../common/trim.decorator';
import { isoOrNull } from '../../common/dates';

export class RevokeCertificateDto {
  @ApiProperty({ example: 'Cấp nhầm người' }) @Trim() @IsString() @MinLength(3) @MaxLength(500) reason: string;
}

export class VerifyCredentialDto {
  @ApiProperty({
    description: 'A VC-JWT (compact JWS) or a JSON credential (e.g. an EnvelopedVerifiableCredential)',
    oneOf: [{ type: 'string' }, { type: 'object' }],
  })
  @Allow()
  credential: unknown;
}

export class PublicProfileDto {
  @ApiProperty() @IsBoolean() enabled: boolean;
}

export class HandleParam {
  @ApiProperty() @IsString() @Matches(/^[A-Za-z0-9_-]{6,32}$/) handle: string;
}

export class StatusListParam {
  @ApiProperty() @IsUUID() id: string;
}

export class CertificateRuleDto {
  @ApiProperty({ enum: RuleScope }) @IsEnum(RuleScope) scope: RuleScope;
  @ApiProperty({
    description: 'course slug or "*" (scope course); tot | official | citizen | worker (scope cohort_kind)',
  })
  @IsString()
  @MaxLength(100)
  key: string;
  @ApiProperty() @IsBoolean() enabled: boolean;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(100) minScorePercent?: number | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(100) minAttendancePercent?:
    | number
    | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(240) validityMonths?: number | null;
}

export function mapCertificate(v: CertificateView, publicUrl: string, full = true) {
  const c = v.certificate;
  return {
    id: c.id,
    kind: c.kind,
    title: { vi: c.titleVi, en: c.titleEn },
    holderName: v.holderName,
    status: v.status,
    hours: c.hours,
    level: c.level,
    validFrom: isoOrNull(c.validFrom),
    validUntil: isoOrNull(c.validUntil),
    revokedAt: isoOrNull(c.revokedAt),
    verifyUrl: v.verifyUrl,
    pdfUrl: `${publicUrl}/v1/certificates/${c.id}.pdf`,
    ...(full ? { credential: c.credential, jwt: c.credentialJwt } : {}),
  };
}

export function mapRule(r: CertificateRuleEntity) {
  return {
    scope: r.scope,
    key: r.key,
    enabled: r.enabled,
    minScorePercent: r.minScorePercent,
    minAttendancePercent: r.minAttendancePercent,
    validityMonths: r.validityMonths,
    updatedAt: isoOrNull(r.updatedAt),
  };
}
