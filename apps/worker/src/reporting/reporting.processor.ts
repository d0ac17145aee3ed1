import { Injectable } from '@nestjs/common';
import { type JobOf, JobHandler, JobName, type JobResultOf } from '@hocso/queue';
import { KpiSnapshotsService, parsePeriod } from '@hocso/reporting';
import { UnrecoverableError } from 'bullmq';

@Injectable()
export class ReportingProcessor {
  constructor(private readonly snapshots: KpiSnapshotsService) {}

  /** Recompute an open period, look for late data in a frozen one, or re-freeze it (with a reason). */
  @JobHandler(JobName.RefreshKpiSnapshot)
  async refresh(data: JobOf<JobName.RefreshKpiSnapshot>): Promise<JobResultOf<JobName.RefreshKpiSnapshot>> {
    if (!parsePeriod(data.period)) throw new UnrecoverableError(`not a period: ${data.period}`);
    const { period, lateRows } = await this.snapshots.refresh(data.period, { refreeze: data.refreeze });
    return { period: period.period, status: period.status, rows: period.rowCount, lateRows };
  }
}
