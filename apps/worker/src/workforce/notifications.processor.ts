import { Injectable } from '@nestjs/common';
import { type JobOf, JobHandler, JobName, type JobResultOf } from '@hocso/queue';
import { NotificationRejectedError, NotificationsService } from '@hocso/workforce';
import { type Job, UnrecoverableError } from 'bullmq';

@Injectable()
export class NotificationsProcessor {
  constructor(private readonly notifications: NotificationsService) {}

  @JobHandler(JobName.SendComplianceReminder)
  email(data: JobOf<JobName.SendComplianceReminder>, job: Job): Promise<JobResultOf<JobName.SendComplianceReminder>> {
    return this.guard(data.notificationId, job, () => this.notifications.sendReminder(data.notificationId));
  }

  @JobHandler(JobName.DeliverWebhook)
  webhook(data: JobOf<JobName.DeliverWebhook>, job: Job): Promise<JobResultOf<JobName.DeliverWebhook>> {
    return this.guard(data.notificationId, job, () => this.notifications.deliverWebhook(data.notificationId));
  }

  private async guard<T>(id: string, job: Job, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof NotificationRejectedError) throw new UnrecoverableError(err.message);
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await this.notifications.markFailed(id, (err as Error).message).catch(() => undefined);
      }
      throw err;
    }
  }
}
