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

  async purgeExpired(now = new Date()): Promise<{ idempotencyKeys: number; refreshTokens: number }> {
    const idem = await this.idempotency.delete({ expiresAt: LessThan(now) });
    const tokens = await this.refreshTokens.delete({ expiresAt: LessThan(now) });
    return { idempotencyKeys: idem.affected ?? 0, refreshTokens: tokens.affected ?? 0 };
  }
}
