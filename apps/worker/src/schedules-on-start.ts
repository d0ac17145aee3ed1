import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { JobName, QueueName, QueueService } from '@hocso/queue';

/** Repeating jobs, upserted at every worker start (idempotent by scheduler id). */
export const SCHEDULES = [
  { id: 'purge-expired-hourly', queue: QueueName.Maintenance, job: JobName.PurgeExpired, everyMs: 3600_000 },
] as const;

@Injectable()
export class SchedulesOnStart implements OnApplicationBootstrap {
  constructor(private readonly queues: QueueService) {}

  async onApplicationBootstrap() {
    for (const s of SCHEDULES) {
      await this.queues.queue(s.queue).upsertJobScheduler(s.id, { every: s.everyMs }, { name: s.job, data: {} });
    }
    new Logger('Schedules').log(SCHEDULES.map((s) => s.id).join(', '));
  }
}
