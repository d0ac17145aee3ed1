import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('lesson_progress')
export class LessonProgressEntity {
  @PrimaryColumn({ type: 'uuid' })
  enrollmentId: string;

  @PrimaryColumn({ type: 'uuid' })
  lessonId: string;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  seconds: number;
}
