import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@hocso/database';

export enum CohortKind {
  Tot = 'tot',
  Official = 'official',
  Citizen = 'citizen',
  Worker = 'worker',
}

export enum CohortMode {
  Online = 'online',
  InPerson = 'in_person',
  Blended = 'blended',
}

/** planned → running → finished → archived */
export enum CohortStatus {
  Planned = 'planned',
  Running = 'running',
  Finished = 'finished',
  Archived = 'archived',
}

export enum TrainerLevel {
  Master = 'master',
  Core = 'core',
  Community = 'community',
}

/** Ordering of trainer levels, highest first. */
export const LEVEL_RANK: Record<TrainerLevel, number> = {
  [TrainerLevel.Master]: 3,
  [TrainerLevel.Core]: 2,
  [TrainerLevel.Community]: 1,
};

/** A training group: one or more courses, a lead trainer, dates, capacity, members, sessions. */
@Entity('cohort')
export class CohortEntity extends BaseEntity {
  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  kind: CohortKind;

  @Column({ type: 'text' })
  mode: CohortMode;

  @Column({ type: 'text', default: CohortStatus.Planned })
  status: CohortStatus;

  /** YYYY-MM-DD, local */
  @Column({ type: 'date' })
  startsOn: string;

  @Column({ type: 'date' })
  endsOn: string;

  @Column({ type: 'int' })
  capacity: number;

  @Column({ type: 'uuid' })
  orgUnitId: string;

  @Column({ type: 'text', nullable: true })
  location: string | null;

  @Column({ type: 'uuid' })
  leadTrainerId: string;

  /** the qualification the lead held when opening the cohort (null: a ToT trainee's practicum) */
  @Column({ type: 'uuid', nullable: true })
  leadQualificationId: string | null;

  /** set when this cohort is its lead's supervised practicum for that ToT cohort */
  @Column({ type: 'uuid', nullable: true })
  practicumOfCohortId: string | null;

  /** ToT cohorts: the level their graduates qualify at (core under a master, community under a core) */
  @Column({ type: 'text', nullable: true })
  qualifiesLevel: TrainerLevel | null;

  /** self-join code for open cohorts; null = roster only */
  @Column({ type: 'text', nullable: true })
  joinCode: string | null;

  @Column({ type: 'smallint' })
  minAttendancePercent: number;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  finishedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null;
}
