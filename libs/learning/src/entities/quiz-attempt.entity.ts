import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export interface GradedQuestion {
  questionId: string;
  correct: boolean;
}

@Entity('quiz_attempt')
export class QuizAttemptEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'uuid' })
  enrollmentId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  quizId: string;

  @Column({ type: 'int' })
  attemptNumber: number;

  @Column({ type: 'jsonb' })
  answers: Array<{ questionId: string; optionIds: string[] }>;

  @Column({ type: 'jsonb' })
  graded: GradedQuestion[];

  /** 0…1 */
  @Column({ type: 'double precision' })
  score: number;

  @Column({ type: 'boolean' })
  passed: boolean;
}
