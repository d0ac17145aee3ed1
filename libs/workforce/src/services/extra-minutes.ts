import { Injectable } from '@nestjs/common';

/** Minutes a Hocso account earned on one local day outside the enterprise's own reports. */
export interface WorkerExtraMinutes {
  userId: string;
  /** YYYY-MM-DD, Asia/Ho_Chi_Minh */
  localDate: string;
  minutes: number;
}

/**
 * Where the weekly computation gets the minutes of linked accounts: Hocso learning minutes on
 * digital-skills content (the Learning issue's read model) and cohort attendance minutes (the
 * Cohorts issue). Each source answers for a set of users and an inclusive range of local dates;
 * the computation adds them to the reported sessions of the same day and applies the daily cap.
 *
 * Binding a real source — either
 *  - register it (the usual way, several sources add up): in a provider's onModuleInit,
 *    `registry.register('learning', learningMinutesReadModel)`; or
 *  - replace the token outright in WorkforceModule:
 *    `{ provide: WORKER_EXTRA_MINUTES, useExisting: LearningMinutesReadModel }`.
 * With nothing bound the default answers [] (reported sessions only).
 */
export interface WorkerExtraMinutesSource {
  minutesFor(userIds: string[], fromLocalDate: string, toLocalDate: string): Promise<WorkerExtraMinutes[]>;
}

export const WORKER_EXTRA_MINUTES = Symbol('WORKER_EXTRA_MINUTES');

/** The default WORKER_EXTRA_MINUTES: the sum of the registered sources, none by default (→ []). */
@Injectable()
export class WorkerExtraMinutesRegistry implements WorkerExtraMinutesSource {
  private readonly sources = new Map<string, WorkerExtraMinutesSource>();

  register(name: string, source: WorkerExtraMinutesSource): void {
    if (this.sources.has(name)) throw new Error(`worker minutes source "${name}" registered twice`);
    this.sources.set(name, source);
  }

  unregister(name: string): void {
    this.sources.delete(name);
  }

  async minutesFor(userIds: string[], fromLocalDate: string, toLocalDate: string): Promise<WorkerExtraMinutes[]> {
    if (userIds.length === 0 || this.sources.size === 0) return [];
    const all = await Promise.all(
      [...this.sources.values()].map((s) => s.minutesFor(userIds, fromLocalDate, toLocalDate)),
    );
    return all.flat();
  }
}
