import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IdempotencyKeyEntity } from '@hocso/database';
import { LessThan, Repository } from 'typeorm';
import { RefreshTokenEntity } from '../entities/refresh-token.entity';

/** Retention: spent credentials and stored idempotent responses are deleted once they expire. */
@Injectable()
export class MaintenanceService {
  constructor(
    @InjectRepository(IdempotencyKeyEntity) private readonly idempotency: Repository<IdempotencyKeyEntity>,
    @InjectRepository(RefreshTokenEntity) private readonly refreshTokens: Repository<RefreshTokenEntity>,
  ) {}

  async purgeExpired(
    now = new Date(),
  ): Promise<{ idempotencyKeys: number; refreshTokens: number; invitations: number }> {
    const idem = await this.idempotency.delete({ expiresAt: LessThan(now) });
    const tokens = await this.refreshTokens.delete({ expiresAt: LessThan(now) });
    // Invitations that can no longer be used (accepted, revoked or expired) are kept 30 days, for
    // the trainer's "was it delivered?" view, then deleted: they hold contact-derived data.
    const invitations: unknown[] = await this.idempotency.manager.query(
      `DELETE FROM account_invitation
        WHERE coalesce(accepted_at, revoked_at, expires_at) < $1::timestamptz - interval '30 days'
          AND (accepted_at IS NOT NULL OR revoked_at IS NOT NULL OR expires_at < $1::timestamptz)
        RETURNING id`,
      [now],
    );
    const gone = (Array.isArray(invitations[0]) ? invitations[0] : invitations) as unknown[];
    return { idempotencyKeys: idem.affected ?? 0, refreshTokens: tokens.affected ?? 0, invitations: gone.length };
  }
}
