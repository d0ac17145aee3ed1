import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, Role } from '@hocso/common';
import { ApiKeyScope } from '@hocso/identity';
import { TrainingReportsService } from '@hocso/workforce';
import { PageQueryDto } from '../common/pagination.dto';
import { CurrentActor } from '../http/auth/auth.decorators';
import type { Locale } from '../http/locale';
import { mapReportDetail, ReportIdParam, TrainingReportDetailDto } from './dto/reports.dto';
import { RequestLocale } from './locale.decorator';
import { EnterpriseAuth } from './workforce-auth.decorator';

@ApiTags('workforce')
@Controller('v1/training-reports')
export class TrainingReportsController {
  constructor(private readonly reports: TrainingReportsService) {}

  @Get(':id')
  @EnterpriseAuth(ApiKeyScope.TrainingReportsWrite, Role.EnterpriseManager, Role.OrgAdmin, Role.ProvinceAdmin)
  @ApiOkResponse({ type: TrainingReportDetailDto })
  @ApiOperation({ summary: 'Status (received, processing, done, failed), counts and rejected rows (cursor pages)' })
  get(
    @CurrentActor() actor: Actor,
    @Param() p: ReportIdParam,
    @Query() q: PageQueryDto,
    @RequestLocale() locale: Locale,
  ): Promise<TrainingReportDetailDto> {
    return this.reports.get(actor, p.id, q).then((v) => mapReportDetail(v, locale));
  }
}
