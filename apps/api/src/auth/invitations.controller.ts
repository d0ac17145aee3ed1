import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountInvitationsService } from '@hocso/identity';
import { Public } from '../http/auth/auth.decorators';
import { mapMe } from '../me/dto/me.dto';
import { AcceptedInvitationDto, AcceptInvitationDto } from './dto/invitations.dto';

@ApiTags('auth')
@Controller('v1/auth/invitations')
export class InvitationsController {
  constructor(private readonly invitations: AccountInvitationsService) {}

  @Public()
  @Post('accept')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Activate an invited account: the e-mail link token, or e-mail/phone and code, plus a password',
    description:
      'Any wrong, expired, revoked or used link or code answers 422 INVITATION_INVALID, whether or not the ' +
      'account exists. Five wrong codes revoke the invitation; attempts share the sign-in brakes.',
  })
  async accept(@Body() dto: AcceptInvitationDto, @Ip() ip: string): Promise<AcceptedInvitationDto> {
    const { user, tokens } = await this.invitations.accept(
      {
        token: dto.token,
        identifier: dto.identifier,
        code: dto.code,
        password: dto.password,
        consents: { ...dto.consents },
      },
      ip,
    );
    return { ...tokens, user: mapMe(user) };
  }
}
