import { Global, Module } from '@nestjs/common';
import { QueueService } from '@hocso/queue';
import { ReportingModule } from '@hocso/reporting';
import { WorkforceModule } from '@hocso/workforce';

const refuse = () => {
  throw new Error('seed:demo does not queue jobs (reminders and notifications are off while it runs)');
};

/**
 * The CLI has no queues (see AccountInvitationsService), but the workforce services it calls for
 * the weekly rollups are wired to QueueService. This stand-in satisfies the injection and refuses
 * every job, so the seed can never send a reminder or queue a recompute by accident.
 */
const NO_QUEUE = {
  backendKind: 'none',
  add: refuse,
  queue: refuse,
  health: async () => ({ backend: 'none', ok: false, queues: {} }),
} as unknown as QueueService;

@Global()
@Module({ providers: [{ provide: QueueService, useValue: NO_QUEUE }], exports: [QueueService] })
class NoQueueModule {}

/** What `seed:demo` adds to the CLI context: the workforce services (weekly rollups and close), KPI snapshots. */
@Module({ imports: [NoQueueModule, WorkforceModule, ReportingModule] })
export class SeedDemoModule {}
