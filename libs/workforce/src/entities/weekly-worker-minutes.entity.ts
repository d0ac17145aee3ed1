import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A worker's minutes in one ISO week: reported + extra (Hocso learning, cohorts), capped per day. */
@Entity('weekly_worker_minutes')
export class WeeklyWorkerMinutesEntity {
  @PrimaryColumn({ type: 'uuid' })
  enterpriseId: string;

  @PrimaryColumn({ type: 'text' })
  isoWeek: string;

  @PrimaryColumn({ type: 'uuid' })
  workerId: string;

  @Column({ type: 'int' })
  reportedMinutes: number;

  @Column({ type: 'int' })
  extraMinutes: number;

  /** Σ per local day of min(reported + extra, daily cap) */
  @Column({ type: 'int' })
  minutes: number;

  @Column({ type: 'boolean' })
  covered: boolean;
}
