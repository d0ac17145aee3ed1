import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsDate,
  IsDateString,
  IsEmail,
  IsEnum,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { ApiKeyScope } from '@hocso/identity';
import { EnterpriseOwnership, type EnterpriseView, HeadcountBand, type ParkView } from '@hocso/workforce';
import { ApiKeyDto, mapApiKey } from '../../api-keys/dto/api-keys.dto';
import { Trim } from '../../common/trim.decorator';

export const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateIndustrialParkDto {
  @ApiProperty({ example: 'KCN Yên Bình' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'KCN-YEN-BINH', description: 'Stable code of the park' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/)
  code: string;

  @ApiPropertyOptional({ description: 'Code of the commune or ward the park lies in' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  communeCode?: string;
}

export class IndustrialParkDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true }) communeId: string | null;
  @ApiPropertyOptional({ nullable: true }) communeCode: string | null;
}

export function mapPark(v: ParkView): IndustrialParkDto {
  return {
    id: v.unit.id,
    code: v.unit.code,
    name: v.unit.name,
    communeId: v.commune?.id ?? null,
    communeCode: v.commune?.code ?? null,
  };
}

export class CreateEnterpriseDto {
  @ApiProperty({ example: 'Công ty TNHH Điện tử ABC Việt Nam' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: '4601234567', description: 'Mã số thuế: 10 digits, or 10-3 for a branch (4601234567-001)' })
  @Trim()
  @IsString()
  @Matches(/^\d{10}(-\d{3})?$/, { message: 'taxCode must be 10 digits, or 10 digits-3 digits' })
  taxCode: string;

  @ApiProperty()
  @IsUUID()
  industrialParkId: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  communeCode?: string;

  @ApiProperty({ enum: EnterpriseOwnership })
  @IsEnum(EnterpriseOwnership)
  ownership: EnterpriseOwnership;

  @ApiPropertyOptional({ enum: HeadcountBand })
  @IsOptional()
  @IsEnum(HeadcountBand)
  headcountBand?: HeadcountBand;

  @ApiPropertyOptional({ example: '2020-01-01' })
  @IsOptional()
  @Matches(LOCAL_DATE)
  @IsDateString({ strict: true })
  activeFrom?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(LOCAL_DATE)
  @IsDateString({ strict: true })
  activeTo?: string;

  @ApiPropertyOptional({ description: 'Where compliance reminders are e-mailed (besides enterprise managers)' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  contactEmail?: string;
}

export class EnterpriseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() taxCode: string;
  @ApiProperty() industrialParkId: string;
  @ApiPropertyOptional({ nullable: true }) communeId: string | null;
  @ApiPropertyOptional({ nullable: true }) communeCode: string | null;
  @ApiProperty({ enum: EnterpriseOwnership }) ownership: EnterpriseOwnership;
  @ApiPropertyOptional({ enum: HeadcountBand, nullable: true }) headcountBand: HeadcountBand | null;
  @ApiPropertyOptional({ nullable: true }) activeFrom: string | null;
  @ApiPropertyOptional({ nullable: true }) activeTo: string | null;
  @ApiPropertyOptional({ nullable: true }) contactEmail: string | null;
  @ApiPropertyOptional({ nullable: true }) webhookUrl: string | null;
}

export function mapEnterprise(v: EnterpriseView): EnterpriseDto {
  const e = v.enterprise;
  return {
    id: v.unit.id,
    name: v.unit.name,
    taxCode: e.taxCode,
    industrialParkId: e.industrialParkId,
    communeId: e.communeId,
    communeCode: v.commune?.code ?? null,
    ownership: e.ownership,
    headcountBand: e.headcountBand,
    activeFrom: e.activeFrom,
    activeTo: e.activeTo,
    contactEmail: e.contactEmail,
    webhookUrl: e.webhookUrl,
  };
}

export class EnterpriseIdParam {
  @ApiProperty()
  @IsUUID()
  id: string;
}

export class CreateEnterpriseApiKeyDto {
  @ApiProperty({ example: 'Hệ thống nhân sự' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name: string;

  @ApiPropertyOptional({
    enum: ApiKeyScope,
    isArray: true,
    description: 'Default: training-reports:write, workers:write, compliance:read',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsEnum(ApiKeyScope, { each: true })
  scopes?: ApiKeyScope[];

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expiresAt?: Date;
}

export class CreatedEnterpriseApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The secret key. Shown only once: store it now.' }) key: string;
}

export function mapCreatedKey(created: {
  key: Parameters<typeof mapApiKey>[0];
  secret: string;
}): CreatedEnterpriseApiKeyDto {
  return { ...mapApiKey(created.key), key: created.secret };
}

export class SetWebhookDto {
  @ApiProperty({ example: 'https://hr.example.vn/hocso/webhook' })
  @IsString()
  @MaxLength(2000)
  url: string;
}

export class WebhookDto {
  @ApiProperty() url: string;
  @ApiProperty({
    description:
      'HMAC-SHA256 key, shown once. Each delivery carries Hocso-Signature: t=<unix>,v1=<hex of HMAC(secret, "<t>.<body>")>',
  })
  secret: string;
}
