import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CertificationModule } from '@hocso/certification';
import { CohortsModule } from '@hocso/cohorts';
import { IdentityModule } from '@hocso/identity';
import { LearningModule } from '@hocso/learning';
import { WorkforceModule } from '@hocso/workforce';
import { JobRunner } from '@hocso/queue';
import { InvitationsProcessor } from './identity/invitations.processor';
import { CertificatesProcessor } from './certification/certificates.processor';
import { CohortsProcessor } from './cohorts/cohorts.processor';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { SchedulesOnStart } from './schedules-on-start';
import { ComplianceProcessor } from './workforce/compliance.processor';
import { NotificationsProcessor } from './workforce/notifications.processor';
import { TrainingReportsProcessor } from './workforce/training-reports.processor';
import { WeeklyCloseProcessor } from './workforce/weekly-close.processor';

/**
 * The consumers: processors, the job runner and the repeating schedules. The worker entry point
 * runs it alone; with RUN_WORKER=true the api imports it so one process does both (embedded mode).
 */
@Module({
  imports: [DiscoveryModule, IdentityModule, LearningModule, CohortsModule, CertificationModule, WorkforceModule],
  providers: [
    JobRunner,
    MaintenanceProcessor,
    SchedulesOnStart,
    TrainingReportsProcessor,
    ComplianceProcessor,
    WeeklyCloseProcessor,
    NotificationsProcessor,
    CohortsProcessor,
    CertificatesProcessor,
    InvitationsProcessor,
  ],
})
export class WorkerJobsModule {}
