import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum MemberStatus {
  Active = 'active',
  Waitlisted = 'waitlisted',
  Removed = 'removed',
  Transferred = 'transferred',
}

export enum MemberSource {
  Roster = 'roster',
  SelfJoin = 'self_join',
  Transfer = 'transfer',
}

export enum PracticumStatus {
  Approved = 'approved',
  Rejected = 'rejected',
}

export enum MemberOutcome {
  Passed = 'passed',
  NotPassed = 'not_passed',
}

/** Why a member did not pass a cohort (stored codes; shown in the caller's language). */
export enum OutcomeReason {
  ATTENDANCE_BELOW_MINIMUM = 'ATTENDANCE_BELOW_MINIMUM',
  COURSE_NOT_COMPLETED = 'COURSE_NOT_COMPLETED',
  PRACTICUM_NOT_APPROVED = 'PRACTICUM_NOT_APPROVED',
}

@Entity('cohort_member')
export class CohortMemberEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  cohortId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  status: MemberStatus;

  @Column({ type: 'text' })
  source: MemberSource;

  @Column({ type: 'uuid', nullable: true })
  addedBy: string | null;

  @Column({ type: 'timestamptz', precision: 3 })
  joinedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  leftAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  transferredTo: string | null;

  @Column({ type: 'text', nullable: true })
  practicumStatus: PracticumStatus | null;

  @Column({ type: 'uuid', nullable: true })
  practicumCohortId: string | null;

  @Column({ type: 'uuid', nullable: true })
  practicumDecidedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  practicumDecidedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  practicumNote: string | null;

  @Column({ type: 'text', nullable: true })
  outcome: MemberOutcome | null;

  @Column({ type: 'text', array: true, nullable: true })
  outcomeReasons: OutcomeReason[] | null;

  @Column({ type: 'timestamptz', nullable: true })
  outcomeAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  qualificationId: string | null;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
