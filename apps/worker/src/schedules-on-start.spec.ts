import { JobName, type QueueService } from '@hocso/queue';
import { SCHEDULES, SchedulesOnStart } from './schedules-on-start';

/** A QueueService double: which schedulers exist, what was upserted and added. */
function fakeQueues(existing: boolean) {
  const upserted: string[] = [];
  const added: Array<{ name: string; data: unknown }> = [];
  const queue = {
    getJobScheduler: async () => (existing ? { key: 'x' } : undefined),
    upsertJobScheduler: async (id: string) => upserted.push(id),
  };
  const queues = {
    backendKind: 'postgres',
    queue: () => queue,
    add: async (name: string, data: unknown) => added.push({ name, data }),
  } as unknown as QueueService;
  return { queues, upserted, added };
}

describe('SchedulesOnStart.restoreIfLost', () => {
  it('Redis came back without the schedules: re-creates every one and sweeps at once', async () => {
    const f = fakeQueues(false);
    expect(await new SchedulesOnStart(f.queues).restoreIfLost()).toBe(true);
    expect(f.upserted).toEqual(SCHEDULES.map((s) => s.id));
    expect(f.added).toEqual([
      { name: JobName.SweepTrainingReports, data: { olderThanSeconds: 0 } },
      { name: JobName.SweepCompliance, data: {} },
    ]);
  });

  it('the schedules are there: does nothing', async () => {
    const f = fakeQueues(true);
    expect(await new SchedulesOnStart(f.queues).restoreIfLost()).toBe(false);
    expect([f.upserted, f.added]).toEqual([[], []]);
  });
});
