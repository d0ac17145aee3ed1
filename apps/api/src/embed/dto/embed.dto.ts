import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
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
import type { IntegratorView } from '@hocso/embed';
import { ApiKeyScope } from '@hocso/identity';
import { PageQueryDto } from '../../common/pagination.dto';
import { Trim } from '../../common/trim.decorator';

export class IntegratorIdParam {
  @ApiProperty() @IsUUID() id: string;
}

export class LrsDto {
  @ApiProperty({ example: 'https://lrs.truong.edu.vn/xapi/statements' }) @IsString() @MaxLength(500) endpoint: string;
  @ApiProperty({ example: 'Basic dXNlcjpwYXNz', description: 'the Authorization header value; never shown again' })
  @IsString()
  @MaxLength(1000)
  authorization: string;
}

export class CreateIntegratorDto {
  @ApiProperty({ example: 'Cổng thông tin xã Phú Bình' })
  @Trim()
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  name: string;
  @ApiProperty() @Trim() @IsEmail() contactEmail: string;
  @ApiProperty({ type: [String], example: ['https://phubinh.thainguyen.gov.vn', 'https://*.thainguyen.edu.vn'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  allowedOrigins: string[];
  @ApiPropertyOptional({ type: LrsDto }) @IsOptional() @ValidateNested() @Type(() => LrsDto) lrs?: LrsDto;
}

export class UpdateIntegratorDto {
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @MinLength(3) @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @Trim() @IsEmail() contactEmail?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  allowedOrigins?: string[];
  @ApiPropertyOptional({ type: LrsDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LrsDto)
  lrs?: LrsDto | null;
}

export class IntegratorApiKeyDto {
  @ApiProperty({ example: 'Cổng xã — máy chủ' }) @Trim() @IsString() @MinLength(3) @MaxLength(100) name: string;
  @ApiProperty({ enum: [ApiKeyScope.ContentRead, ApiKeyScope.XapiRead], isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @IsEnum(ApiKeyScope, { each: true })
  scopes: ApiKeyScope[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export class UsageQueryDto {
  @ApiProperty({ example: '2026-11-01' }) @Matches(DATE) @IsISO8601({ strict: true }) from: string;
  @ApiProperty({ example: '2026-11-30' }) @Matches(DATE) @IsISO8601({ strict: true }) to: string;
}

export class XapiQueryDto {
  @ApiPropertyOptional({ description: 'ISO 8601; statements stored after' }) @IsOptional() @IsString() since?: string;
  @ApiPropertyOptional({ description: 'ISO 8601; statements stored up to' }) @IsOptional() @IsString() until?: string;
  @ApiPropertyOptional({ description: 'JSON Agent: {"account":{"homePage":…,"name":…}}' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  agent?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) verb?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) activity?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;
  @ApiPropertyOptional({ description: 'from `more`' }) @IsOptional() @IsString() @MaxLength(512) cursor?: string;
}

export class MaterialsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/) courseSlug?: string;
}

export class OEmbedQueryDto {
  @ApiProperty({ example: 'https://hocso.thainguyen.gov.vn/courses/dich-vu-cong-truc-tuyen' })
  @IsString()
  @MaxLength(2000)
  url: string;
  @ApiPropertyOptional({ enum: ['json', 'xml'] }) @IsOptional() @IsString() @MaxLength(10) format?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(50) @Max(4000) maxwidth?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(50) @Max(4000) maxheight?: number;
}

export class EmbedQueryDto {
  @ApiPropertyOptional({ description: 'the integrator framing the page (its origins go in frame-ancestors)' })
  @IsOptional()
  @IsUUID()
  i?: string;
  @ApiPropertyOptional({ enum: ['vi', 'en'] }) @IsOptional() @IsIn(['vi', 'en']) lang?: 'vi' | 'en';
}

export function mapIntegrator(v: IntegratorView) {
  const i = v.integrator;
  return {
    id: i.orgUnitId,
    name: v.name,
    code: v.code,
    contactEmail: i.contactEmail,
    allowedOrigins: i.allowedOrigins,
    lrs: i.lrsEndpoint
      ? {
          endpoint: i.lrsEndpoint,
          sent: i.lrsSent,
          forwardedUntil: i.lrsForwardedUntil ? new Date(i.lrsForwardedUntil).toISOString() : null,
          lastError: i.lrsLastError,
          lastAttemptAt: i.lrsLastAttemptAt ? new Date(i.lrsLastAttemptAt).toISOString() : null,
        }
      : null,
    createdAt: new Date(i.createdAt).toISOString(),
  };
}
