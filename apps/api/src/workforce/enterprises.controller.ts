import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, Role } from '@hocso/common';
import { ApiKeyScope } from '@hocso/identity';
import {
  ComplianceService,
  EnterprisesService,
  type ReportSubmission,
  TrainingReportsService,
  WorkersService,
} from '@hocso/workforce';
import { mapPage, PageQueryDto, type PageDto } from '../common/pagination.dto';
import { Authenticated, CurrentActor } from '../http/auth/auth.decorators';
import { Idempotent } from '../http/idempotency.interceptor';
import {
  EnterpriseComplianceDto,
  EnterpriseTrendPointDto,
  EnterpriseWeekQueryDto,
  mapEnterpriseCompliance,
  mapEnterpriseComplianceCsv,
  mapEnterpriseTrend,
  mapEnterpriseTrendCsv,
  WeekQueryDto,
  WeekRangeQueryDto,
} from './dto/compliance.dto';
import {
  CreatedEnterpriseApiKeyDto,
  CreateEnterpriseApiKeyDto,
  CreateEnterpriseDto,
  EnterpriseDto,
  EnterpriseIdParam,
  mapCreatedKey,
  mapEnterprise,
  SetWebhookDto,
  WebhookDto,
} from './dto/organisations.dto';
import { mapReport, SubmitTrainingReportDto, TrainingReportDto } from './dto/reports.dto';
import {
  InvitationDto,
  ListWorkersQueryDto,
  mapInvitation,
  mapWorker,
  UpsertWorkersDto,
  UpsertWorkersResultDto,
  WorkerCodeParams,
  type WorkerDto,
} from './dto/workers.dto';
import { ReportBody } from './report-body.decorator';
import { EnterpriseAuth } from './workforce-auth.decorator';
import { LARGE_JSON_ROUTE, REPORT_UPLOAD_ROUTE } from './workforce-http';

const MANAGERS = [Role.EnterpriseManager, Role.OrgAdmin, Role.ProvinceAdmin] as const;
const CSV = 'text/csv; charset=utf-8';

@ApiTags('workforce')
@Controller('v1/enterprises')
export class EnterprisesController {
  constructor(
    private readonly enterprises: EnterprisesService,
    private readonly workers: WorkersService,
    private readonly reports: TrainingReportsService,
    private readonly compliance: ComplianceService,
  ) {}

  @Post()
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  @Idempotent({ required: false })
  @ApiOperation({ summary: 'Register an enterprise in an industrial park (province admins, the park’s org admins)' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateEnterpriseDto): Promise<EnterpriseDto> {
    return this.enterprises.createEnterprise(actor, dto).then(mapEnterprise);
  }

  @Get(':id')
  @EnterpriseAuth(ApiKeyScope.ComplianceRead, ...MANAGERS)
  get(@CurrentActor() actor: Actor, @Param() p: EnterpriseIdParam): Promise<EnterpriseDto> {
    return this.enterprises.get(actor, p.id).then(mapEnterprise);
  }

  @Post(':id/api-keys')
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  @Idempotent({ required: true })
  @ApiOperation({ summary: 'An API key for the enterprise’s own systems; the secret is shown once' })
  createApiKey(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseIdParam,
    @Body() dto: CreateEnterpriseApiKeyDto,
  ): Promise<CreatedEnterpriseApiKeyDto> {
    return this.enterprises.createApiKey(actor, p.id, dto).then(mapCreatedKey);
  }

  @Put(':id/webhook')
  @EnterpriseAuth(ApiKeyScope.TrainingReportsWrite, ...MANAGERS)
  @ApiOperation({ summary: 'Register the webhook (report processed, compliance reminder); a new secret is shown once' })
  setWebhook(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseIdParam,
    @Body() dto: SetWebhookDto,
  ): Promise<WebhookDto> {
    return this.enterprises.setWebhook(actor, p.id, dto.url);
  }

  @Delete(':id/webhook')
  @HttpCode(204)
  @EnterpriseAuth(ApiKeyScope.TrainingReportsWrite, ...MANAGERS)
  removeWebhook(@CurrentActor() actor: Actor, @Param() p: EnterpriseIdParam): Promise<void> {
    return this.enterprises.removeWebhook(actor, p.id);
  }

  @Put(':id/workers')
  @RouteConfig(LARGE_JSON_ROUTE)
  @EnterpriseAuth(ApiKeyScope.WorkersWrite, ...MANAGERS)
  @Idempotent({ required: false })
  @ApiOperation({ summary: 'Bulk upsert of the roster by workerCode (up to 50,000 per request)' })
  upsertWorkers(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseIdParam,
    @Body() dto: UpsertWorkersDto,
  ): Promise<UpsertWorkersResultDto> {
    return this.workers.upsert(actor, p.id, dto.workers);
  }

  @Get(':id/workers')
  @EnterpriseAuth(ApiKeyScope.WorkersWrite, ...MANAGERS)
  listWorkers(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseIdParam,
    @Query() q: ListWorkersQueryDto,
  ): Promise<PageDto<WorkerDto>> {
    return this.workers.list(actor, p.id, q).then((page) => mapPage(page, mapWorker));
  }

  @Post(':id/workers/:workerCode/invitations')
  @EnterpriseAuth(ApiKeyScope.WorkersWrite, ...MANAGERS)
  @ApiOperation({ summary: 'A one-time token the worker uses to link their own Hocso account' })
  invite(@CurrentActor() actor: Actor, @Param() p: WorkerCodeParams): Promise<InvitationDto> {
    return this.workers.invite(actor, p.id, p.workerCode).then(mapInvitation);
  }

  @Post(':id/training-reports')
  @HttpCode(202)
  @RouteConfig(REPORT_UPLOAD_ROUTE)
  @EnterpriseAuth(ApiKeyScope.TrainingReportsWrite, ...MANAGERS)
  @Idempotent({ required: true })
  @ApiConsumes('application/json', 'text/csv', 'multipart/form-data')
  @ApiBody({ type: SubmitTrainingReportDto, description: 'JSON, or a CSV body / upload (field "file")' })
  @ApiAcceptedResponse({ type: TrainingReportDto })
  @ApiOperation({ summary: 'Submit a week’s training (≤ 100,000 rows, ≤ 20 MB); processed asynchronously' })
  submitReport(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseIdParam,
    @ReportBody() report: ReportSubmission,
  ): Promise<TrainingReportDto> {
    return this.reports.submit(actor, p.id, report).then(mapReport);
  }

  @Get(':id/training-reports')
  @EnterpriseAuth(ApiKeyScope.TrainingReportsWrite, ...MANAGERS)
  listReports(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseIdParam,
    @Query() q: PageQueryDto,
  ): Promise<PageDto<TrainingReportDto>> {
    return this.reports.list(actor, p.id, q).then((page) => mapPage(page, mapReport));
  }

  @Get(':id/compliance')
  @EnterpriseAuth(ApiKeyScope.ComplianceRead, ...MANAGERS)
  @ApiOkResponse({ type: EnterpriseComplianceDto })
  @ApiOperation({ summary: 'Coverage, compliance and the workers short of 60 minutes in an ISO week' })
  weekCompliance(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseIdParam,
    @Query() q: EnterpriseWeekQueryDto,
  ): Promise<EnterpriseComplianceDto> {
    return this.compliance.enterpriseWeek(actor, p.id, q).then(mapEnterpriseCompliance);
  }

  @Get(':id/compliance.csv')
  @Header('Content-Type', CSV)
  @Header('Content-Disposition', 'attachment; filename="compliance.csv"')
  @EnterpriseAuth(ApiKeyScope.ComplianceRead, ...MANAGERS)
  @ApiOperation({ summary: 'CSV: every active worker of the week with minutes' })
  weekComplianceCsv(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseIdParam,
    @Query() q: WeekQueryDto,
  ): Promise<string> {
    return this.compliance.allWorkers(actor, p.id, q.week).then(mapEnterpriseComplianceCsv);
  }

  @Get(':id/compliance/trend')
  @EnterpriseAuth(ApiKeyScope.ComplianceRead, ...MANAGERS)
  @ApiOkResponse({ type: [EnterpriseTrendPointDto] })
  trend(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseIdParam,
    @Query() q: WeekRangeQueryDto,
  ): Promise<EnterpriseTrendPointDto[]> {
    return this.compliance.enterpriseTrend(actor, p.id, q.from, q.to).then(mapEnterpriseTrend);
  }

  @Get(':id/compliance/trend.csv')
  @Header('Content-Type', CSV)
  @Header('Content-Disposition', 'attachment; filename="compliance-trend.csv"')
  @EnterpriseAuth(ApiKeyScope.ComplianceRead, ...MANAGERS)
  trendCsv(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseIdParam,
    @Query() q: WeekRangeQueryDto,
  ): Promise<string> {
    return this.compliance.enterpriseTrend(actor, p.id, q.from, q.to).then(mapEnterpriseTrendCsv);
  }
}
