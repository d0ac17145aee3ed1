import type { INestApplicationContext } from '@nestjs/common';
import { AttendanceMinutesService } from '@hocso/cohorts';
import { LearningMinutesService } from '@hocso/learning';
import {
  ComplianceService,
  WeeklyCloseService,
  type WorkerExtraMinutes,
  WorkerExtraMinutesRegistry,
  type WorkerExtraMinutesSource,
  weekRange,
} from '@hocso/workforce';
import type { DataSource } from 'typeorm';

/** The names LearningMinutesBinding registers its two sources under (learning-minutes.binding.ts). */
const SOURCES = ['learning', 'cohort-attendance'] as const;

/** Answers from minutes read up front (see weeklyRollups). */
class PreloadedMinutes implements WorkerExtraMinutesSource {
  constructor(private readonly rows: WorkerExtraMinutes[]) {}

  async minutesFor(userIds: string[], from: string, to: string): Promise<WorkerExtraMinutes[]> {
    const wanted = new Set(userIds);
    return this.rows.filter((r) => wanted.has(r.userId) && r.localDate >= from && r.localDate <= to);
  }
}

/**
 * The weekly workforce rollups through the real services: for each past week the weekly close
 * (recompute every active enterprise, freeze the snapshot), then the current week's figures.
 * Reminders are switched off meanwhile and restored afterwards.
 *
 * Embedded PGlite (one connection): the linked workers' learning and attendance minutes are read
 * once up front for all the weeks and served from memory (same numbers, one read instead of one per
 * enterprise chunk and week).
 */
export async function weeklyRollups(
  app: INestApplicationContext,
  ds: DataSource,
  options: { enterpriseIds: string[]; weeks: string[]; embedded: boolean },
): Promise<void> {
  const compliance = app.get(ComplianceService);
  const close = app.get(WeeklyCloseService);
  const registry = app.get(WorkerExtraMinutesRegistry);
  const learning = app.get(LearningMinutesService);
  const attendance = app.get(AttendanceMinutesService);
  const ids = [...options.enterpriseIds].sort();
  const past = options.weeks.slice(0, -1);
  const current = options.weeks[options.weeks.length - 1];

  const [settings] = await ds.query(`SELECT reminders_enabled FROM workforce_settings WHERE id = 1`);
  await ds.query(`UPDATE workforce_settings SET reminders_enabled = false WHERE id = 1`);
  let preloaded = false;
  try {
    if (options.embedded) {
      const linked: string[] = (await ds.query(`SELECT DISTINCT user_id FROM worker WHERE user_id IS NOT NULL`)).map(
        (r: { user_id: string }) => r.user_id,
      );
      const from = weekRange(options.weeks[0]).monday;
      const to = weekRange(current).sunday;
      const rows = [
        ...(await learning.minutesFor(linked, from, to)),
        ...(await attendance.minutesFor(linked, from, to)),
      ];
      for (const name of SOURCES) registry.unregister(name);
      registry.register('seed-demo', new PreloadedMinutes(rows));
      preloaded = true;
    }
    const recompute = async (isoWeek: string) => {
      for (let i = 0; i < ids.length; i += 200) await compliance.recomputeMany(ids.slice(i, i + 200), isoWeek);
    };
    for (const isoWeek of past) {
      // A week closed before (a --force run): our enterprises' figures reopen it and the close
      // freezes it again.
      const [closed] = await ds.query(`SELECT 1 FROM compliance_week WHERE iso_week = $1`, [isoWeek]);
      if (closed) await recompute(isoWeek);
      await close.close(isoWeek);
    }
    await recompute(current);
  } finally {
    if (preloaded) {
      registry.unregister('seed-demo');
      registry.register('learning', learning);
      registry.register('cohort-attendance', attendance);
    }
    if (settings) {
      await ds.query(`UPDATE workforce_settings SET reminders_enabled = $1 WHERE id = 1`, [settings.reminders_enabled]);
    }
  }
}
