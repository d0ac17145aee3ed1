import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum CertificateKind {
  Course = 'course',
  Trainer = 'trainer',
}

/** One Open Badges 3.0 credential: exactly one per holder and achievement. */
@Entity('certificate')
export class CertificateEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  holderId: string;

  /** course:<slug> | trainer:<qualificationId> */
  @Column({ type: 'text' })
  achievementKey: string;

  @Column({ type: 'text' })
  kind: CertificateKind;

  @Column({ type: 'uuid', nullable: true })
  courseId: string | null;

  @Column({ type: 'uuid', nullable: true })
  cohortId: string | null;

  @Column({ type: 'uuid', nullable: true })
  qualificationId: string | null;

  @Column({ type: 'text' })
  titleVi: string;

  @Column({ type: 'text' })
  titleEn: string;

  @Column({
    type: 'numeric',
    precision: 6,
    scale: 1,
    nullable: true,
    transformer: { to: (v) => v, from: (v) => (v === null ? null : Number(v)) },
  })
  hours: number | null;

  @Column({ type: 'text', nullable: true })
  level: string | null;

  @Column({ type: 'timestamptz' })
  validFrom: Date;

  @Column({ type: 'timestamptz', nullable: true })
  validUntil: Date | null;

  @Column({ type: 'jsonb' })
  credential: Record<string, unknown>;

  @Column({ type: 'text' })
  credentialJwt: string;

  @Column({ type: 'text' })
  kid: string;

  @Column({ type: 'uuid' })
  statusListId: string;

  @Column({ type: 'int' })
  statusIndex: number;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  revokedBy: string | null;

  @Column({ type: 'text', nullable: true })
  revokeReason: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A W3C Bitstring Status List (revocation): 131,072 bits at least, indexes allocated at random. */
@Entity('status_list')
export class StatusListEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', default: 'revocation' })
  purpose: 'revocation';

  @Column({ type: 'int' })
  size: number;

  @Column({ type: 'bytea' })
  bits: Buffer;

  @Column({ type: 'int', default: 0 })
  allocated: number;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

export enum RuleScope {
  Course = 'course',
  CohortKind = 'cohort_kind',
}

/** When a certificate is issued: per course (slug or "*") and per cohort kind. */
@Entity('certificate_rule')
export class CertificateRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  scope: RuleScope;

  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'smallint', nullable: true })
  minScorePercent: number | null;

  @Column({ type: 'smallint', nullable: true })
  minAttendancePercent: number | null;

  @Column({ type: 'smallint', nullable: true })
  validityMonths: number | null;

  @Column({ type: 'uuid', nullable: true })
  updatedBy: string | null;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** A learner's opt-in public page of verified certificates and competencies (off by default). */
@Entity('public_profile')
export class PublicProfileEntity {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  handle: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
