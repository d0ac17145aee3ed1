import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Actor } from '@hocso/common';
import { type EntityManager, Repository } from 'typeorm';
import { type ComplianceRule, WorkforceSettingsEntity } from '../entities/workforce-settings.entity';

export interface WorkforceSettingsInput {
  coverageThreshold?: number;
  complianceRule?: ComplianceRule;
  dailyCapMinutes?: number;
  reportWindowWeeks?: number;
  remindersEnabled?: boolean;
}

/** The province's workforce settings (θ, the compliance rule, daily cap, reporting window, reminders). */
@Injectable()
export class WorkforceSettingsService {
  constructor(@InjectRepository(WorkforceSettingsEntity) private readonly repo: Repository<WorkforceSettingsEntity>) {}

  /**
   * Inside a transaction pass its manager: a read through the pool would need a second connection,
   * and embedded PGlite has one, held by the transaction (the read waited for ever).
   */
  async get(em?: EntityManager): Promise<WorkforceSettingsEntity> {
    return (em ? em.getRepository(WorkforceSettingsEntity) : this.repo).findOneByOrFail({ id: 1 });
  }

  /** Province admins only (checked by the route); returns the settings before and after. */
  async update(
    actor: Actor,
    input: WorkforceSettingsInput,
  ): Promise<{ before: WorkforceSettingsEntity; after: WorkforceSettingsEntity }> {
    const before = await this.get();
    const patch: Partial<WorkforceSettingsEntity> = {};
    for (const key of Object.keys(input) as Array<keyof WorkforceSettingsInput>) {
      if (input[key] !== undefined) (patch as Record<string, unknown>)[key] = input[key];
    }
    await this.repo.update({ id: 1 }, { ...patch, updatedBy: actor.kind === 'user' ? actor.userId : null });
    return { before, after: await this.get() };
  }
}
