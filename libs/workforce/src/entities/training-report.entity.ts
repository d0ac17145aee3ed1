import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@hocso/database';

export enum TrainingReportStatus {
  Received = 'received',
  Processing = 'processing',
  Done = 'done',
  Failed = 'failed',
}

export type TrainingReportFormat = 'json' | 'csv';

/**
 * One submission, stored raw before any job is added (the outbox): the worker parses `payload`
 * later, so nothing is lost when the queue is unreachable at submission time.
 */
@Entity('training_report')
export class TrainingReportEntity extends BaseEntity {
  @Column({ type: 'uuid' })
  enterpriseId: string;

  /** "user:<id>" or "key:<id>" */
  @Column({ type: 'text' })
  submittedBy: string;

  @Column({ type: 'text' })
  format: TrainingReportFormat;

  @Column({ type: 'text', select: false })
  payload: string;

  @Column({ type: 'int' })
  payloadBytes: number;

  @Column({ type: 'text' })
  payloadSha256: string;

  @Column({ type: 'text', default: TrainingReportStatus.Received })
  status: TrainingReportStatus;

  @Column({ type: 'int' })
  totalRows: number;

  @Column({ type: 'int', nullable: true })
  acceptedRows: number | null;

  @Column({ type: 'int', nullable: true })
  rejectedRows: number | null;

  /** ISO weeks the accepted rows fall in */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  weeks: string[];

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** set once the job was added; null = still in the outbox */
  @Column({ type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  failureCode: string | null;

  @Column({ type: 'text', nullable: true })
  failureDetail: string | null;
}
