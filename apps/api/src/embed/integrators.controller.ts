import { Body, Controller, Get, Header, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, Role } from '@hocso/common';
import { IntegratorsService, XapiExportService } from '@hocso/embed';
import { ApiKeyScope } from '@hocso/identity';
import { Authenticated, CurrentActor } from '../http/auth/auth.decorators';
import { Idempotent } from '../http/idempotency.interceptor';
import { EnterpriseAuth } from '../workforce/workforce-auth.decorator';
import {
  CreateIntegratorDto,
  IntegratorApiKeyDto,
  IntegratorIdParam,
  mapIntegrator,
  UpdateIntegratorDto,
  UsageQueryDto,
  XapiQueryDto,
} from './dto/embed.dto';

/** Integrators: the portals and LMSs that embed Hocso (admins register them). */
@ApiTags('embed')
@Controller('v1')
export class IntegratorsController {
  constructor(
    private readonly integrators: IntegratorsService,
    private readonly xapi: XapiExportService,
  ) {}

  @Post('integrators')
  @Authenticated(Role.ProvinceAdmin)
  @Idempotent({ required: false })
  @ApiOperation({ summary: 'Register an integrator: allowed origins (CORS, frame-ancestors), contact, optional LRS' })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateIntegratorDto) {
    return mapIntegrator(await this.integrators.create(actor, dto));
  }

  @Get('integrators')
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  async list(@CurrentActor() actor: Actor) {
    return (await this.integrators.list(actor)).map(mapIntegrator);
  }

  @Get('integrators/:id')
  @EnterpriseAuth(ApiKeyScope.ContentRead, Role.ProvinceAdmin, Role.OrgAdmin)
  async get(@CurrentActor() actor: Actor, @Param() p: IntegratorIdParam) {
    return mapIntegrator(await this.integrators.get(actor, p.id));
  }

  @Patch('integrators/:id')
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  async update(@CurrentActor() actor: Actor, @Param() p: IntegratorIdParam, @Body() dto: UpdateIntegratorDto) {
    return mapIntegrator(await this.integrators.update(actor, p.id, dto));
  }

  @Post('integrators/:id/api-keys')
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  @Idempotent({ required: true })
  @ApiOperation({ summary: 'An API key for the integrator (content:read, xapi:read); the secret is shown once' })
  async createApiKey(@CurrentActor() actor: Actor, @Param() p: IntegratorIdParam, @Body() dto: IntegratorApiKeyDto) {
    const { key, secret } = await this.integrators.createApiKey(actor, p.id, dto);
    return { id: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes, key: secret };
  }

  @Get('integrators/:id/usage')
  @EnterpriseAuth(ApiKeyScope.ContentRead, Role.ProvinceAdmin, Role.OrgAdmin)
  @ApiOperation({ summary: 'Daily usage counters: content API calls, embed views, oEmbed, LTI launches, xAPI reads' })
  usage(@CurrentActor() actor: Actor, @Param() p: IntegratorIdParam, @Query() q: UsageQueryDto) {
    return this.integrators.usage(actor, p.id, q.from, q.to);
  }

  @Get('xapi/statements')
  @EnterpriseAuth(ApiKeyScope.XapiRead, Role.ProvinceAdmin)
  @Header('X-Experience-API-Version', '2.0.0')
  @ApiOperation({
    summary: 'xAPI statements of the integrator’s learners (since, until, agent, verb, activity; `more` paging)',
  })
  async statements(@CurrentActor() actor: Actor, @Query() q: XapiQueryDto) {
    if (actor.kind === 'api_key') this.integrators.recordUsage(actor.orgUnitId, 'xapi_read');
    return this.xapi.statements(actor, q);
  }
}
