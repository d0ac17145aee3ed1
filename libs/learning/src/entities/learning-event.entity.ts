import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum LearningEventType {
  CourseCompleted = 'course_completed',
  /** A trainer qualification was earned in a ToT cohort (the cohorts library writes it). */
  TrainerQualified = 'trainer_qualified',
  /** A trainer qualification was revoked (its credential must be revoked too). */
  TrainerQualificationRevoked = 'trainer_qualification_revoked',
}

/**
 * Outbox of domain events (e.g. CourseCompleted): written in the same transaction as the change,
 * delivered to subscribers after commit, redelivered until marked published.
 */
@Entity('learning_event')
export class LearningEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'text' })
  type: LearningEventType;

  /** one event per key and type, e.g. the enrollment id for CourseCompleted */
  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;
}
