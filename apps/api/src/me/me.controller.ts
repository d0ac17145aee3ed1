import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserActor } from '@hocso/common';
import { DataRightsService, UsersService } from '@hocso/identity';
import { Authenticated, CurrentActor } from '../http/auth/auth.decorators';
import { ConsentDto, ConsentPurposeParam, EraseMeDto, MeDto, mapMe, SetConsentDto, UpdateMeDto } from './dto/me.dto';

@ApiTags('me')
@Authenticated()
@Controller('v1/me')
export class MeController {
  constructor(
    private readonly users: UsersService,
    private readonly dataRights: DataRightsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'My profile' })
  get(@CurrentActor() actor: UserActor): Promise<MeDto> {
    return this.users.getMe(actor).then(mapMe);
  }

  @Patch()
  @ApiOperation({ summary: 'Update my profile (e-mail, phone and password need currentPassword)' })
  update(@CurrentActor() actor: UserActor, @Body() dto: UpdateMeDto): Promise<MeDto> {
    return this.users.updateMe(actor, dto).then(mapMe);
  }

  @Get('consents')
  @ApiOperation({ summary: 'My consent for each purpose' })
  consents(@CurrentActor() actor: UserActor): Promise<ConsentDto[]> {
    return this.dataRights.listConsents(actor);
  }

  @Put('consents/:purpose')
  @ApiOperation({ summary: 'Give or withdraw consent for one purpose' })
  setConsent(
    @CurrentActor() actor: UserActor,
    @Param() params: ConsentPurposeParam,
    @Body() dto: SetConsentDto,
  ): Promise<ConsentDto[]> {
    return this.dataRights.setConsent(actor, params.purpose, dto.granted);
  }

  @Get('export')
  @ApiOperation({ summary: 'Everything Hocso holds about me, as JSON (Law 91/2025/QH15)' })
  export(@CurrentActor() actor: UserActor): Promise<Record<string, unknown>> {
    return this.dataRights.export(actor);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Erase my personal data; only anonymous aggregate counts remain' })
  erase(@CurrentActor() actor: UserActor, @Body() dto: EraseMeDto): Promise<void> {
    return this.dataRights.erase(actor, dto);
  }
}
