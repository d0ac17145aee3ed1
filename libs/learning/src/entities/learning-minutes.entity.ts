import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Read model: credited learning seconds per user, local date (Asia/Ho_Chi_Minh) and course. */
@Entity('learning_minutes_daily')
export class LearningMinutesDailyEntity {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  /** YYYY-MM-DD in Asia/Ho_Chi_Minh */
  @PrimaryColumn({ type: 'date' })
  localDate: string;

  @PrimaryColumn({ type: 'uuid' })
  courseId: string;

  @Column({ type: 'int', default: 0 })
  seconds: number;
}
