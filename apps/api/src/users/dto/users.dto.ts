import { Trim } from '../../common/trim.decorator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsEnum,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { Role } from '@hocso/common';
import { formatVietnamesePhone, PASSWORD_MAX_LENGTH, type UserEntity } from '@hocso/identity';
import { PageQueryDto } from '../../common/pagination.dto';

export class CreateUserDto {
  @ApiPropertyOptional()
  @Trim()
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional()
  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(20)
  phone?: string;

  @ApiProperty({ description: 'Initial password (the user should change it)' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  fullName: string;

  @ApiPropertyOptional({ enum: ['vi', 'en'] })
  @IsOptional()
  @IsIn(['vi', 'en'])
  locale?: 'vi' | 'en';

  @ApiProperty({ description: 'Must be inside your own org-unit subtree' })
  @IsUUID()
  orgUnitId: string;

  @ApiProperty({ enum: Role, isArray: true })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(9)
  @IsEnum(Role, { each: true })
  roles: Role[];
}

export class SetRolesDto {
  @ApiProperty({ enum: Role, isArray: true })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(9)
  @IsEnum(Role, { each: true })
  roles: Role[];
}

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({ enum: Role })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;
}

export class UserIdParam {
  @ApiProperty()
  @IsUUID()
  id: string;
}

export class UserDto {
  @ApiProperty() id: string;
  @ApiPropertyOptional({ nullable: true }) email: string | null;
  @ApiPropertyOptional({ nullable: true }) phone: string | null;
  @ApiPropertyOptional({ nullable: true }) phoneDisplay: string | null;
  @ApiProperty() fullName: string;
  @ApiPropertyOptional({ nullable: true }) orgUnitId: string | null;
  @ApiProperty({ enum: Role, isArray: true }) roles: Role[];
  @ApiProperty() status: string;
  @ApiProperty() createdAt: string;
}

export function mapUser(u: UserEntity): UserDto {
  return {
    id: u.id,
    email: u.email,
    phone: u.phone,
    phoneDisplay: u.phone ? formatVietnamesePhone(u.phone) : null,
    fullName: u.fullName,
    orgUnitId: u.orgUnitId,
    roles: u.roles,
    status: u.status,
    createdAt: u.createdAt.toISOString(),
  };
}
