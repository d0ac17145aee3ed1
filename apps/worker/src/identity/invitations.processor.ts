import { Injectable } from '@nestjs/common';
import { AccountInvitationsService } from '@hocso/identity';
import { type JobOf, JobHandler, JobName, type JobResultOf } from '@hocso/queue';

@Injectable()
export class InvitationsProcessor {
  constructor(private readonly invitations: AccountInvitationsService) {}

  /** Mints an invitation's one-time link and code and sends them; a transport failure is retried. */
  @JobHandler(JobName.DeliverInvitation)
  deliver(data: JobOf<JobName.DeliverInvitation>): Promise<JobResultOf<JobName.DeliverInvitation>> {
    return this.invitations.deliver(data.invitationId);
  }
}
