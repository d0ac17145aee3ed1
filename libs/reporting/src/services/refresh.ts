import { addJobWithin, JobName, type QueueService } from '@hocso/queue';
import { currentWeek } from '../period';

/**
 * New denominators or targets change the open week's figures: refresh them now rather than when
 * the provisional snapshot goes stale (a failed add is logged; staleness catches up).
 */
export async function refreshOpenWeek(queues: QueueService, now = new Date()): Promise<void> {
  const week = currentWeek(now).key;
  await addJobWithin(
    queues,
    JobName.RefreshKpiSnapshot,
    { period: week },
    { jobId: `kpi-refresh@${week}@${now.getTime()}` },
  );
}
