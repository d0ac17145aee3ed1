import { Injectable } from '@nestjs/common';
import { MaintenanceService } from '@hocso/identity';
import { LearningDataService, LearningEventBus } from '@hocso/learning';
import { LtiLaunchService } from '@hocso/lti';
import { type JobOf, JobHandler, JobName, type JobResultOf } from '@hocso/queue';

@Injectable()
export class MaintenanceProcessor {
  constructor(
    private readonly maintenance: MaintenanceService,
    private readonly learningData: LearningDataService,
    private readonly learningEvents: LearningEventBus,
    private readonly lti: LtiLaunchService,
  ) {}

  /** Hourly: expired credentials and stored responses, learning logs past retention, late events. */
  @JobHandler(JobName.PurgeExpired)
  async purgeExpired(data: JobOf<JobName.PurgeExpired>): Promise<JobResultOf<JobName.PurgeExpired>> {
    const now = data.now ? new Date(data.now) : new Date();
    const identity = await this.maintenance.purgeExpired(now);
    const learning = await this.learningData.purgeExpired(now);
    const ltiStates = await this.lti.purgeExpired(now);
    const learningEventsDelivered = await this.learningEvents.deliverPending();
    return { ...identity, ...learning, ltiStates, learningEventsDelivered };
  }
}
