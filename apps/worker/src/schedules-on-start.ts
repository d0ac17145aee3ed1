import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { JobName, QueueName, QueueService } from '@hocso/queue';

/**
 * Repeating jobs, upserted at every worker start (idempotent by scheduler id). Cron patterns in
 * Asia/Ho_Chi_Minh: they never fire at start-up, only at their minute.
 */
export const SCHEDULES = [
  { id: 'purge-expired-hourly', queue: QueueName.Maintenance, job: JobName.PurgeExpired, pattern: '7 * * * *' },
  // Workforce (issue 5): the outbox sweepers every minute; the weekly close Monday 00:10.
  {
    id: 'training-reports-sweep',
    queue: QueueName.TrainingReports,
    job: JobName.SweepTrainingReports,
    pattern: '* * * * *',
  },
  { id: 'compliance-sweep', queue: QueueName.Compliance, job: JobName.SweepCompliance, pattern: '* * * * *' },
  { id: 'weekly-close', queue: QueueName.WeeklyClose, job: JobName.CloseComplianceWeek, pattern: '10 0 * * 1' },
  // Cohorts (issue 6): start and finish cohorts by their dates, daily 00:20.
  { id: 'advance-cohorts', queue: QueueName.Maintenance, job: JobName.AdvanceCohorts, pattern: '20 0 * * *' },
  // Embedding (issue 8): integrators' xAPI statements to their LRS, every minute.
  {
    id: 'forward-xapi',
    queue: QueueName.Maintenance,
    job: JobName.ForwardXapiStatements,
    pattern: '* * * * *',
  },
] as const;
export const SCHEDULE_TZ = 'Asia/Ho_Chi_Minh';

/** How often a worker checks that the schedules still exist in Redis (a restart without persistence, a flush, a failover lose them). */
export const SCHEDULE_CHECK_MS = 15_000;

@Injectable()
export class SchedulesOnStart implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Schedules');
  private timer?: NodeJS.Timeout;
  private checking = false;
  private stopListening?: () => void;

  constructor(private readonly queues: QueueService) {}

  /**
   * At module init — after the queues are ready, before the job runner starts consuming (application
   * bootstrap): start-up stays sequential, which the embedded PGlite's one shared session needs.
   */
  async onModuleInit() {
    await this.upsertAll();
    this.logger.log(SCHEDULES.map((s) => s.id).join(', '));
    if (this.queues.backendKind !== 'redis') return;
    // Redis that comes back empty (no persistence, a flush, a promoted replica without the data) has
    // lost every schedule, and with them the outbox sweepers that re-add lost jobs: nothing would run
    // again until a worker restarts. Check on every reconnect and every SCHEDULE_CHECK_MS.
    this.timer = setInterval(() => void this.restoreIfLost(), SCHEDULE_CHECK_MS);
    this.timer.unref();
    this.stopListening = this.queues.onReconnect(() => void this.restoreIfLost());
  }

  onModuleDestroy() {
    clearInterval(this.timer);
    this.stopListening?.();
  }

  /** Re-creates the schedules when Redis lost them and runs the sweepers once at once (returns whether it did). */
  async restoreIfLost(): Promise<boolean> {
    if (this.checking) return false;
    this.checking = true;
    try {
      const probe = SCHEDULES.find((s) => s.id === 'training-reports-sweep') as (typeof SCHEDULES)[number];
      if (await this.queues.queue(probe.queue).getJobScheduler(probe.id)) return false;
      await this.upsertAll();
      // Jobs Redis held are gone too: the sweepers re-add them from PostgreSQL (ids dedupe, so a
      // report whose job still exists is not run twice). Age 0: the lost jobs may be seconds old.
      const at = Date.now();
      await this.queues.add(JobName.SweepTrainingReports, { olderThanSeconds: 0 }, { jobId: `restore-reports-${at}` });
      await this.queues.add(JobName.SweepCompliance, {}, { jobId: `restore-compliance-${at}` });
      this.logger.warn('Redis had lost the job schedules (restart without persistence?): restored, sweeping');
      return true;
    } catch (err) {
      this.logger.warn(`schedule check failed: ${(err as Error).message}`);
      return false;
    } finally {
      this.checking = false;
    }
  }

  private async upsertAll() {
    for (const s of SCHEDULES) {
      await this.queues
        .queue(s.queue)
        .upsertJobScheduler(s.id, { pattern: s.pattern, tz: SCHEDULE_TZ }, { name: s.job, data: {} });
    }
  }
}
