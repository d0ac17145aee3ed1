import { Column, Entity } from 'typeorm';
import type { Role } from '@hocso/common';
import { BaseEntity } from '@hocso/database';

export enum UserStatus {
  Active = 'active',
  Disabled = 'disabled',
  Erased = 'erased',
}

@Entity('app_user')
export class UserEntity extends BaseEntity {
  /** lower-cased, NFC */
  @Column({ type: 'text', nullable: true })
  email: string | null;

  /** E.164, e.g. +84912345678 */
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true, select: false })
  passwordHash: string | null;

  @Column({ type: 'text' })
  fullName: string;

  @Column({ type: 'text', default: 'vi' })
  locale: 'vi' | 'en';

  @Column({ type: 'uuid', nullable: true })
  orgUnitId: string | null;

  @Column({ type: 'int', nullable: true })
  birthYear: number | null;

  @Column({ type: 'text', array: true, default: () => "'{learner}'" })
  roles: Role[];

  @Column({ type: 'text', default: 'active' })
  status: UserStatus;

  @Column({ type: 'timestamptz', nullable: true })
  erasedAt: Date | null;
}
