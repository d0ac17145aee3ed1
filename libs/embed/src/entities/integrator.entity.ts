import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A site or LMS that embeds Hocso: the profile of an org unit of kind integrator. */
@Entity('integrator')
export class IntegratorEntity {
  @PrimaryColumn({ type: 'uuid' })
  orgUnitId: string;

  @Column({ type: 'text' })
  contactEmail: string;

  /** exact origins ("https://cong.thainguyen.gov.vn") or one subdomain form ("https://*.thainguyen.gov.vn") */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  allowedOrigins: string[];

  /** an external LRS to forward this integrator's learners' xAPI statements to (…/statements) */
  @Column({ type: 'text', nullable: true })
  lrsEndpoint: string | null;

  /** the Authorization header value for the LRS; never returned by the API */
  @Column({ type: 'text', nullable: true, select: false })
  lrsAuthorization: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lrsForwardedUntil: Date | null;

  @Column({ type: 'text', nullable: true })
  lrsLastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lrsLastAttemptAt: Date | null;

  @Column({ type: 'int', default: 0 })
  lrsSent: number;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

export type UsageKind = 'content_api' | 'embed_view' | 'oembed' | 'lti_launch' | 'xapi_read';
