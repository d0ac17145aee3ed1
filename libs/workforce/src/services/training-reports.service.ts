import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Actor } from '@hocso/common';
import { decodeCursor, encodeCursor, type Page, paginate } from '@hocso/database';
import { addJobWithin, JobName, QueueName, QueueService } from '@hocso/queue';
import { DataSource } from 'typeorm';
import { TrainingReportEntity, TrainingReportStatus } from '../entities/training-report.entity';
import type { ReportSubmission } from '../reports/report-format';
import { WorkforceException, WorkforceExceptionCode, type RowErrorCode } from '../workforce.exception';
import { WorkforceAccess } from './workforce-access.service';

export interface ReportRowError {
  rowNumber: number;
  field: string;
  code: RowErrorCode;
  value: string | null;
}

/** A report job: its id is the report id, so adding it twice is harmless. */
export const REPORT_JOB_OPTIONS = { removeOnComplete: { count: 1000, age: 24 * 3600 } };

/**
 * Training reports at the HTTP edge: store the raw report (the outbox), then add its job; read
 * status, counts and rejected rows. Processing is ReportIngestService, in the worker.
 */
@Injectable()
export class TrainingReportsService {
  private readonly logger = new Logger(TrainingReportsService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly access: WorkforceAccess,
    private readonly queues: QueueService,
  ) {}

  /**
   * The report row commits first; only then is the job added. If the queue is unreachable the
   * answer is still 202 — the report is durable in PostgreSQL and the sweeper adds its job later.
   */
  async submit(actor: Actor, enterpriseId: string, submission: ReportSubmission): Promise<TrainingReportEntity> {
    await this.access.enterprise(actor, enterpriseId, 'write');
    const repo = this.ds.getRepository(TrainingReportEntity);
    const saved = await repo.save(
      repo.create({
        enterpriseId,
        submittedBy: actor.kind === 'user' ? `user:${actor.userId}` : `key:${actor.apiKeyId}`,
        format: submission.format,
        payload: submission.payload,
        payloadBytes: Buffer.byteLength(submission.payload, 'utf8'),
        payloadSha256: createHash('sha256').update(submission.payload).digest('hex'),
        status: TrainingReportStatus.Received,
        totalRows: submission.totalRows,
        weeks: [],
      }),
    );
    if (await this.enqueue(saved.id)) {
      await repo.update({ id: saved.id }, { enqueuedAt: new Date() });
    }
    return repo.findOneByOrFail({ id: saved.id });
  }

  private enqueue(reportId: string): Promise<boolean> {
    return addJobWithin(
      this.queues,
      JobName.ProcessTrainingReport,
      { reportId },
      { ...REPORT_JOB_OPTIONS, jobId: reportId },
    );
  }

  async get(
    actor: Actor,
    reportId: string,
    page: { cursor?: string; limit: number },
  ): Promise<{ report: TrainingReportEntity; errors: Page<ReportRowError> }> {
    const report = await this.ds.getRepository(TrainingReportEntity).findOneBy({ id: reportId });
    if (!report) throw new WorkforceException(WorkforceExceptionCode.REPORT_NOT_FOUND);
    try {
      await this.access.enterprise(actor, report.enterpriseId, 'read');
    } catch {
      throw new WorkforceException(WorkforceExceptionCode.REPORT_NOT_FOUND);
    }
    return { report, errors: await this.errors(reportId, page) };
  }

  /** Rejected rows by row number, then field (keyset pages). */
  private async errors(reportId: string, page: { cursor?: string; limit: number }): Promise<Page<ReportRowError>> {
    const params: unknown[] = [reportId, page.limit + 1];
    let after = '';
    if (page.cursor) {
      const c = decodeCursor(page.cursor);
      params.push(Number(c.v), c.id);
      after = 'AND (row_number, field) > ($3::int, $4::text)';
    }
    const rows: Array<{ row_number: number; field: string; code: RowErrorCode; value: string | null }> =
      await this.ds.query(
        `SELECT row_number, field, code, value FROM training_report_error
         WHERE report_id = $1 ${after} ORDER BY row_number, field LIMIT $2`,
        params,
      );
    const items = rows
      .slice(0, page.limit)
      .map((r) => ({ rowNumber: r.row_number, field: r.field, code: r.code, value: r.value }));
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > page.limit && last ? encodeCursor({ v: last.rowNumber, id: last.field }) : null,
    };
  }

  async list(
    actor: Actor,
    enterpriseId: string,
    page: { cursor?: string; limit: number },
  ): Promise<Page<TrainingReportEntity>> {
    await this.access.enterprise(actor, enterpriseId, 'read');
    const qb = this.ds
      .getRepository(TrainingReportEntity)
      .createQueryBuilder('r')
      .where('r.enterprise_id = :enterpriseId', { enterpriseId });
    return paginate(qb, {
      cursor: page.cursor,
      limit: page.limit,
      sortColumn: 'r.created_at',
      sortValue: (r) => r.createdAt,
    });
  }

  /**
   * The outbox sweeper: reports still `received` after `olderThanSeconds` (their job was never
   * added, or was lost with Redis data), and reports stuck in `processing` whose job no longer
   * exists, get their job (re-)added. The job id is the report id, so this never duplicates work.
   */
  async sweep(olderThanSeconds = 30, limit = 500): Promise<{ requeued: number }> {
    const rows: Array<{ id: string; status: TrainingReportStatus }> = await this.ds.query(
      `SELECT id, status FROM training_report
       WHERE (status = 'received' AND updated_at < now() - make_interval(secs => $1))
          OR (status = 'processing' AND updated_at < now() - interval '10 minutes')
       ORDER BY updated_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
    let requeued = 0;
    const queue = this.queues.queue(QueueName.TrainingReports);
    for (const r of rows) {
      if (r.status === TrainingReportStatus.Processing && (await queue.getJob(r.id))) continue;
      if (r.status === TrainingReportStatus.Received) {
        const job = await queue.getJob(r.id);
        if (job && ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'].includes(await job.getState())) {
          continue;
        }
        // A finished job whose report is still `received` (job data lost / removed): run it again.
        if (job) await job.remove().catch(() => undefined);
      }
      if (await this.enqueue(r.id)) {
        requeued++;
        await this.ds.query(`UPDATE training_report SET enqueued_at = now(), updated_at = now() WHERE id = $1`, [r.id]);
      }
    }
    if (requeued > 0) this.logger.log(`re-queued ${requeued} training report(s)`);
    return { requeued };
  }
}
