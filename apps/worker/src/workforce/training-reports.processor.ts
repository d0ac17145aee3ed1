import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type JobFailureReason, type JobOf, JobHandler, JobName, type JobResultOf, OnJobFailed } from '@hocso/queue';
import { ReportIngestService, ReportRejectedError, TrainingReportsService } from '@hocso/workforce';
import { type Job, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';

/** Failure codes of a report whose job gave up for a transient reason: a re-drive may run it again. */
const REDRIVABLE = ['JOB_STALLED', 'PROCESSING_FAILED'];

@Injectable()
export class TrainingReportsProcessor {
  constructor(
    private readonly ingest: ReportIngestService,
    private readonly reports: TrainingReportsService,
    @InjectDataSource() private readonly ds: DataSource,
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
    await this.reopenIfRedriven(data.reportId);
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

  /**
   * The job failed for good without its handler marking the report: its workers died on it twice
   * (BullMQ's "stalled more than allowable limit"). Without this the report would stay
   * `processing` for ever — the sweeper leaves it alone while its (failed) job exists. Idempotent:
   * a report already done or failed is left as it is.
   */
  @OnJobFailed(JobName.ProcessTrainingReport)
  async failed(data: JobOf<JobName.ProcessTrainingReport>, job: Job, reason: JobFailureReason): Promise<void> {
    const [report] = await this.ds.query(`SELECT status FROM training_report WHERE id = $1`, [data.reportId]);
    if (!report || report.status === 'done' || report.status === 'failed') return;
    const code = reason === 'stalled' ? 'JOB_STALLED' : 'PROCESSING_FAILED';
    await this.ingest.fail(data.reportId, code, job.failedReason ?? reason);
  }

  /**
   * A job runs again for a report that failed for a transient reason only when an operator
   * re-drove it (`queue:retry-failed`): the last attempt marked the report failed, and the job has
   * no retry of its own left. Open the report again so ingest processes it; its upserts keep rows
   * that were stored before once. Bad-input failures (REPORT_SYNTAX…) stay failed.
   */
  private async reopenIfRedriven(reportId: string) {
    await this.ds.query(
      `UPDATE training_report SET status = 'received', failure_code = NULL, failure_detail = NULL,
         finished_at = NULL, updated_at = now()
       WHERE id = $1 AND status = 'failed' AND failure_code = ANY($2)`,
      [reportId, REDRIVABLE],
    );
  }

  @JobHandler(JobName.SweepTrainingReports)
  sweep(data: JobOf<JobName.SweepTrainingReports>): Promise<JobResultOf<JobName.SweepTrainingReports>> {
    return this.reports.sweep(data.olderThanSeconds ?? 30);
  }
}
