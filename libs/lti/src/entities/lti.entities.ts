import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** An LMS registered as an LTI 1.3 platform (issuer + client_id), with its deployments and endpoints. */
@Entity('lti_platform')
export class LtiPlatformEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  /** case-sensitive, exactly as the platform puts it in `iss` */
  @Column({ type: 'text' })
  issuer: string;

  @Column({ type: 'text' })
  clientId: string;

  @Column({ type: 'text', array: true })
  deploymentIds: string[];

  /** the platform's OIDC authorization endpoint */
  @Column({ type: 'text' })
  authLoginUrl: string;

  /** the platform's OAuth 2.0 token endpoint (AGS access tokens) */
  @Column({ type: 'text' })
  authTokenUrl: string;

  @Column({ type: 'text' })
  jwksUrl: string;

  /** an org unit of kind `integrator` (the LMS's owner), if any */
  @Column({ type: 'uuid', nullable: true })
  integratorId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;
}

/** One OIDC login in flight: `state` (CSRF) and its single-use `nonce`, valid 10 minutes. */
@Entity('lti_login_state')
export class LtiLoginStateEntity {
  @PrimaryColumn({ type: 'text' })
  state: string;

  @Column({ type: 'uuid' })
  platformId: string;

  @Column({ type: 'text' })
  nonce: string;

  @Column({ type: 'text' })
  loginHint: string;

  @Column({ type: 'text', nullable: true })
  ltiMessageHint: string | null;

  @Column({ type: 'text' })
  targetLinkUri: string;

  /** `lti_deployment_id` of the login request, when the platform sent one */
  @Column({ type: 'text', nullable: true })
  deploymentId: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  expiresAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  usedAt: Date | null;
}

/** A platform user (`iss` + `sub`) and the Hocso account made for them at their first launch. */
@Entity('lti_user')
export class LtiUserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  platformId: string;

  @Column({ type: 'text' })
  sub: string;

  @Column({ type: 'uuid' })
  userId: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  lastLaunchAt: Date;
}

/** A placement of a Hocso course or lesson in a platform (resource link), with its AGS endpoints. */
@Entity('lti_resource_link')
export class LtiResourceLinkEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Column({ type: 'uuid' })
  platformId: string;

  @Column({ type: 'text' })
  deploymentId: string;

  @Column({ type: 'text' })
  resourceLinkId: string;

  @Column({ type: 'text', nullable: true })
  contextId: string | null;

  @Column({ type: 'text', nullable: true })
  contextTitle: string | null;

  @Column({ type: 'text', nullable: true })
  title: string | null;

  @Column({ type: 'text' })
  courseSlug: string;

  @Column({ type: 'uuid', nullable: true })
  lessonId: string | null;

  /** AGS `lineitem`: where scores go (`{lineitem}/scores`) */
  @Column({ type: 'text', nullable: true })
  lineitemUrl: string | null;

  @Column({ type: 'text', nullable: true })
  lineitemsUrl: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  agsScopes: string[];
}

/** A learner who launched a resource link; `platformUserId` (= `sub`) is the AGS score's userId. */
@Entity('lti_resource_link_user')
export class LtiResourceLinkUserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  resourceLinkId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  platformUserId: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  lastLaunchAt: Date;
}

/**
 * A Deep Linking request being answered: the instructor's picker posts back only the (hashed,
 * single-use) token; return URL, data and deployment come from the verified launch, never the form.
 */
@Entity('lti_deep_link_session')
export class LtiDeepLinkSessionEntity {
  @PrimaryColumn({ type: 'text' })
  tokenHash: string;

  @Column({ type: 'uuid' })
  platformId: string;

  @Column({ type: 'text' })
  deploymentId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  returnUrl: string;

  @Column({ type: 'text', nullable: true })
  data: string | null;

  @Column({ type: 'boolean', default: true })
  acceptMultiple: boolean;

  @Column({ type: 'boolean', default: true })
  acceptLineItem: boolean;

  @Column({ type: 'boolean', default: false })
  acceptIframe: boolean;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  expiresAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  usedAt: Date | null;
}

export type LtiScoreStatus = 'pending' | 'sent' | 'failed';

/** One score passback (AGS) for a completed enrollment to one resource link's line item. */
@Entity('lti_score')
export class LtiScoreEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  resourceLinkUserId: string;

  @Column({ type: 'uuid' })
  enrollmentId: string;

  @Column({ type: 'numeric', precision: 6, scale: 2, transformer: { to: (v) => v, from: (v) => Number(v) } })
  scoreGiven: number;

  @Column({
    type: 'numeric',
    precision: 6,
    scale: 2,
    default: 100,
    transformer: { to: (v) => v, from: (v) => Number(v) },
  })
  scoreMaximum: number;

  @Column({ type: 'timestamptz', precision: 3 })
  completedAt: Date;

  @Column({ type: 'text', default: 'pending' })
  status: LtiScoreStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'int', nullable: true })
  lastHttpStatus: number | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

export const LTI_ENTITIES = [
  LtiPlatformEntity,
  LtiLoginStateEntity,
  LtiUserEntity,
  LtiResourceLinkEntity,
  LtiResourceLinkUserEntity,
  LtiDeepLinkSessionEntity,
  LtiScoreEntity,
];
