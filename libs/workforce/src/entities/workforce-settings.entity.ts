import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { numeric } from './weekly-enterprise-compliance.entity';

/**
 * Which reading of "≥ 1 hour of training a week" decides compliance (CONTEXT.md §7.4):
 * worker_coverage — covered workers (≥ 60 min) ÷ active workers ≥ θ;
 * weekly_session — the enterprise ran at least one session of ≥ 60 minutes with ≥ 1 attendee.
 */
export enum ComplianceRule {
  WorkerCoverage = 'worker_coverage',
  WeeklySession = 'weekly_session',
}

/** The province's settings (one row), changed by province admins at run time. */
@Entity('workforce_settings')
export class WorkforceSettingsEntity {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  /** θ: share of active workers that must be covered (default 0.8) */
  @Column({ type: 'numeric', precision: 4, scale: 3, transformer: numeric() })
  coverageThreshold: number;

  @Column({ type: 'text' })
  complianceRule: ComplianceRule;

  /** most minutes credited to one worker on one local day, all sources together (default 240) */
  @Column({ type: 'smallint' })
  dailyCapMinutes: number;

  /** reports may carry dates back to the Monday this many weeks before the current week (default 8) */
  @Column({ type: 'smallint' })
  reportWindowWeeks: number;

  @Column({ type: 'boolean' })
  remindersEnabled: boolean;

  @Column({ type: 'uuid', nullable: true })
  updatedBy: string | null;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
