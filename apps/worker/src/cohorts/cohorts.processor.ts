import { Injectable } from '@nestjs/common';
import { CohortFinishService } from '@hocso/cohorts';
import { type JobOf, JobHandler, JobName, type JobResultOf } from '@hocso/queue';
import { UnrecoverableError } from 'bullmq';

@Injectable()
export class CohortsProcessor {
  constructor(private readonly finish: CohortFinishService) {}

  /** Daily 00:20 Asia/Ho_Chi_Minh: planned cohorts whose start date came run; past end dates finish. */
  @JobHandler(JobName.AdvanceCohorts)
  advance(data: JobOf<JobName.AdvanceCohorts>): Promise<JobResultOf<JobName.AdvanceCohorts>> {
    if (data.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(data.today)) {
      throw new UnrecoverableError(`not a date: ${data.today}`);
    }
    return this.finish.advance(data.today);
  }
}
