import { Trim } from '../../common/trim.decorator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsNotEmpty,
  IsString,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '@hocso/identity';
import { MeDto } from '../../me/dto/me.dto';
import { ConsentsDto, TokenPairDto } from './auth.dto';

/** The property must be absent when `other` is sent (token XOR identifier + code). */
function AbsentWith(other: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'absentWith',
      constraints: [other],
      validator: {
        validate: (value, args) =>
          value === undefined || ((args?.object ?? {}) as Record<string, unknown>)[other] === undefined,
        defaultMessage: (args) => `${args?.property} cannot be sent together with ${other}`,
      },
    },
    options,
  );
}

const hasToken = (o: AcceptInvitationDto) => o.token !== undefined;
const hasCode = (o: AcceptInvitationDto) => o.identifier !== undefined || o.code !== undefined;

/** Either the e-mail link's `token`, or `identifier` (e-mail or phone) with the `code`. */
export class AcceptInvitationDto {
  @ApiPropertyOptional({ description: 'The token from the e-mail link (…/kich-hoat?token=…)' })
  @ValidateIf((o: AcceptInvitationDto) => hasToken(o) || !hasCode(o))
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  token?: string;

  @ApiPropertyOptional({
    description: 'E-mail or Vietnamese mobile number the invitation went to',
    example: '0912345678',
  })
  @ValidateIf((o: AcceptInvitationDto) => !hasToken(o) || o.identifier !== undefined)
  @AbsentWith('token')
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  identifier?: string;

  @ApiPropertyOptional({
    description: 'The 8-character code, any case, dash and spaces optional',
    example: 'K7QM-4XPA',
  })
  @ValidateIf((o: AcceptInvitationDto) => !hasToken(o) || o.code !== undefined)
  @AbsentWith('token')
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  code?: string;

  @ApiProperty({ minLength: 8, maxLength: PASSWORD_MAX_LENGTH, description: 'At least 8 characters; any Unicode' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @ApiProperty({ type: ConsentsDto })
  @ValidateNested()
  @Type(() => ConsentsDto)
  consents: ConsentsDto;
}

/** The session (same members as sign-in) and the activated account. */
export class AcceptedInvitationDto extends TokenPairDto {
  @ApiProperty({ type: MeDto }) user: MeDto;
}
