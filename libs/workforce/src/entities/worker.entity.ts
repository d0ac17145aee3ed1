import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@hocso/database';

/**
 * A person on an enterprise's roster, known by the enterprise's own code (stored upper-case). No
 * national ID numbers or ID images are kept. `userId` links a Hocso account, only by an invitation
 * the worker accepted.
 */
@Entity('worker')
export class WorkerEntity extends BaseEntity {
  @Column({ type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'text' })
  workerCode: string;

  @Column({ type: 'text', nullable: true })
  displayName: string | null;

  /** local dates; a missing activeFrom means active throughout the reporting window */
  @Column({ type: 'date', nullable: true })
  activeFrom: string | null;

  @Column({ type: 'date', nullable: true })
  activeTo: string | null;

  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  linkedAt: Date | null;
}
