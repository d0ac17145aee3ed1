import { Trim } from '../../common/trim.decorator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ConsentPurpose } from '@hocso/identity';
import { PASSWORD_MAX_LENGTH } from '@hocso/identity';

/** Consents are explicit booleans per purpose; nothing is assumed (never pre-ticked). */
export class ConsentsDto {
  @ApiProperty({ description: 'Keep my learning records to run courses and certificates (required: true)' })
  @IsBoolean()
  [ConsentPurpose.Learning]: boolean;

  @ApiPropertyOptional({ description: 'Count my progress, anonymised, in the province statistics' })
  @IsOptional()
  @IsBoolean()
  [ConsentPurpose.Statistics]?: boolean;

  @ApiPropertyOptional({ description: 'Send me reminders and news' })
  @IsOptional()
  @IsBoolean()
  [ConsentPurpose.Notifications]?: boolean;

  @ApiPropertyOptional({ description: 'Let my trainer or employer see my progress' })
  @IsOptional()
  @IsBoolean()
  [ConsentPurpose.ShareWithOrganisation]?: boolean;
}

export class RegisterDto {
  @ApiPropertyOptional({ example: 'mai.nguyen@example.vn' })
  @Trim()
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '0912 345 678', description: 'Vietnamese mobile number' })
  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(20)
  phone?: string;

  @ApiProperty({ minLength: 8, maxLength: PASSWORD_MAX_LENGTH, description: 'At least 8 characters; any Unicode' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @ApiProperty({ example: 'Nguyễn Thị Mai' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  fullName: string;

  @ApiPropertyOptional({ enum: ['vi', 'en'], default: 'vi' })
  @IsOptional()
  @IsIn(['vi', 'en'])
  locale?: 'vi' | 'en';

  @ApiPropertyOptional({ description: 'Commune/ward of residence (GET /v1/org-units)' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({ example: 1980 })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear?: number;

  @ApiProperty({ type: ConsentsDto })
  @ValidateNested()
  @Type(() => ConsentsDto)
  consents: ConsentsDto;
}

export class LoginDto {
  @ApiProperty({ description: 'E-mail or Vietnamese mobile number', example: '0912345678' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  identifier: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken: string;
}

export class TokenPairDto {
  @ApiProperty() accessToken: string;
  @ApiProperty() refreshToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Access-token lifetime in seconds' }) expiresIn: number;
}
