import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type InvitationDelivery = 'pending' | 'sent' | 'logged' | 'not_sent' | 'failed';

/**
 * An invitation to an account created without a password (a trainer or admin added the person to a
 * roster). The one-time secret — a link token (e-mail) and a short code (e-mail and SMS) — is minted
 * when the delivery job runs; only SHA-256 hashes are kept. Accepting sets the password.
 */
@Entity('account_invitation')
export class AccountInvitationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  channel: 'email' | 'sms';

  /** where the invitation came from, e.g. "cohort:<id>" (free text, no personal data) */
  @Column({ type: 'text', nullable: true })
  context: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'text', nullable: true, select: false })
  tokenHash: string | null;

  @Column({ type: 'text', nullable: true, select: false })
  codeHash: string | null;

  @Column({ type: 'text', default: 'pending' })
  delivery: InvitationDelivery;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ type: 'smallint', default: 0 })
  failedAttempts: number;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
