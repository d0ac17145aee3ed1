import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserActor } from '@hocso/common';
import { WorkersService } from '@hocso/workforce';
import { Authenticated, CurrentActor } from '../http/auth/auth.decorators';
import { AcceptInvitationDto, LinkedWorkerDto, mapLinked } from './dto/workers.dto';

@ApiTags('workforce')
@Controller('v1/worker-invitations')
export class WorkerInvitationsController {
  constructor(private readonly workers: WorkersService) {}

  @Post('accept')
  @HttpCode(200)
  @Authenticated()
  @ApiOperation({ summary: 'The signed-in worker links their account; their Hocso minutes start to count' })
  accept(@CurrentActor() actor: UserActor, @Body() dto: AcceptInvitationDto): Promise<LinkedWorkerDto> {
    return this.workers.accept(actor, dto.token).then(mapLinked);
  }
}
