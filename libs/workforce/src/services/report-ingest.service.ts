import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TrainingReportEntity, TrainingReportStatus } from '../entities/training-report.entity';
import { readReportRows, ReportSyntaxError } from '../reports/report-format';
import {
  type AcceptedRow,
  type RosterWorker,
  type RowContext,
  type RowError,
  validateRow,
} from '../reports/row-validation';
import { addDays, isoWeekOf, localDateOf, weekRange } from '../time/iso-week';
import { ComplianceService } from './compliance.service';
import { NotificationsService } from './notifications.service';
import { WorkforceClock } from './workforce-clock';
import { WorkforceSettingsService } from './workforce-settings.service';

/** Rows written per transaction: each chunk commits on its own, so a crash loses at most one chunk of work. */
export const INGEST_CHUNK_ROWS = 5000;

/** Bad input that no retry can fix: the job fails at once (the worker maps it to UnrecoverableError). */
export class ReportRejectedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface IngestResult {
  status: 'done' | 'failed';
  totalRows: number;
  acceptedRows: number;
  rejectedRows: number;
  weeks: string[];
}

/**
 * Processes one stored report (the training-reports job): stream-parses it, validates each row,
 * upserts accepted rows on the natural key and records rejected rows with their row number, field
 * and reason. Everything is idempotent — upserts skip unchanged rows (`IS DISTINCT FROM`), errors
 * are keyed by (report, row, field) — so a retry, a job re-run after a worker died, or two workers
 * on the same report end in the same rows, never doubled minutes.
 */
@Injectable()
export class ReportIngestService {
  private readonly logger = new Logger(ReportIngestService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: WorkforceSettingsService,
    private readonly compliance: ComplianceService,
    private readonly notifications: NotificationsService,
    private readonly clock: WorkforceClock,
  ) {}

  async process(reportId: string, now = this.clock.now()): Promise<IngestResult> {
    const repo = this.ds.getRepository(TrainingReportEntity);
    const report = await repo.findOneBy({ id: reportId });
    if (!report) throw new ReportRejectedError('REPORT_NOT_FOUND', `training report ${reportId} does not exist`);
    if (report.status === TrainingReportStatus.Done || report.status === TrainingReportStatus.Failed) {
      return summary(report);
    }
    await this.ds.query(
      `UPDATE training_report SET status = 'processing', attempts = attempts + 1,
         started_at = coalesce(started_at, now()), updated_at = now()
       WHERE id = $1 AND status IN ('received', 'processing')`,
      [reportId],
    );
    const s = await this.settings.get();
    const today = localDateOf(now);
    const ctx: RowContext = {
      roster: await this.roster(report.enterpriseId),
      today,
      earliest: addDays(weekRange(isoWeekOf(today)).monday, -7 * s.reportWindowWeeks),
      seen: new Map(),
    };
    const [{ payload }] = await this.ds.query(`SELECT payload FROM training_report WHERE id = $1`, [reportId]);

    let accepted: AcceptedRow[] = [];
    let errors: RowError[] = [];
    let acceptedRows = 0;
    const rejected = new Set<number>();
    const weeks = new Set<string>();
    const flush = async () => {
      const a = accepted;
      const e = errors;
      accepted = [];
      errors = [];
      if (a.length || e.length) await this.writeChunk(report.enterpriseId, reportId, a, e);
    };
    try {
      for await (const row of readReportRows(report.format, payload)) {
        const result = validateRow(row, ctx);
        if ('accepted' in result) {
          accepted.push(result.accepted);
          acceptedRows++;
          weeks.add(isoWeekOf(result.accepted.localDate));
        } else {
          errors.push(...result.errors);
          rejected.add(row.rowNumber);
        }
        if (accepted.length + errors.length >= INGEST_CHUNK_ROWS) await flush();
      }
      await flush();
    } catch (err) {
      if (err instanceof ReportSyntaxError) {
        await this.fail(reportId, 'REPORT_SYNTAX', err.message);
        throw new ReportRejectedError('REPORT_SYNTAX', err.message);
      }
      throw err;
    }

    const weekList = [...weeks].sort();
    await this.ds.transaction(async (em) => {
      await em.query(
        `UPDATE training_report SET status = 'done', accepted_rows = $2, rejected_rows = $3, weeks = $4,
           total_rows = $5, finished_at = now(), updated_at = now(), failure_code = NULL, failure_detail = NULL
         WHERE id = $1`,
        [reportId, acceptedRows, rejected.size, weekList, acceptedRows + rejected.size],
      );
      await this.compliance.markDirty(
        em,
        weekList.map((isoWeek) => ({ enterpriseId: report.enterpriseId, isoWeek })),
      );
    });
    await this.compliance.enqueue(weekList.map((isoWeek) => ({ enterpriseId: report.enterpriseId, isoWeek })));
    await this.notifications
      .reportProcessed(reportId)
      .catch((err: Error) => this.logger.warn(`report ${reportId}: webhook not queued (${err.message})`));
    return {
      status: 'done',
      totalRows: acceptedRows + rejected.size,
      acceptedRows,
      rejectedRows: rejected.size,
      weeks: weekList,
    };
  }

  /** Marks a report failed (bad input, or the last retry gave up); its rows so far stay. */
  async fail(reportId: string, code: string, detail: string): Promise<void> {
    await this.ds.query(
      `UPDATE training_report SET status = 'failed', failure_code = $2, failure_detail = $3,
         finished_at = now(), updated_at = now()
       WHERE id = $1 AND status <> 'done'`,
      [reportId, code, detail.slice(0, 500)],
    );
    await this.notifications.reportProcessed(reportId).catch(() => undefined);
  }

  private async roster(enterpriseId: string): Promise<Map<string, RosterWorker>> {
    const rows: Array<{ id: string; worker_code: string; active_from: string | null; active_to: string | null }> =
      await this.ds.query(
        `SELECT id, worker_code, to_char(active_from, 'YYYY-MM-DD') AS active_from,
                to_char(active_to, 'YYYY-MM-DD') AS active_to
         FROM worker WHERE enterprise_id = $1`,
        [enterpriseId],
      );
    return new Map(rows.map((r) => [r.worker_code, { id: r.id, activeFrom: r.active_from, activeTo: r.active_to }]));
  }

  private async writeChunk(enterpriseId: string, reportId: string, rows: AcceptedRow[], errors: RowError[]) {
    await this.ds.transaction(async (em) => {
      if (rows.length > 0) {
        await em.query(
          `INSERT INTO training_session AS t
             (enterprise_id, worker_id, local_date, session_key, minutes, topic, course_slug, trainer, external_ref,
              report_id, updated_at)
           SELECT $1, x.worker_id, x.local_date, x.session_key, x.minutes, x.topic, x.course_slug, x.trainer,
                  x.external_ref, $2, now()
           FROM unnest($3::uuid[], $4::date[], $5::text[], $6::smallint[], $7::text[], $8::text[], $9::text[], $10::text[])
             AS x(worker_id, local_date, session_key, minutes, topic, course_slug, trainer, external_ref)
           ON CONFLICT (enterprise_id, worker_id, local_date, session_key) DO UPDATE SET
             minutes = EXCLUDED.minutes, topic = EXCLUDED.topic, course_slug = EXCLUDED.course_slug,
             trainer = EXCLUDED.trainer, external_ref = EXCLUDED.external_ref, report_id = EXCLUDED.report_id,
             updated_at = now()
           WHERE (t.minutes, t.topic, t.course_slug, t.trainer, t.external_ref)
                 IS DISTINCT FROM (EXCLUDED.minutes, EXCLUDED.topic, EXCLUDED.course_slug, EXCLUDED.trainer, EXCLUDED.external_ref)
             -- the report submitted last wins, whichever is processed last (a correction processed
             -- before an older, larger report; an old report re-driven after a failure)
             AND coalesce((SELECT p.seq FROM training_report p WHERE p.id = t.report_id), 0)
                 <= (SELECT c.seq FROM training_report c WHERE c.id = $2)`,
          [
            enterpriseId,
            reportId,
            rows.map((r) => r.workerId),
            rows.map((r) => r.localDate),
            rows.map((r) => r.sessionKey),
            rows.map((r) => r.minutes),
            rows.map((r) => r.topic),
            rows.map((r) => r.courseSlug),
            rows.map((r) => r.trainer),
            rows.map((r) => r.externalRef),
          ],
        );
      }
      if (errors.length > 0) {
        await em.query(
          `INSERT INTO training_report_error (report_id, row_number, field, code, value)
           SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[])
           ON CONFLICT DO NOTHING`,
          [
            reportId,
            errors.map((e) => e.rowNumber),
            errors.map((e) => e.field),
            errors.map((e) => e.code),
            errors.map((e) => e.value),
          ],
        );
      }
      await em.query(`UPDATE training_report SET updated_at = now() WHERE id = $1`, [reportId]);
    });
  }
}

function summary(r: TrainingReportEntity): IngestResult {
  return {
    status: r.status === TrainingReportStatus.Done ? 'done' : 'failed',
    totalRows: r.totalRows,
    acceptedRows: r.acceptedRows ?? 0,
    rejectedRows: r.rejectedRows ?? 0,
    weeks: r.weeks,
  };
}
