import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum EnterpriseOwnership {
  Fdi = 'fdi',
  Domestic = 'domestic',
}

export enum HeadcountBand {
  Micro = '1-9',
  Small = '10-49',
  Medium = '50-199',
  Large = '200-999',
  VeryLarge = '1000-4999',
  Huge = '5000+',
}

/** Workforce profile of an org unit of kind enterprise: tax code, park, commune, activity dates. */
@Entity('enterprise')
export class EnterpriseEntity {
  @PrimaryColumn({ type: 'uuid' })
  orgUnitId: string;

  @Column({ type: 'uuid' })
  industrialParkId: string;

  /** mã số thuế: 10 digits, or 10-3 for a branch */
  @Column({ type: 'text' })
  taxCode: string;

  @Column({ type: 'uuid', nullable: true })
  communeId: string | null;

  @Column({ type: 'text' })
  ownership: EnterpriseOwnership;

  @Column({ type: 'text', nullable: true })
  headcountBand: HeadcountBand | null;

  /** local dates; null = since/until forever */
  @Column({ type: 'date', nullable: true })
  activeFrom: string | null;

  @Column({ type: 'date', nullable: true })
  activeTo: string | null;

  /** where compliance reminders are e-mailed (besides the enterprise managers) */
  @Column({ type: 'text', nullable: true })
  contactEmail: string | null;

  @Column({ type: 'text', nullable: true })
  webhookUrl: string | null;

  /** HMAC-SHA256 key of the webhook signatures; shown once when set */
  @Column({ type: 'text', nullable: true, select: false })
  webhookSecret: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
