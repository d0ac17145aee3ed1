import { Injectable } from '@nestjs/common';
import { type JobOf, JobHandler, JobName, type JobResultOf } from '@hocso/queue';
import { ReportIngestService, ReportRejectedError, TrainingReportsService } from '@hocso/workforce';
import { type Job, UnrecoverableError } from 'bullmq';

@Injectable()
export class TrainingReportsProcessor {
  constructor(
    private readonly ingest: ReportIngestService,
    private readonly reports: TrainingReportsService,
  ) {}

  /**
   * Bad input (unknown report, unreadable CSV) fails at once; anything else is retried with
   * exponential backoff, and the report is marked failed when the last attempt gives up.
   */
  @JobHandler(JobName.ProcessTrainingReport)
  async process(
    data: JobOf<JobName.ProcessTrainingReport>,
    job: Job,
  ): Promise<JobResultOf<JobName.ProcessTrainingReport>> {
    try {
      return await this.ingest.process(data.reportId);
    } catch (err) {
      if (err instanceof ReportRejectedError) throw new UnrecoverableError(`${err.code}: ${err.message}`);
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await this.ingest.fail(data.reportId, 'PROCESSING_FAILED', (err as Error).message).catch(() => undefined);
      }
      throw new Error(`training report ${data.reportId}: ${(err as Error).message}`);
    }
  }

  @JobHandler(JobName.SweepTrainingReports)
  sweep(data: JobOf<JobName.SweepTrainingReports>): Promise<JobResultOf<JobName.SweepTrainingReports>> {
    return this.reports.sweep(data.olderThanSeconds ?? 30);
  }
}
