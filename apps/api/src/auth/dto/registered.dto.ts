import { ApiProperty } from '@nestjs/swagger';
import { MeDto } from '../../me/dto/me.dto';
import { TokenPairDto } from './auth.dto';

export class RegisteredDto {
  @ApiProperty({ type: MeDto }) user: MeDto;
  @ApiProperty({ type: TokenPairDto }) tokens: TokenPairDto;
}
