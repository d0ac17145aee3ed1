import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Consent purposes (Law 91/2025/QH15): each recorded separately, never pre-ticked, withdrawable. */
export enum ConsentPurpose {
  /** Keep my learning records to run courses, quizzes and certificates (required to use Hocso). */
  Learning = 'learning',
  /** Count my anonymised progress in the province's digital-skills statistics. */
  Statistics = 'statistics',
  /** Send me reminders and news by e-mail or SMS. */
  Notifications = 'notifications',
  /** Let my trainer or employer see my course progress. */
  ShareWithOrganisation = 'share_with_organisation',
}

/** Append-only log: the current state of a purpose is its latest row. */
@Entity('consent_record')
export class ConsentRecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  purpose: ConsentPurpose;

  @Column({ type: 'boolean' })
  granted: boolean;

  @Column({ type: 'text' })
  noticeVersion: string;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
