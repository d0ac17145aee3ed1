import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, Role } from '@hocso/common';
import { ApiKeysService } from '@hocso/identity';
import { mapPage, type PageDto } from '../common/pagination.dto';
import { ApiKeyAuth, Authenticated, CurrentActor } from '../http/auth/auth.decorators';
import { Idempotent } from '../http/idempotency.interceptor';
import {
  ApiKeyDto,
  ApiKeyIdParam,
  ApiKeySelfDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  ListApiKeysQueryDto,
  mapApiKey,
  mapApiKeySelf,
} from './dto/api-keys.dto';

@ApiTags('api-keys')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  @Idempotent({ required: true })
  @ApiOperation({ summary: 'Create an API key for an enterprise or integrator; the secret is shown once' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(actor, dto).then(({ key, secret }) => ({ ...mapApiKey(key), key: secret }));
  }

  @Get()
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  list(@CurrentActor() actor: Actor, @Query() query: ListApiKeysQueryDto): Promise<PageDto<ApiKeyDto>> {
    return this.apiKeys.list(actor, query).then((page) => mapPage(page, mapApiKey));
  }

  @Get('self')
  @ApiKeyAuth()
  @ApiOperation({ summary: 'The API key making this request: its unit and scopes' })
  self(@CurrentActor() actor: Actor): ApiKeySelfDto {
    return mapApiKeySelf(actor);
  }

  @Delete(':id')
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  @ApiOperation({ summary: 'Revoke a key; it stops working at once' })
  revoke(@CurrentActor() actor: Actor, @Param() params: ApiKeyIdParam): Promise<ApiKeyDto> {
    return this.apiKeys.revoke(actor, params.id).then(mapApiKey);
  }
}
