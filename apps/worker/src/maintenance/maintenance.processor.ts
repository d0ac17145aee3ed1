import { Injectable } from '@nestjs/common';
import { MaintenanceService } from '@hocso/identity';
import { type JobOf, JobHandler, JobName, type JobResultOf } from '@hocso/queue';

@Injectable()
export class MaintenanceProcessor {
  constructor(private readonly maintenance: MaintenanceService) {}

  @JobHandler(JobName.PurgeExpired)
  purgeExpired(data: JobOf<JobName.PurgeExpired>): Promise<JobResultOf<JobName.PurgeExpired>> {
    return this.maintenance.purgeExpired(data.now ? new Date(data.now) : new Date());
  }
}
