import { Body, Controller, Get, Header, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, Role } from '@hocso/common';
import { ApiKeyScope } from '@hocso/identity';
import { ComplianceService, EnterprisesService } from '@hocso/workforce';
import { Authenticated, CurrentActor } from '../http/auth/auth.decorators';
import { Idempotent } from '../http/idempotency.interceptor';
import {
  mapParkCompliance,
  mapParkComplianceCsv,
  mapShareTrend,
  mapShareTrendCsv,
  ParkComplianceDto,
  ShareSummaryDto,
  WeekQueryDto,
  WeekRangeQueryDto,
} from './dto/compliance.dto';
import { CreateIndustrialParkDto, EnterpriseIdParam, IndustrialParkDto, mapPark } from './dto/organisations.dto';
import { EnterpriseAuth } from './workforce-auth.decorator';

const PARK_READERS = [Role.OrgAdmin, Role.ProvinceAdmin] as const;
const CSV = 'text/csv; charset=utf-8';

@ApiTags('workforce')
@Controller('v1/industrial-parks')
export class IndustrialParksController {
  constructor(
    private readonly enterprises: EnterprisesService,
    private readonly compliance: ComplianceService,
  ) {}

  @Post()
  @Authenticated(Role.ProvinceAdmin)
  @Idempotent({ required: false })
  @ApiOperation({ summary: 'Register an industrial park (province admins)' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateIndustrialParkDto): Promise<IndustrialParkDto> {
    return this.enterprises.createPark(actor, dto).then(mapPark);
  }

  @Get(':id/compliance')
  @EnterpriseAuth(ApiKeyScope.ComplianceRead, ...PARK_READERS)
  @ApiOkResponse({ type: ParkComplianceDto })
  @ApiOperation({ summary: 'Enterprises of the park in an ISO week: coverage, status, share compliant' })
  week(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseIdParam,
    @Query() q: WeekQueryDto,
  ): Promise<ParkComplianceDto> {
    return this.compliance.parkWeek(actor, p.id, q.week).then(mapParkCompliance);
  }

  @Get(':id/compliance.csv')
  @Header('Content-Type', CSV)
  @Header('Content-Disposition', 'attachment; filename="park-compliance.csv"')
  @EnterpriseAuth(ApiKeyScope.ComplianceRead, ...PARK_READERS)
  weekCsv(@CurrentActor() actor: Actor, @Param() p: EnterpriseIdParam, @Query() q: WeekQueryDto): Promise<string> {
    return this.compliance.parkWeek(actor, p.id, q.week).then(mapParkComplianceCsv);
  }

  @Get(':id/compliance/trend')
  @EnterpriseAuth(ApiKeyScope.ComplianceRead, ...PARK_READERS)
  @ApiOkResponse({ type: [ShareSummaryDto] })
  trend(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseIdParam,
    @Query() q: WeekRangeQueryDto,
  ): Promise<ShareSummaryDto[]> {
    return this.compliance.parkTrend(actor, p.id, q.from, q.to).then(mapShareTrend);
  }

  @Get(':id/compliance/trend.csv')
  @Header('Content-Type', CSV)
  @Header('Content-Disposition', 'attachment; filename="park-compliance-trend.csv"')
  @EnterpriseAuth(ApiKeyScope.ComplianceRead, ...PARK_READERS)
  trendCsv(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseIdParam,
    @Query() q: WeekRangeQueryDto,
  ): Promise<string> {
    return this.compliance.parkTrend(actor, p.id, q.from, q.to).then(mapShareTrendCsv);
  }
}
