import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { OrgUnitKind, type OrgUnitEntity } from '@hocso/identity';
import { PageQueryDto } from '../../common/pagination.dto';

export class ListOrgUnitsQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ enum: OrgUnitKind })
  @IsOptional()
  @IsEnum(OrgUnitKind)
  kind?: OrgUnitKind;
}

export class CreateOrgUnitDto {
  @ApiProperty()
  @IsUUID()
  parentId: string;

  @ApiProperty({ enum: OrgUnitKind })
  @IsEnum(OrgUnitKind)
  kind: OrgUnitKind;

  @ApiProperty({ description: 'Stable code, e.g. an enterprise tax code "4600123456"' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/)
  code: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;
}

export class OrgUnitIdParam {
  @ApiProperty()
  @IsUUID()
  id: string;
}

export class OrgUnitDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: OrgUnitKind }) kind: OrgUnitKind;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true }) parentId: string | null;
}

export function mapOrgUnit(o: OrgUnitEntity): OrgUnitDto {
  return { id: o.id, kind: o.kind, code: o.code, name: o.name, parentId: o.parentId };
}
