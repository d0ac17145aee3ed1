import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type ComplianceAuditNote, ComplianceWeekStatus } from '../entities/compliance-week.entity';
import { addWeeks, isIsoWeek, weekRange } from '../time/iso-week';
import { WorkforceException, WorkforceExceptionCode } from '../workforce.exception';
import { ComplianceService, currentIsoWeek } from './compliance.service';
import { NotificationsService } from './notifications.service';
import { WorkforceClock } from './workforce-clock';
import { WorkforceSettingsService } from './workforce-settings.service';

const CHUNK = 200;

/**
 * The weekly close (Monday 00:10 Asia/Ho_Chi_Minh): recompute every enterprise active in the past
 * ISO week, freeze its figures in the snapshot KPIs read, and queue reminders to enterprises below
 * the threshold. Idempotent per week: running it again changes nothing and sends nothing twice.
 * Late reports still count: they reopen the week (audit note), and the next close freezes it again.
 */
@Injectable()
export class WeeklyCloseService {
  private readonly logger = new Logger(WeeklyCloseService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly compliance: ComplianceService,
    private readonly notifications: NotificationsService,
    private readonly settings: WorkforceSettingsService,
    private readonly clock: WorkforceClock,
  ) {}

  async close(isoWeek?: string, now = this.clock.now()) {
    const week = isoWeek ?? addWeeks(currentIsoWeek(now), -1);
    if (!isIsoWeek(week)) throw new WorkforceException(WorkforceExceptionCode.WEEK_INVALID);
    const result = await this.freeze(week, true);
    // Weeks reopened by late reports are frozen again (without a second round of reminders).
    const reopened: Array<{ iso_week: string }> = await this.ds.query(
      `SELECT iso_week FROM compliance_week WHERE status = 'reopened' AND iso_week <> $1 ORDER BY iso_week`,
      [week],
    );
    for (const r of reopened) await this.freeze(r.iso_week, false);
    return result;
  }

  private async freeze(isoWeek: string, remind: boolean) {
    const { monday, sunday } = weekRange(isoWeek);
    const active: Array<{ org_unit_id: string }> = await this.ds.query(
      `SELECT org_unit_id FROM enterprise
       WHERE (active_from IS NULL OR active_from <= $2::date) AND (active_to IS NULL OR active_to >= $1::date)
       ORDER BY org_unit_id`,
      [monday, sunday],
    );
    const ids = active.map((a) => a.org_unit_id);
    const existing: Array<{ status: ComplianceWeekStatus }> = await this.ds.query(
      `SELECT status FROM compliance_week WHERE iso_week = $1`,
      [isoWeek],
    );
    const alreadyClosed = existing[0]?.status === ComplianceWeekStatus.Closed;
    if (!alreadyClosed) {
      for (let i = 0; i < ids.length; i += CHUNK) await this.compliance.recomputeMany(ids.slice(i, i + CHUNK), isoWeek);
      const s = await this.settings.get();
      await this.ds.transaction(async (em) => {
        await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`wf-close:${isoWeek}`]);
        const note: ComplianceAuditNote = { at: new Date().toISOString(), event: existing[0] ? 're-closed' : 'closed' };
        await em.query(
          `INSERT INTO compliance_week (iso_week, status, closed_at, rule, threshold, enterprises, compliant_enterprises, audit)
           VALUES ($1, 'closed', now(), $2, $3, 0, 0, $4::jsonb)
           ON CONFLICT (iso_week) DO UPDATE SET status = 'closed', closed_at = now(), rule = EXCLUDED.rule,
             threshold = EXCLUDED.threshold, audit = compliance_week.audit || EXCLUDED.audit`,
          [isoWeek, s.complianceRule, s.coverageThreshold, JSON.stringify([note])],
        );
        await em.query(`DELETE FROM compliance_snapshot WHERE iso_week = $1`, [isoWeek]);
        await em.query(
          `INSERT INTO compliance_snapshot
             (iso_week, enterprise_id, industrial_park_id, active_workers, covered_workers, coverage, compliant, frozen_at)
           SELECT iso_week, enterprise_id, industrial_park_id, active_workers, covered_workers, coverage, compliant, now()
           FROM weekly_enterprise_compliance WHERE iso_week = $1 AND enterprise_id = ANY($2::uuid[])`,
          [isoWeek, ids],
        );
        await em.query(
          `UPDATE compliance_week SET
             enterprises = (SELECT count(*) FROM compliance_snapshot WHERE iso_week = $1),
             compliant_enterprises = (SELECT count(*) FROM compliance_snapshot WHERE iso_week = $1 AND compliant)
           WHERE iso_week = $1`,
          [isoWeek],
        );
      });
    }
    const [week] = await this.ds.query(
      `SELECT enterprises, compliant_enterprises FROM compliance_week WHERE iso_week = $1`,
      [isoWeek],
    );
    let reminders = 0;
    if (remind && (await this.settings.get()).remindersEnabled) {
      const below: Array<{
        enterprise_id: string;
        coverage: string | null;
        active_workers: number;
        covered_workers: number;
      }> = await this.ds.query(
        `SELECT enterprise_id, coverage, active_workers, covered_workers FROM compliance_snapshot
         WHERE iso_week = $1 AND NOT compliant ORDER BY enterprise_id`,
        [isoWeek],
      );
      reminders = await this.notifications.complianceReminders(
        isoWeek,
        below.map((b) => ({
          enterpriseId: b.enterprise_id,
          coverage: b.coverage === null ? null : Number(b.coverage),
          activeWorkers: b.active_workers,
          coveredWorkers: b.covered_workers,
        })),
      );
    }
    this.logger.log(
      `closed ${isoWeek}: ${week.compliant_enterprises}/${week.enterprises} enterprises compliant, ${reminders} reminder(s) queued`,
    );
    return { isoWeek, enterprises: week.enterprises, compliant: week.compliant_enterprises, reminders };
  }
}
