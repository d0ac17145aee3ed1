import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numeric } from './weekly-enterprise-compliance.entity';
import type { ComplianceRule } from './workforce-settings.entity';

export enum ComplianceWeekStatus {
  Closed = 'closed',
  /** late data changed an enterprise after the close; the next close freezes it again */
  Reopened = 'reopened',
}

export interface ComplianceAuditNote {
  at: string;
  event: 'closed' | 'reopened' | 're-closed';
  enterpriseId?: string;
  before?: { compliant: boolean; coverage: number | null };
  after?: { compliant: boolean; coverage: number | null };
}

/** A closed ISO week: the frozen figures KPIs read, with an audit trail of late changes. */
@Entity('compliance_week')
export class ComplianceWeekEntity {
  @PrimaryColumn({ type: 'text' })
  isoWeek: string;

  @Column({ type: 'text' })
  status: ComplianceWeekStatus;

  @Column({ type: 'timestamptz' })
  closedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  reopenedAt: Date | null;

  @Column({ type: 'text' })
  rule: ComplianceRule;

  @Column({ type: 'numeric', precision: 4, scale: 3, transformer: numeric() })
  threshold: number;

  @Column({ type: 'int' })
  enterprises: number;

  @Column({ type: 'int' })
  compliantEnterprises: number;

  @Column({ type: 'jsonb' })
  audit: ComplianceAuditNote[];
}

/** One enterprise's frozen figures in a closed week. */
@Entity('compliance_snapshot')
export class ComplianceSnapshotEntity {
  @PrimaryColumn({ type: 'text' })
  isoWeek: string;

  @PrimaryColumn({ type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'uuid' })
  industrialParkId: string;

  @Column({ type: 'int' })
  activeWorkers: number;

  @Column({ type: 'int' })
  coveredWorkers: number;

  @Column({ type: 'numeric', precision: 6, scale: 5, nullable: true, transformer: numeric() })
  coverage: number | null;

  @Column({ type: 'boolean' })
  compliant: boolean;

  @Column({ type: 'timestamptz' })
  frozenAt: Date;
}
