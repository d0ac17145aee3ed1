import { Injectable } from '@nestjs/common';
import { type JobOf, JobHandler, JobName, type JobResultOf } from '@hocso/queue';
import { ComplianceService, isIsoWeek } from '@hocso/workforce';
import { UnrecoverableError } from 'bullmq';

@Injectable()
export class ComplianceProcessor {
  constructor(private readonly compliance: ComplianceService) {}

  @JobHandler(JobName.RecomputeCompliance)
  recompute(data: JobOf<JobName.RecomputeCompliance>): Promise<JobResultOf<JobName.RecomputeCompliance>> {
    if (!isIsoWeek(data.isoWeek)) throw new UnrecoverableError(`not an ISO week: ${data.isoWeek}`);
    return this.compliance.recomputeEnterpriseWeek(data.enterpriseId, data.isoWeek, data.seq);
  }

  @JobHandler(JobName.WorkerMinutesChanged)
  minutesChanged(data: JobOf<JobName.WorkerMinutesChanged>): Promise<JobResultOf<JobName.WorkerMinutesChanged>> {
    return this.compliance.recomputeForUser(data.userId, data.localDates);
  }

  @JobHandler(JobName.SweepCompliance)
  sweep(): Promise<JobResultOf<JobName.SweepCompliance>> {
    return this.compliance.sweep();
  }
}
