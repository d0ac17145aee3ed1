import { Trim } from '../../common/trim.decorator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { Role } from '@hocso/common';
import { ConsentPurpose, formatVietnamesePhone, PASSWORD_MAX_LENGTH, type UserEntity } from '@hocso/identity';

export class MeDto {
  @ApiProperty() id: string;
  @ApiPropertyOptional({ nullable: true }) email: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'E.164' }) phone: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'as shown in Vietnam, e.g. 0912 345 678' }) phoneDisplay:
    | string
    | null;
  @ApiProperty() fullName: string;
  @ApiProperty({ enum: ['vi', 'en'] }) locale: 'vi' | 'en';
  @ApiPropertyOptional({ nullable: true }) orgUnitId: string | null;
  @ApiPropertyOptional({ nullable: true }) birthYear: number | null;
  @ApiProperty({ enum: Role, isArray: true }) roles: Role[];
  @ApiProperty() createdAt: string;
}

export function mapMe(u: UserEntity): MeDto {
  return {
    id: u.id,
    email: u.email,
    phone: u.phone,
    phoneDisplay: u.phone ? formatVietnamesePhone(u.phone) : null,
    fullName: u.fullName,
    locale: u.locale,
    orgUnitId: u.orgUnitId,
    birthYear: u.birthYear,
    roles: u.roles,
    createdAt: u.createdAt.toISOString(),
  };
}

export class UpdateMeDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  fullName?: string;

  @ApiPropertyOptional({ enum: ['vi', 'en'] })
  @IsOptional()
  @IsIn(['vi', 'en'])
  locale?: 'vi' | 'en';

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsUUID()
  orgUnitId?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear?: number | null;

  @ApiPropertyOptional({ nullable: true, description: 'changing it needs currentPassword' })
  @Trim()
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'changing it needs currentPassword' })
  @Trim()
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsString()
  @MaxLength(20)
  phone?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword?: string;
}

export class ConsentDto {
  @ApiProperty({ enum: ConsentPurpose }) purpose: ConsentPurpose;
  @ApiProperty() granted: boolean;
  @ApiPropertyOptional({ nullable: true }) noticeVersion: string | null;
  @ApiPropertyOptional({ nullable: true }) recordedAt: string | null;
}

export class SetConsentDto {
  @ApiProperty()
  @IsBoolean()
  granted: boolean;
}

export class EraseMeDto {
  @ApiPropertyOptional({ description: 'Your current password, to confirm (accounts with a password)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password?: string;

  @ApiPropertyOptional({ description: 'true, to confirm — for accounts without a password (LTI, invited)' })
  @IsOptional()
  @IsBoolean()
  confirm?: boolean;
}

export class ConsentPurposeParam {
  @ApiProperty({ enum: ConsentPurpose })
  @IsEnum(ConsentPurpose)
  purpose: ConsentPurpose;
}
