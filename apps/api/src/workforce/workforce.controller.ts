import { Body, Controller, Get, Header, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, Role } from '@hocso/common';
import { ComplianceService, WorkforceSettingsService } from '@hocso/workforce';
import { Authenticated, CurrentActor } from '../http/auth/auth.decorators';
import {
  mapProvinceCompliance,
  mapProvinceComplianceCsv,
  mapSettings,
  mapShareTrend,
  mapShareTrendCsv,
  ProvinceComplianceDto,
  ShareSummaryDto,
  UpdateWorkforceSettingsDto,
  WeekQueryDto,
  WeekRangeQueryDto,
  WorkforceSettingsDto,
} from './dto/compliance.dto';

const CSV = 'text/csv; charset=utf-8';

@ApiTags('workforce')
@Controller('v1/workforce')
export class WorkforceController {
  constructor(
    private readonly compliance: ComplianceService,
    private readonly settings: WorkforceSettingsService,
  ) {}

  @Get('settings')
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  getSettings(): Promise<WorkforceSettingsDto> {
    return this.settings.get().then(mapSettings);
  }

  @Put('settings')
  @Authenticated(Role.ProvinceAdmin)
  @ApiOperation({ summary: 'θ, compliance rule, daily cap, reporting window, reminders (recomputes open weeks)' })
  updateSettings(@CurrentActor() actor: Actor, @Body() dto: UpdateWorkforceSettingsDto): Promise<WorkforceSettingsDto> {
    return this.compliance.updateSettings(actor, dto).then(mapSettings);
  }

  @Get('compliance')
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  @ApiOkResponse({ type: ProvinceComplianceDto })
  @ApiOperation({ summary: 'Share of operating enterprises compliant, per park and in total (your scope)' })
  week(@CurrentActor() actor: Actor, @Query() q: WeekQueryDto): Promise<ProvinceComplianceDto> {
    return this.compliance.provinceWeek(actor, q.week).then(mapProvinceCompliance);
  }

  @Get('compliance.csv')
  @Header('Content-Type', CSV)
  @Header('Content-Disposition', 'attachment; filename="province-compliance.csv"')
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  weekCsv(@CurrentActor() actor: Actor, @Query() q: WeekQueryDto): Promise<string> {
    return this.compliance.provinceWeek(actor, q.week).then(mapProvinceComplianceCsv);
  }

  @Get('compliance/trend')
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  @ApiOkResponse({ type: [ShareSummaryDto] })
  trend(@CurrentActor() actor: Actor, @Query() q: WeekRangeQueryDto): Promise<ShareSummaryDto[]> {
    return this.compliance.provinceTrend(actor, q.from, q.to).then(mapShareTrend);
  }

  @Get('compliance/trend.csv')
  @Header('Content-Type', CSV)
  @Header('Content-Disposition', 'attachment; filename="province-compliance-trend.csv"')
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  trendCsv(@CurrentActor() actor: Actor, @Query() q: WeekRangeQueryDto): Promise<string> {
    return this.compliance.provinceTrend(actor, q.from, q.to).then(mapShareTrendCsv);
  }
}
