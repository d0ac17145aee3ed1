import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One worker's attendance of one training session on one local day. The primary key is the natural
 * key (enterprise, worker, date, externalRef or topic), so a re-sent report upserts instead of
 * adding minutes twice.
 */
@Entity('training_session')
export class TrainingSessionEntity {
  @PrimaryColumn({ type: 'uuid' })
  enterpriseId: string;

  @PrimaryColumn({ type: 'uuid' })
  workerId: string;

  @PrimaryColumn({ type: 'date' })
  localDate: string;

  /** "ref:<externalRef>" or "topic:<folded topic>" */
  @PrimaryColumn({ type: 'text' })
  sessionKey: string;

  @Column({ type: 'smallint' })
  minutes: number;

  @Column({ type: 'text' })
  topic: string;

  @Column({ type: 'text', nullable: true })
  courseSlug: string | null;

  @Column({ type: 'text', nullable: true })
  trainer: string | null;

  @Column({ type: 'text', nullable: true })
  externalRef: string | null;

  /** the last report that changed this row */
  @Column({ type: 'uuid' })
  reportId: string;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
