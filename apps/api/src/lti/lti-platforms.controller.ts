import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, Role } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { LtiPlatformsService } from '@hocso/lti';
import { Authenticated, CurrentActor } from '../http/auth/auth.decorators';
import { Idempotent } from '../http/idempotency.interceptor';
import { type LtiPlatformDto, mapPlatform, RegisterLtiPlatformDto } from './dto/lti.dto';

/** LTI 1.3 platform registration (province admins). */
@ApiTags('lti')
@Controller('v1/lti/platforms')
export class LtiPlatformsController {
  constructor(
    private readonly platforms: LtiPlatformsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Authenticated(Role.ProvinceAdmin)
  @Idempotent({ required: false })
  @ApiOperation({
    summary: 'Register an LMS as an LTI 1.3 platform (unique issuer + client_id; https URLs in production)',
  })
  async register(@CurrentActor() actor: Actor, @Body() dto: RegisterLtiPlatformDto): Promise<LtiPlatformDto> {
    return mapPlatform(await this.platforms.register(actor, dto), this.config.http.publicUrl);
  }

  @Get()
  @Authenticated(Role.ProvinceAdmin)
  @ApiOperation({ summary: 'Registered LTI platforms, with the tool endpoints to enter in each' })
  async list(@CurrentActor() actor: Actor): Promise<LtiPlatformDto[]> {
    return (await this.platforms.list(actor)).map((p) => mapPlatform(p, this.config.http.publicUrl));
  }
}
