import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDate,
  IsEnum,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { type Actor } from '@hocso/common';
import { type ApiKeyEntity, ApiKeyScope } from '@hocso/identity';
import { PageQueryDto } from '../../common/pagination.dto';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Hệ thống nhân sự — Công ty ABC' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name: string;

  @ApiProperty({ description: 'The enterprise / integrator unit the key acts for (in your subtree)' })
  @IsUUID()
  orgUnitId: string;

  @ApiProperty({ enum: ApiKeyScope, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(ApiKeyScope, { each: true })
  scopes: ApiKeyScope[];

  @ApiPropertyOptional({ description: 'ISO 8601 instant after which the key stops working' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expiresAt?: Date;
}

export class ListApiKeysQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;
}

export class ApiKeyIdParam {
  @ApiProperty()
  @IsUUID()
  id: string;
}

export class ApiKeyDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Public part of the key, shown in lists' }) prefix: string;
  @ApiProperty() orgUnitId: string;
  @ApiProperty({ enum: ApiKeyScope, isArray: true }) scopes: ApiKeyScope[];
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true }) expiresAt: string | null;
  @ApiPropertyOptional({ nullable: true }) lastUsedAt: string | null;
  @ApiPropertyOptional({ nullable: true }) revokedAt: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The secret key. Shown only once: store it now.' }) key: string;
}

export class ApiKeySelfDto {
  @ApiProperty() apiKeyId: string;
  @ApiProperty() orgUnitId: string;
  @ApiProperty({ isArray: true }) scopes: string[];
}

export function mapApiKey(k: ApiKeyEntity): ApiKeyDto {
  return {
    id: k.id,
    name: k.name,
    prefix: `hk_${k.prefix}`,
    orgUnitId: k.orgUnitId,
    scopes: k.scopes,
    createdAt: k.createdAt.toISOString(),
    expiresAt: k.expiresAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

export function mapApiKeySelf(actor: Actor): ApiKeySelfDto {
  if (actor.kind !== 'api_key') throw new Error('not an API key');
  return { apiKeyId: actor.apiKeyId, orgUnitId: actor.orgUnitId, scopes: actor.scopes };
}
