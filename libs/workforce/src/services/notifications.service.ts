import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { addBulkWithin, JobName, QueueName, QueueService } from '@hocso/queue';
import { createTransport, type Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import {
  NotificationChannel,
  NotificationStatus,
  WorkforceNotificationEntity,
} from '../entities/workforce-notification.entity';
import { weekLabel } from '../time/iso-week';
import { assertDeliverable, signWebhook } from './webhook-signature';

/** Bad input for a notification (no such row, refused URL): fail at once, do not retry. */
export class NotificationRejectedError extends Error {}

export const NOTIFICATION_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000, jitter: 0.2 },
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000, age: 30 * 24 * 3600 },
};

/**
 * E-mail (SMTP via nodemailer) and signed webhooks to enterprises. Each notification is a row
 * first (unique per channel and event key, so whatever queues it may run again), then a job on
 * the notifications queue, retried with exponential backoff; failures stay inspectable.
 */
@Injectable()
export class NotificationsService implements OnModuleDestroy {
  private readonly logger = new Logger(NotificationsService.name);
  private transport?: Transporter;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleDestroy() {
    this.transport?.close();
  }

  /** Queues the `report.processed` webhook of a finished report, if the enterprise registered one. */
  async reportProcessed(reportId: string): Promise<void> {
    const [r] = await this.ds.query(
      `SELECT r.id, r.enterprise_id, r.status, r.total_rows, r.accepted_rows, r.rejected_rows, r.weeks,
              r.failure_code, e.webhook_url
       FROM training_report r JOIN enterprise e ON e.org_unit_id = r.enterprise_id WHERE r.id = $1`,
      [reportId],
    );
    if (!r?.webhook_url) return;
    const body = JSON.stringify({
      event: 'report.processed',
      reportId: r.id,
      enterpriseId: r.enterprise_id,
      status: r.status,
      totalRows: r.total_rows,
      acceptedRows: r.accepted_rows,
      rejectedRows: r.rejected_rows,
      weeks: r.weeks,
      failureCode: r.failure_code,
      occurredAt: new Date().toISOString(),
    });
    await this.create(r.enterprise_id, NotificationChannel.Webhook, 'report.processed', `report:${reportId}`, body);
  }

  /** Queues reminders (e-mail, and webhook when registered) to enterprises below the threshold. */
  async complianceReminders(
    isoWeek: string,
    rows: Array<{ enterpriseId: string; coverage: number | null; activeWorkers: number; coveredWorkers: number }>,
  ): Promise<number> {
    let queued = 0;
    const hooks: Array<{ org_unit_id: string }> = await this.ds.query(
      `SELECT org_unit_id FROM enterprise WHERE org_unit_id = ANY($1::uuid[]) AND webhook_url IS NOT NULL`,
      [rows.map((r) => r.enterpriseId)],
    );
    const withHook = new Set(hooks.map((h) => h.org_unit_id));
    for (const r of rows) {
      const body = JSON.stringify({
        event: 'compliance.reminder',
        enterpriseId: r.enterpriseId,
        isoWeek,
        activeWorkers: r.activeWorkers,
        coveredWorkers: r.coveredWorkers,
        coverage: r.coverage,
        occurredAt: new Date().toISOString(),
      });
      const key = `reminder:${r.enterpriseId}:${isoWeek}`;
      if (await this.create(r.enterpriseId, NotificationChannel.Email, 'compliance.reminder', key, body)) queued++;
      if (withHook.has(r.enterpriseId)) {
        if (await this.create(r.enterpriseId, NotificationChannel.Webhook, 'compliance.reminder', key, body)) queued++;
      }
    }
    return queued;
  }

  /** Inserts the notification once (by channel + event key) and adds its job; false if it existed. */
  private async create(
    enterpriseId: string,
    channel: NotificationChannel,
    event: string,
    eventKey: string,
    body: string,
  ): Promise<boolean> {
    const inserted: Array<{ id: string }> = await this.ds.query(
      `INSERT INTO workforce_notification (enterprise_id, channel, event, event_key, body, status)
       VALUES ($1, $2, $3, $4, $5, 'pending') ON CONFLICT (channel, event_key) DO NOTHING RETURNING id`,
      [enterpriseId, channel, event, eventKey, body],
    );
    const id = inserted[0]?.id;
    if (!id) return false;
    await this.enqueue([{ id, channel }]);
    return true;
  }

  async enqueue(rows: Array<{ id: string; channel: NotificationChannel }>): Promise<void> {
    for (const channel of [NotificationChannel.Email, NotificationChannel.Webhook]) {
      const name = channel === NotificationChannel.Email ? JobName.SendComplianceReminder : JobName.DeliverWebhook;
      await addBulkWithin(
        this.queues,
        QueueName.Notifications,
        name,
        rows
          .filter((r) => r.channel === channel)
          .map((r) => ({ data: { notificationId: r.id }, opts: { ...NOTIFICATION_JOB_OPTIONS, jobId: r.id } })),
      );
    }
  }

  private async load(id: string, channel: NotificationChannel): Promise<WorkforceNotificationEntity> {
    const n = await this.ds.getRepository(WorkforceNotificationEntity).findOneBy({ id, channel });
    if (!n) throw new NotificationRejectedError(`notification ${id} does not exist`);
    return n;
  }

  /** The e-mail job: sends the reminder to the enterprise's contact and its enterprise managers. */
  async sendReminder(id: string): Promise<{ status: 'sent' | 'skipped'; recipients: number }> {
    const n = await this.load(id, NotificationChannel.Email);
    if (n.status === NotificationStatus.Sent || n.status === NotificationStatus.Skipped) {
      return { status: n.status === NotificationStatus.Sent ? 'sent' : 'skipped', recipients: 0 };
    }
    const data = JSON.parse(n.body) as {
      isoWeek: string;
      coverage: number | null;
      activeWorkers: number;
      coveredWorkers: number;
    };
    const [enterprise] = await this.ds.query(
      `SELECT o.name, e.contact_email FROM enterprise e JOIN org_unit o ON o.id = e.org_unit_id WHERE e.org_unit_id = $1`,
      [n.enterpriseId],
    );
    const managers: Array<{ email: string }> = await this.ds.query(
      `SELECT email FROM app_user WHERE org_unit_id = $1 AND 'enterprise_manager' = ANY(roles)
         AND status = 'active' AND email IS NOT NULL`,
      [n.enterpriseId],
    );
    const to = [...new Set([enterprise?.contact_email, ...managers.map((m) => m.email)].filter(Boolean))] as string[];
    const transport = this.mailer();
    if (!transport || to.length === 0) {
      await this.mark(id, NotificationStatus.Skipped, null, transport ? 'no recipient' : 'SMTP_URL not set');
      return { status: 'skipped', recipients: 0 };
    }
    const pct = data.coverage === null ? '—' : `${(data.coverage * 100).toFixed(1).replace('.', ',')}%`;
    await this.ds.query(`UPDATE workforce_notification SET attempts = attempts + 1 WHERE id = $1`, [id]);
    await transport.sendMail({
      from: this.config.mail.from,
      to,
      subject: `[Học Số] Nhắc nhở đào tạo ${weekLabel(data.isoWeek)} — ${enterprise?.name ?? ''}`,
      text:
        `Kính gửi ${enterprise?.name ?? 'Quý doanh nghiệp'},\n\n` +
        `${weekLabel(data.isoWeek)}: ${data.coveredWorkers}/${data.activeWorkers} người lao động ` +
        `được đào tạo kỹ năng số ít nhất 60 phút (${pct}), chưa đạt ngưỡng của tỉnh.\n` +
        `Vui lòng bổ sung báo cáo các buổi đào tạo (báo cáo muộn vẫn được nhận).\n\n` +
        `— Học Số\n\n` +
        `${weekLabel(data.isoWeek, 'en')}: ${data.coveredWorkers} of ${data.activeWorkers} workers had at least ` +
        `60 minutes of digital-skills training (${pct}), below the province's threshold. Late reports are still accepted.\n`,
    });
    await this.mark(id, NotificationStatus.Sent, null, null);
    return { status: 'sent', recipients: to.length };
  }

  /** The webhook job: POSTs the body, signed at each attempt; non-2xx throws (retried with backoff). */
  async deliverWebhook(id: string): Promise<{ status: 'delivered' | 'skipped'; httpStatus?: number }> {
    const n = await this.load(id, NotificationChannel.Webhook);
    if (n.status === NotificationStatus.Sent) return { status: 'delivered' };
    const [e] = await this.ds.query(`SELECT webhook_url, webhook_secret FROM enterprise WHERE org_unit_id = $1`, [
      n.enterpriseId,
    ]);
    if (!e?.webhook_url || !e.webhook_secret) {
      await this.mark(id, NotificationStatus.Skipped, null, 'webhook removed');
      return { status: 'skipped' };
    }
    try {
      await assertDeliverable(e.webhook_url, this.config.webhooks.allowPrivateNetworks);
    } catch (err) {
      await this.mark(id, NotificationStatus.Failed, null, (err as Error).message);
      throw new NotificationRejectedError((err as Error).message);
    }
    await this.ds.query(`UPDATE workforce_notification SET attempts = attempts + 1 WHERE id = $1`, [id]);
    let status = 0;
    try {
      const res = await fetch(e.webhook_url, {
        method: 'POST',
        body: n.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Hocso-Webhooks/1',
          'Hocso-Event': n.event,
          'Hocso-Delivery': n.id,
          'Hocso-Signature': signWebhook(e.webhook_secret, n.body),
        },
      });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
    } catch (err) {
      await this.mark(id, NotificationStatus.Pending, null, (err as Error).message);
      throw new Error(`webhook ${id}: ${(err as Error).message}`);
    }
    if (status < 200 || status >= 300) {
      await this.mark(id, NotificationStatus.Pending, status, `HTTP ${status}`);
      throw new Error(`webhook ${id}: HTTP ${status}`);
    }
    await this.mark(id, NotificationStatus.Sent, status, null);
    return { status: 'delivered', httpStatus: status };
  }

  /** Called when the last retry failed: the row shows it. */
  async markFailed(id: string, error: string): Promise<void> {
    await this.mark(id, NotificationStatus.Failed, null, error);
  }

  private async mark(id: string, status: NotificationStatus, httpStatus: number | null, error: string | null) {
    await this.ds.query(
      `UPDATE workforce_notification SET status = $2, last_http_status = coalesce($3, last_http_status),
         last_error = $4, sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END, updated_at = now()
       WHERE id = $1`,
      [id, status, httpStatus, error?.slice(0, 500) ?? null],
    );
  }

  private mailer(): Transporter | undefined {
    if (!this.config.mail.smtpUrl) return undefined;
    this.transport ??= createTransport(this.config.mail.smtpUrl);
    return this.transport;
  }
}
