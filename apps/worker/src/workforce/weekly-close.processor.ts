import { Injectable } from '@nestjs/common';
import { type JobOf, JobHandler, JobName, type JobResultOf } from '@hocso/queue';
import { KpiSnapshotsService } from '@hocso/reporting';
import { isIsoWeek, WeeklyCloseService } from '@hocso/workforce';
import { UnrecoverableError } from 'bullmq';

@Injectable()
export class WeeklyCloseProcessor {
  constructor(
    private readonly weeklyClose: WeeklyCloseService,
    private readonly kpis: KpiSnapshotsService,
  ) {}

  /**
   * Monday 00:10 Asia/Ho_Chi_Minh (job scheduler): closes the ISO week that just ended — workforce
   * compliance first, then the KPI snapshots that read it (the week, and any month, quarter or year
   * that ended in it), then the late-data check of the weeks frozen before.
   */
  @JobHandler(JobName.CloseComplianceWeek)
  async close(data: JobOf<JobName.CloseComplianceWeek>): Promise<JobResultOf<JobName.CloseComplianceWeek>> {
    if (data.isoWeek !== undefined && !isIsoWeek(data.isoWeek)) {
      throw new UnrecoverableError(`not an ISO week: ${data.isoWeek}`);
    }
    const result = await this.weeklyClose.close(data.isoWeek);
    const kpis = await this.kpis.closeWeek(result.isoWeek);
    return { ...result, kpis };
  }
}
