import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@hocso/database';

export enum ApiKeyScope {
  TrainingReportsWrite = 'training-reports:write',
  WorkersWrite = 'workers:write',
  ComplianceRead = 'compliance:read',
  ContentRead = 'content:read',
  XapiRead = 'xapi:read',
}

/** A credential for an enterprise or integrator: shown once, stored hashed, found by its prefix. */
@Entity('api_key')
export class ApiKeyEntity extends BaseEntity {
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  prefix: string;

  @Column({ type: 'text', select: false })
  secretHash: string;

  @Column({ type: 'uuid' })
  orgUnitId: string;

  @Column({ type: 'text', array: true })
  scopes: ApiKeyScope[];

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
