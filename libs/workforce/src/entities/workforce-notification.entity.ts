import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@hocso/database';

export enum NotificationChannel {
  Email = 'email',
  Webhook = 'webhook',
}

export enum NotificationStatus {
  Pending = 'pending',
  Sent = 'sent',
  Skipped = 'skipped',
  Failed = 'failed',
}

/**
 * One e-mail or webhook to an enterprise. `eventKey` is unique per channel, so re-running whatever
 * queued it (a report job, a weekly close) never sends twice. Bodies hold ids and counts only.
 */
@Entity('workforce_notification')
export class WorkforceNotificationEntity extends BaseEntity {
  @Column({ type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'text' })
  channel: NotificationChannel;

  /** report.processed | compliance.reminder */
  @Column({ type: 'text' })
  event: string;

  @Column({ type: 'text' })
  eventKey: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text' })
  status: NotificationStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'int', nullable: true })
  lastHttpStatus: number | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
