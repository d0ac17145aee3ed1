import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ComplianceRule } from './workforce-settings.entity';

/**
 * The live rollup of one enterprise-week. `requestedSeq` is bumped by every change that affects
 * the week (ingest, roster, linked learning minutes); a recompute records the sequence it saw in
 * `computedSeq`, so `requestedSeq > computedSeq` means "dirty" and the sweeper re-queues it.
 */
@Entity('weekly_enterprise_compliance')
export class WeeklyEnterpriseComplianceEntity {
  @PrimaryColumn({ type: 'uuid' })
  enterpriseId: string;

  @PrimaryColumn({ type: 'text' })
  isoWeek: string;

  @Column({ type: 'uuid' })
  industrialParkId: string;

  @Column({ type: 'int' })
  activeWorkers: number;

  @Column({ type: 'int' })
  coveredWorkers: number;

  /** covered ÷ active (null with no active worker) */
  @Column({ type: 'numeric', precision: 6, scale: 5, nullable: true, transformer: numeric() })
  coverage: number | null;

  @Column({ type: 'int' })
  longestSessionMinutes: number;

  @Column({ type: 'boolean' })
  workerRuleMet: boolean;

  @Column({ type: 'boolean' })
  sessionRuleMet: boolean;

  @Column({ type: 'boolean' })
  compliant: boolean;

  @Column({ type: 'text' })
  rule: ComplianceRule;

  @Column({ type: 'numeric', precision: 4, scale: 3, transformer: numeric() })
  threshold: number;

  @Column({ type: 'bigint', transformer: numeric() })
  requestedSeq: number;

  @Column({ type: 'bigint', transformer: numeric() })
  computedSeq: number;

  @Column({ type: 'timestamptz', nullable: true })
  computedAt: Date | null;
}

/** numeric / bigint come back from pg as strings. */
export function numeric() {
  return {
    to: (v: number | null) => v,
    from: (v: string | null) => (v === null || v === undefined ? null : Number(v)),
  };
}
