import { Injectable } from '@nestjs/common';
import { type JobOf, JobHandler, JobName, type JobResultOf } from '@hocso/queue';
import { isIsoWeek, WeeklyCloseService } from '@hocso/workforce';
import { UnrecoverableError } from 'bullmq';

@Injectable()
export class WeeklyCloseProcessor {
  constructor(private readonly weeklyClose: WeeklyCloseService) {}

  /** Monday 00:10 Asia/Ho_Chi_Minh (job scheduler): closes the ISO week that just ended. */
  @JobHandler(JobName.CloseComplianceWeek)
  close(data: JobOf<JobName.CloseComplianceWeek>): Promise<JobResultOf<JobName.CloseComplianceWeek>> {
    if (data.isoWeek !== undefined && !isIsoWeek(data.isoWeek)) {
      throw new UnrecoverableError(`not an ISO week: ${data.isoWeek}`);
    }
    return this.weeklyClose.close(data.isoWeek);
  }
}
