import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum ProgressEventType {
  LessonStarted = 'lesson_started',
  BlockCompleted = 'block_completed',
  LessonCompleted = 'lesson_completed',
  VideoProgress = 'video_progress',
  Heartbeat = 'heartbeat',
}

/**
 * A learner's progress event as the client recorded it (possibly offline). The client's `eventId`
 * is unique per user: a retried or replayed event is a duplicate and changes nothing.
 */
@Entity('progress_event')
export class ProgressEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'uuid' })
  enrollmentId: string;

  @Column({ type: 'text' })
  type: ProgressEventType;

  @Column({ type: 'uuid' })
  lessonId: string;

  @Column({ type: 'text', nullable: true })
  blockId: string | null;

  @Column({ type: 'timestamptz', precision: 3 })
  occurredAt: Date;

  /** seconds the client claimed (heartbeat, video progress) */
  @Column({ type: 'int', nullable: true })
  seconds: number | null;

  /** seconds actually credited after de-duplication of overlapping time and the daily cap */
  @Column({ type: 'int', default: 0 })
  creditedSeconds: number;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  receivedAt: Date;
}
