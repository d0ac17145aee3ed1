import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum EnrollmentSource {
  Self = 'self',
  Cohort = 'cohort',
  Enterprise = 'enterprise',
  Lti = 'lti',
}

export enum EnrollmentStatus {
  Active = 'active',
  Completed = 'completed',
  Withdrawn = 'withdrawn',
}

/** A learner in a course, pinned to the course version they started. */
@Entity('enrollment')
export class EnrollmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  enrolledAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'uuid' })
  courseId: string;

  @Column({ type: 'text' })
  courseSlug: string;

  @Column({ type: 'uuid' })
  versionId: string;

  @Column({ type: 'text' })
  source: EnrollmentSource;

  /** e.g. the cohort or enterprise id the enrollment came from */
  @Column({ type: 'text', nullable: true })
  sourceRef: string | null;

  @Column({ type: 'text', default: EnrollmentStatus.Active })
  status: EnrollmentStatus;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  lastLessonId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastActivityAt: Date | null;

  @Column({ type: 'int', default: 0 })
  lessonsCompleted: number;

  @Column({ type: 'int', default: 0 })
  learningSeconds: number;
}
