import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { IdentityModule } from '@hocso/identity';
import { JobRunner } from '@hocso/queue';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { SchedulesOnStart } from './schedules-on-start';

/**
 * The consumers: processors, the job runner and the repeating schedules. The worker entry point
 * runs it alone; with RUN_WORKER=true the api imports it so one process does both (embedded mode).
 */
@Module({
  imports: [DiscoveryModule, IdentityModule],
  providers: [JobRunner, MaintenanceProcessor, SchedulesOnStart],
})
export class WorkerJobsModule {}
