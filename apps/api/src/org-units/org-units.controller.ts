import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, Role } from '@hocso/common';
import { OrgUnitsService } from '@hocso/identity';
import { mapPage, type PageDto } from '../common/pagination.dto';
import { Authenticated, CurrentActor, OptionalAuth } from '../http/auth/auth.decorators';
import { Idempotent } from '../http/idempotency.interceptor';
import { CreateOrgUnitDto, ListOrgUnitsQueryDto, mapOrgUnit, OrgUnitDto, OrgUnitIdParam } from './dto/org-units.dto';

@ApiTags('org-units')
@Controller('v1/org-units')
export class OrgUnitsController {
  constructor(private readonly orgUnits: OrgUnitsService) {}

  @Get()
  @OptionalAuth()
  @ApiOperation({ summary: 'Province, communes/wards and public units; admins also see their own subtree' })
  list(@CurrentActor() actor: Actor | undefined, @Query() query: ListOrgUnitsQueryDto): Promise<PageDto<OrgUnitDto>> {
    return this.orgUnits.list(actor ?? null, query).then((page) => mapPage(page, mapOrgUnit));
  }

  @Get(':id')
  @OptionalAuth()
  get(@CurrentActor() actor: Actor | undefined, @Param() params: OrgUnitIdParam): Promise<OrgUnitDto> {
    return this.orgUnits.get(actor ?? null, params.id).then(mapOrgUnit);
  }

  @Post()
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  @Idempotent({ required: false })
  @ApiOperation({ summary: 'Create a unit (agency, school, team, industrial park, enterprise…) in your subtree' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrgUnitDto): Promise<OrgUnitDto> {
    return this.orgUnits.create(actor, dto).then(mapOrgUnit);
  }
}
