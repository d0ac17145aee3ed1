import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum AttendanceStatus {
  Present = 'present',
  Late = 'late',
  Absent = 'absent',
}

/** One meeting of a cohort (online, classroom or village hall). */
@Entity('cohort_session')
export class CohortSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  cohortId: string;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'smallint' })
  durationMinutes: number;

  @Column({ type: 'text', nullable: true })
  location: string | null;

  @Column({ type: 'text', nullable: true })
  title: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
