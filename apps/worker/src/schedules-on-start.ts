import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
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

@Injectable()
export class SchedulesOnStart implements OnModuleInit {
  constructor(private readonly queues: QueueService) {}

  /**
   * At module init — after the queues are ready, before the job runner starts consuming (application
   * bootstrap): start-up stays sequential, which the embedded PGlite's one shared session needs.
   */
  async onModuleInit() {
    for (const s of SCHEDULES) {
      await this.queues
        .queue(s.queue)
        .upsertJobScheduler(s.id, { pattern: s.pattern, tz: SCHEDULE_TZ }, { name: s.job, data: {} });
    }
    new Logger('Schedules').log(SCHEDULES.map((s) => s.id).join(', '));
  }
}
