import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { TrainerLevel } from './cohort.entity';

/** Where a trainer comes from (the KPI breakdown of the 3,000 ToT trainers). */
export enum TrainerSource {
  Department = 'department',
  Commune = 'commune',
  University = 'university',
  College = 'college',
  CommunityTeam = 'community_team',
}

@Entity('trainer_profile')
export class TrainerProfileEntity {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text', nullable: true })
  source: TrainerSource | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

export enum QualificationBasis {
  /** granted by a province admin (the first master trainers) */
  Appointment = 'appointment',
  /** earned by finishing a ToT cohort */
  TotCohort = 'tot_cohort',
}

/** A user is a trainer of a level while they hold a valid (unrevoked, unexpired) qualification. */
@Entity('trainer_qualification')
export class TrainerQualificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  level: TrainerLevel;

  @Column({ type: 'text' })
  basis: QualificationBasis;

  /** YYYY-MM-DD, local */
  @Column({ type: 'date' })
  grantedOn: string;

  @Column({ type: 'date', nullable: true })
  expiresOn: string | null;

  @Column({ type: 'uuid', nullable: true })
  grantedBy: string | null;

  /** the lead trainer of the ToT cohort it was earned in */
  @Column({ type: 'uuid', nullable: true })
  qualifiedBy: string | null;

  @Column({ type: 'uuid', nullable: true })
  cohortId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  revokedBy: string | null;

  @Column({ type: 'text', nullable: true })
  revokeReason: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
