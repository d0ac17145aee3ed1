import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Actor, Role } from '@hocso/common';
import { addJobWithin, JobName, QueueService } from '@hocso/queue';
import {
  DenominatorsService,
  KpiDefinitionsService,
  KpiQueryService,
  KpiSnapshotsService,
  parsePeriod,
  ReportingException,
  ReportingExceptionCode,
} from '@hocso/reporting';
import { toCsv } from '@hocso/workforce';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentActor } from '../http/auth/auth.decorators';
import { Idempotent } from '../http/idempotency.interceptor';
import type { Locale } from '../http/locale';
import { RequestLocale } from '../workforce/locale.decorator';
import type { WorkforceRouteConfig } from '../workforce/workforce-http';
import {
  KpiBreakdownQueryDto,
  KpiCodeParam,
  KpiExportQueryDto,
  KpiOverviewQueryDto,
  KpiSeriesQueryDto,
  PeriodParam,
  PopulationStatsQueryDto,
  SnapshotRequestDto,
  UnitIdParam,
  UpdateKpiDefinitionDto,
  UploadQueryDto,
} from './dto/kpis.dto';
import { type Upload, UploadBody } from './upload-body.decorator';

const ADMINS = [Role.ProvinceAdmin, Role.OrgAdmin] as const;
/** Denominator uploads: JSON, text/csv or a multipart CSV, ≤ 5 MB. */
const DENOMINATOR_UPLOAD_ROUTE: WorkforceRouteConfig = { hocsoBodyLimit: 5 * 1024 * 1024, hocsoCsv: true };
const UPLOAD_DESCRIPTION = 'JSON `{ rows: [...] }`, or a CSV body / multipart upload (field "file")';

@ApiTags('kpis')
@Authenticated(...ADMINS)
@Controller('v1/kpis')
export class KpisController {
  constructor(
    private readonly kpis: KpiQueryService,
    private readonly definitions: KpiDefinitionsService,
    private readonly snapshots: KpiSnapshotsService,
    private readonly queues: QueueService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Each KPI at a unit for a period: value, numerator, denominator, target, trend, forecast (scoped)',
  })
  overview(@CurrentActor() actor: Actor, @Query() q: KpiOverviewQueryDto, @RequestLocale() locale: Locale) {
    return this.kpis.overview(actor, q, locale);
  }

  @Get('export.csv')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The overview (or, with `by`, breakdowns) as CSV: UTF-8 with BOM, CRLF, dd/MM/yyyy' })
  async export(
    @CurrentActor() actor: Actor,
    @Query() q: KpiExportQueryDto,
    @RequestLocale() locale: Locale,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { header, rows } = await this.kpis.exportRows(actor, q, locale);
    const period = q.period ?? rows[0]?.[2] ?? 'kpis';
    reply.header('Content-Type', 'text/csv; charset=utf-8');
    reply.header('Content-Disposition', `attachment; filename="hocso-kpis-${period}${q.by ? `-${q.by}` : ''}.csv"`);
    reply.header('Vary', 'Accept-Language');
    return toCsv(header, rows, q.delimiter === 'semicolon' ? ';' : ',');
  }

  @Get('definitions')
  @ApiOperation({ summary: 'KPI definitions: labels, formula, unit, target value and date, owner, parameters' })
  listDefinitions(@CurrentActor() actor: Actor) {
    return this.definitions.list(actor);
  }

  @Patch('definitions/:code')
  @Authenticated(Role.ProvinceAdmin)
  @Idempotent({ required: false })
  @ApiOperation({ summary: 'Change a target or parameter (province admins); audited with the reason' })
  updateDefinition(@CurrentActor() actor: Actor, @Param() p: KpiCodeParam, @Body() dto: UpdateKpiDefinitionDto) {
    return this.definitions.update(actor, p.code, dto);
  }

  @Get('definitions/:code/audit')
  @ApiOperation({ summary: 'Who changed this KPI’s target or parameters, when, why, before and after' })
  audit(@CurrentActor() actor: Actor, @Param() p: KpiCodeParam) {
    return this.definitions.audit(actor, p.code);
  }

  @Post('snapshots')
  @HttpCode(202)
  @Authenticated(Role.ProvinceAdmin)
  @ApiAcceptedResponse({
    description: 'Queued: recompute an open period, check a frozen one for late data, or re-freeze',
  })
  @ApiOperation({ summary: 'Refresh a period’s KPI snapshot (province admins)' })
  async requestSnapshot(@CurrentActor() actor: Actor, @Body() dto: SnapshotRequestDto) {
    const period = parsePeriod(dto.period);
    if (!period) throw new ReportingException(ReportingExceptionCode.PERIOD_INVALID, { field: 'period' });
    const jobId = `kpi-refresh@${period.key}@${Date.now()}`;
    const queued = await addJobWithin(
      this.queues,
      JobName.RefreshKpiSnapshot,
      {
        period: period.key,
        ...(dto.refreeze && actor.kind === 'user' ? { refreeze: { by: actor.userId, reason: dto.reason ?? '' } } : {}),
      },
      { jobId },
    );
    // Nothing was written: the caller may simply retry (503 + Retry-After, never a lost 202).
    if (!queued) throw new ReportingException(ReportingExceptionCode.QUEUE_UNAVAILABLE, { retryAfterSeconds: 5 });
    return { period: period.key, jobId, status: 'queued' };
  }

  @Get('snapshots/:period')
  @ApiOperation({ summary: 'A period’s snapshot: provisional or frozen, when computed, how long it took, audit' })
  async snapshot(@Param() p: PeriodParam) {
    const period = parsePeriod(p.period);
    if (!period) throw new ReportingException(ReportingExceptionCode.PERIOD_INVALID, { field: 'period' });
    const row = await this.snapshots.find(period.key);
    if (!row) throw new ReportingException(ReportingExceptionCode.SNAPSHOT_NOT_FOUND, { field: 'period' });
    const { definitions: _definitions, ...rest } = row;
    return rest;
  }

  @Get(':code/breakdown')
  @ApiOperation({ summary: 'A KPI by commune, agency, park or enterprise — or by level, source, position, segment' })
  breakdown(
    @CurrentActor() actor: Actor,
    @Param() p: KpiCodeParam,
    @Query() q: KpiBreakdownQueryDto,
    @RequestLocale() locale: Locale,
  ) {
    return this.kpis.breakdown(actor, p.code, q, locale);
  }

  @Get(':code/series')
  @ApiOperation({ summary: 'A KPI week by week at a unit (weeks never computed are gaps)' })
  series(
    @CurrentActor() actor: Actor,
    @Param() p: KpiCodeParam,
    @Query() q: KpiSeriesQueryDto,
    @RequestLocale() locale: Locale,
  ) {
    return this.kpis.series(actor, p.code, q, locale);
  }
}

@ApiTags('kpis')
@Authenticated(...ADMINS)
@Controller('v1/population-stats')
export class PopulationStatsController {
  constructor(private readonly denominators: DenominatorsService) {}

  @Put()
  @RouteConfig(DENOMINATOR_UPLOAD_ROUTE)
  @Idempotent({ required: false })
  @ApiConsumes('application/json', 'text/csv', 'multipart/form-data')
  @ApiBody({
    description: `${UPLOAD_DESCRIPTION}; per row: orgUnitCode, period (year), population?, workingAge?, aiTargetAge?, source, sourceDate`,
  })
  @ApiOperation({ summary: 'Import population statistics (KPI denominators) per unit and year; all rows or none' })
  put(@CurrentActor() actor: Actor, @UploadBody() upload: Upload, @RequestLocale() locale: Locale) {
    return this.denominators.putPopulationStats(actor, upload.contentType, upload.body, locale);
  }

  @Get()
  @ApiOperation({ summary: 'Population statistics of your units, with source and date' })
  list(@CurrentActor() actor: Actor, @Query() q: PopulationStatsQueryDto) {
    return this.denominators.listPopulationStats(actor, q);
  }
}

@ApiTags('kpis')
@Authenticated(...ADMINS)
@Controller('v1/org-units')
export class OfficialRostersController {
  constructor(private readonly denominators: DenominatorsService) {}

  @Put(':id/officials')
  @RouteConfig(DENOMINATOR_UPLOAD_ROUTE)
  @Idempotent({ required: false })
  @ApiConsumes('application/json', 'text/csv', 'multipart/form-data')
  @ApiBody({ description: `${UPLOAD_DESCRIPTION}; per row: fullName?, email and/or phone, position (chức vụ)` })
  @ApiOperation({ summary: 'Replace an agency’s roster of officials as of a date (history kept); all rows or none' })
  put(
    @CurrentActor() actor: Actor,
    @Param() p: UnitIdParam,
    @Query() q: UploadQueryDto,
    @UploadBody() upload: Upload,
    @RequestLocale() locale: Locale,
  ) {
    return this.denominators.putOfficials(actor, p.id, upload.contentType, upload.body, q.asOf, locale);
  }

  @Get(':id/officials')
  @ApiOperation({ summary: 'The agency’s current roster of officials, with whether each has a Hocso account' })
  list(@CurrentActor() actor: Actor, @Param() p: UnitIdParam) {
    return this.denominators.listOfficials(actor, p.id);
  }
}

@ApiTags('kpis')
@Authenticated(...ADMINS)
@Controller('v1/industrial-parks')
export class ParkEnterpriseListsController {
  constructor(private readonly denominators: DenominatorsService) {}

  @Put(':id/operating-enterprises')
  @RouteConfig(DENOMINATOR_UPLOAD_ROUTE)
  @Idempotent({ required: false })
  @ApiConsumes('application/json', 'text/csv', 'multipart/form-data')
  @ApiBody({ description: `${UPLOAD_DESCRIPTION}; per row: taxCode, name, operatingFrom?, operatingTo?` })
  @ApiOperation({
    summary: 'Replace the park’s list of operating enterprises (the ENTERPRISE_WEEKLY_HOUR denominator) as of a date',
  })
  put(
    @CurrentActor() actor: Actor,
    @Param() p: UnitIdParam,
    @Query() q: UploadQueryDto,
    @UploadBody() upload: Upload,
    @RequestLocale() locale: Locale,
  ) {
    return this.denominators.putParkEnterprises(actor, p.id, upload.contentType, upload.body, q.asOf, locale);
  }

  @Get(':id/operating-enterprises')
  @ApiOperation({ summary: 'The park’s list of operating enterprises, registered on Hocso or not' })
  list(@CurrentActor() actor: Actor, @Param() p: UnitIdParam) {
    return this.denominators.listParkEnterprises(actor, p.id);
  }
}
