import { Injectable } from '@nestjs/common';
import { LtiScoresService } from '@hocso/lti';
import { type JobOf, JobHandler, JobName, type JobResultOf } from '@hocso/queue';

@Injectable()
export class LtiProcessor {
  constructor(private readonly scores: LtiScoresService) {}

  /** AGS score passback: every unsent score of the enrollment; a refusal throws, so BullMQ retries (6×). */
  @JobHandler(JobName.SendLtiScore)
  send(data: JobOf<JobName.SendLtiScore>): Promise<JobResultOf<JobName.SendLtiScore>> {
    return this.scores.send(data.enrollmentId);
  }
}
