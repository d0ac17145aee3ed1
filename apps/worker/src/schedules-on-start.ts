import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { JobName, QueueName, QueueService } from '@hocso/queue';

/**
 * Repeating jobs, upserted at every worker start (idempotent by scheduler id). Cron patterns in
 * Asia/Ho_Chi_Minh: they never fire at start-up, only at their minute.
 */
export const SCHEDULES = [
  { id: 'purge-expired-hourly', queue: QueueName.Maintenance, job: JobName.PurgeExpired, pattern: '7 * * * *' },
] as const;
export const SCHEDULE_TZ = 'Asia/Ho_Chi_Minh';

@Injectable()
export class SchedulesOnStart implements OnApplicationBootstrap {
  constructor(private readonly queues: QueueService) {}

  async onApplicationBootstrap() {
    for (const s of SCHEDULES) {
      await this.queues
        .queue(s.queue)
        .upsertJobScheduler(s.id, { pattern: s.pattern, tz: SCHEDULE_TZ }, { name: s.job, data: {} });
    }
    new Logger('Schedules').log(SCHEDULES.map((s) => s.id).join(', '));
  }
}
